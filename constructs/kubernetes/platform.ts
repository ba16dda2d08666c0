import type { SystemModel } from '../model.js';

/**
 * Where the shared platform pieces live. Services reach them through network policies and
 * config; the NATS spine and the telemetry pipeline synthesize the pieces themselves.
 */
export interface PlatformEndpoint {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly port: number; readonly protocol: 'TCP' | 'UDP' }[];
}

/** The NATS cluster's client endpoint. */
export function natsEndpoint(model: Pick<SystemModel, 'name'>): PlatformEndpoint {
  return { namespace: `${model.name}-nats`, podLabels: { 'app.kubernetes.io/name': 'nats' }, ports: [{ port: 4222, protocol: 'TCP' }] };
}

export function natsClientUrl(model: Pick<SystemModel, 'name'>): string {
  return `nats://nats.${model.name}-nats.svc.cluster.local:4222`;
}
