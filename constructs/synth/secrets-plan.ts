import type { RequiredSecret } from '../extension.js';
import { stableJson } from '../core/stable-json.js';

export const SECRETS_PLAN_FILE = 'secrets.json';

/** The plan file: secrets sorted by namespace and name. */
export function secretsPlan(secrets: readonly RequiredSecret[]): string {
  const sorted = [...secrets].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return `${stableJson({ schema: 'polyglot.dev/secrets/v1', secrets: sorted })}\n`;
}
