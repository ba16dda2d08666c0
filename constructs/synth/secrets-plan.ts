import { stableJson } from '../stable-json.js';

/**
 * A Secret the output depends on but never contains. Synth lists them in `secrets.json`
 * (names, namespaces, keys: no values) so `polyglot secrets` can create them with fresh random
 * values and a deploy can check they exist.
 */
export interface RequiredSecret {
  readonly namespace: string;
  readonly name: string;
  /**
   * `generated`: random values `polyglot secrets` can make. `tls`: a certificate and key the user
   * brings (`kubectl create secret tls`).
   */
  readonly type: 'generated' | 'tls';
  /** Key → value id. Keys with the same value id, in any Secret, must hold the same value
   * (a service's NATS password and its entry in the servers' `nats-users`). */
  readonly keys: Readonly<Record<string, string>>;
  /** One line on what reads it. */
  readonly purpose: string;
}

export const SECRETS_PLAN_FILE = 'secrets.json';

/** The plan file: secrets sorted by namespace and name. */
export function secretsPlan(secrets: readonly RequiredSecret[]): string {
  const sorted = [...secrets].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return `${stableJson({ schema: 'polyglot.dev/secrets/v1', secrets: sorted })}\n`;
}
