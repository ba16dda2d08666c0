import * as k8s from './k8s.js';
import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { NAME_LABEL, NAMESPACE_NAME_LABEL, selectorLabels, workloadLabels } from './labels.js';
import { PORT_NAMES } from './pod.js';
import type { PlatformEndpoint } from '../extension.js';
import { endpointEgress } from './external-endpoints.js';

type Peer = k8s.NetworkPolicyPeer;
type Rule = { peers: Peer[]; port: number | string };

/**
 * The service's allow rules on top of the namespace's default deny: in from every declared
 * caller to its gRPC port, out to every service it calls, out to the platform endpoints (NATS,
 * the telemetry agent) it uses, and out to the external endpoints it declares (their CIDR block
 * and port). Nothing undeclared gets through.
 */
export function synthesizeNetworkPolicy(workload: Workload, model: SystemModel, platform: readonly PlatformEndpoint[]): void {
  const ingress: Rule[] = [];
  const callers = uniqueBy(model.calledBy(workload).map((e) => e.caller), (w) => `${w.namespace}/${w.name}`);
  if (callers.length > 0) ingress.push({ peers: callers.map(podsOf), port: PORT_NAMES.grpc });

  // Each listener admits the controller that serves it: its Ingress's class may be another
  // controller, in another namespace, than the system's.
  for (const listener of workload.listeners) {
    const controllerNamespace = listener.ingress?.controllerNamespace ?? workload.domain.system.ingressControllerNamespace;
    ingress.push({ peers: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: controllerNamespace } } }], port: PORT_NAMES[listener.port] });
  }

  const egress: k8s.NetworkPolicyEgressRule[] = [];
  for (const callee of uniqueBy(model.callsOf(workload).map((e) => e.callee), (w) => `${w.namespace}/${w.name}`)) {
    egress.push({ to: [podsOf(callee)], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(callee.ports.grpc!) }] });
  }
  for (const endpoint of platform) {
    egress.push({
      to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: endpoint.namespace } }, podSelector: { matchLabels: { ...endpoint.podLabels } } }],
      ports: endpoint.ports.map((p) => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) })),
    });
  }
  egress.push(...endpointEgress(workload));

  new k8s.KubeNetworkPolicy(workload, 'network-policy', {
    metadata: { name: workload.name, labels: workloadLabels(workload) },
    spec: {
      podSelector: { matchLabels: selectorLabels(workload) },
      // Both policy types with no rule deny all. An empty list is left out, not written as `[]`:
      // the API server drops empty lists, so server-side apply would find `[]` missing and update
      // the object on every apply (seen against a real kube-apiserver, test/deploy/).
      policyTypes: ['Ingress', 'Egress'],
      ...(ingress.length > 0 && {
        ingress: ingress.map((rule) => ({
          from: rule.peers,
          ports: [{ protocol: 'TCP', port: typeof rule.port === 'number' ? k8s.IntOrString.fromNumber(rule.port) : k8s.IntOrString.fromString(rule.port) }],
        })),
      }),
      ...(egress.length > 0 && { egress }),
    },
  });
}

/** The pods of one service, in whichever namespace it lives. */
function podsOf(workload: Workload): Peer {
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: workload.namespace } },
    podSelector: { matchLabels: { [NAME_LABEL]: workload.name } },
  };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
