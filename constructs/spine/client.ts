import type { PlatformEndpoint } from '../extension.js';
import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { NATS, PORTS } from './names.js';

// How a service connects to the spine: names, endpoint and credentials. Only the spine knows
// them; services get them through the spine's wiring (env, egress, service config blocks).

/** The NATS cluster's client endpoint. */
export function natsEndpoint(model: Pick<SystemModel, 'name'>): PlatformEndpoint {
  return { namespace: `${model.name}-${NATS}`, podLabels: { 'app.kubernetes.io/name': NATS }, ports: [{ port: PORTS.client, protocol: 'TCP' }] };
}

/** The URL clients connect to: the cluster's Service in the spine's namespace. */
export function natsClientUrl(model: Pick<SystemModel, 'name'>): string {
  return `nats://${NATS}.${model.name}-${NATS}.svc.cluster.local:${PORTS.client}`;
}

/** True when the service publishes or subscribes: it then connects to NATS as its own user. */
export function usesEvents(workload: Workload): boolean {
  return workload.publishes.length > 0 || workload.subscribes.length > 0;
}

/** The NATS user a service connects as: `<domain>-<service>`. */
export function natsUser(workload: Workload): string {
  return `${workload.domain.name}-${workload.name}`;
}

/**
 * The service's own inbox prefix. The server lets the service subscribe under it and nowhere
 * else, so no service can read another's replies (the default `_INBOX.>` is shared by all).
 */
export function natsInboxPrefix(workload: Workload): string {
  return `_INBOX_${workload.namespace}_${workload.name}`;
}

/** The durable JetStream consumer a service reads a stream through. */
export function natsConsumerName(workload: Workload): string {
  return `${workload.namespace}-${workload.name}`;
}

/**
 * Where a service finds its NATS password: the `password` key of the Secret `<service>-nats` in
 * its own namespace, given to the container as $NATS_PASSWORD. The Secret is created outside the
 * manifests (docs/nats.md); the same value is the user's key in the NATS namespace's `nats-users`.
 */
export function natsCredentials(workload: Workload): { readonly env: string; readonly secret: string; readonly key: string } {
  return { env: 'NATS_PASSWORD', secret: `${workload.name}-nats`, key: 'password' };
}
