import type { RequiredSecret } from '../extension.js';
import { stableJson } from '../core/stable-json.js';
import { NATS_BCRYPT, natsPasswordHash } from '../spine/password-hash.js';

export const SECRETS_PLAN_FILE = 'secrets.json';

/** The plan file: secrets sorted by namespace and name. */
export function secretsPlan(secrets: readonly RequiredSecret[]): string {
  const sorted = [...secrets].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return `${stableJson({ schema: 'polyglot.dev/secrets/v1', secrets: sorted })}\n`;
}

/**
 * The value of one key of a generated Secret: a fresh value per value id (`valueOf`), or a value
 * derived from one (`nats-bcrypt:<id>`: the hash the NATS servers check that password with).
 */
export function secretValue(id: string, valueOf: (id: string) => string): string {
  return id.startsWith(NATS_BCRYPT) ? natsPasswordHash(valueOf(id.slice(NATS_BCRYPT.length))) : valueOf(id);
}
