import * as k8s from './k8s.js';
import type { RequiredSecret } from '../extension.js';
import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';

// What a service's `uses` of external endpoints turn into. Endpoints are part of the model, like
// calls, so the Kubernetes synthesis reads them directly: no platform piece is involved.

/** One egress rule per endpoint: its CIDR block, on its port and transport only. */
export function endpointEgress(workload: Workload): k8s.NetworkPolicyEgressRule[] {
  return workload.uses.map(({ endpoint }) => ({
    to: [{ ipBlock: { cidr: endpoint.cidr } }],
    ports: [{ protocol: endpoint.transport, port: k8s.IntOrString.fromNumber(endpoint.port) }],
  }));
}

/** Every key of every connection Secret, as `<ENDPOINT>_<KEY>` from the Secret. */
export function endpointEnv(workload: Workload): k8s.EnvVar[] {
  return workload.uses.flatMap((use) =>
    use.endpoint.secretKeys.map((key) => ({
      name: use.endpoint.envName(key),
      valueFrom: { secretKeyRef: { name: use.endpoint.secretNameFor(workload, use), key } },
    })),
  );
}

/** The `dependencies` block of the service config: where to connect and which variables hold the credentials. */
export function endpointConfig(workload: Workload): Record<string, unknown> {
  if (workload.uses.length === 0) return {};
  return {
    dependencies: workload.uses.map((use) => ({
      endpoint: use.endpoint.name,
      protocol: use.endpoint.protocol,
      host: use.endpoint.host,
      port: use.endpoint.port,
      secret: use.endpoint.secretNameFor(workload, use),
      env: Object.fromEntries(use.endpoint.secretKeys.map((key) => [key, use.endpoint.envName(key)])),
    })),
  };
}

/**
 * The connection Secrets the output depends on: one per service and endpoint, in the service's
 * namespace. Their values exist already (the database's credentials), so they are `provided`.
 */
export function endpointSecrets(model: SystemModel): RequiredSecret[] {
  return model.services.flatMap((service) =>
    service.uses.map((use): RequiredSecret => ({
      namespace: service.namespace,
      name: use.endpoint.secretNameFor(service, use),
      type: 'provided',
      keys: Object.fromEntries(use.endpoint.secretKeys.map((key) => [key, `endpoint:${use.endpoint.name}:${service.namespace}/${service.name}:${key}`])),
      purpose: `credentials of ${service.name} for ${use.endpoint.name} (${use.endpoint.protocol}://${use.endpoint.host}:${use.endpoint.port}), as ${use.endpoint.secretKeys.map((k) => `$${use.endpoint.envName(k)}`).join(', ')}`,
    })),
  );
}
