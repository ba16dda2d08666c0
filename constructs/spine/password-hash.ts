import { createHmac } from 'node:crypto';
import bcrypt from 'bcryptjs';

/**
 * A value id prefix in a RequiredSecret: `nats-bcrypt:<value id>` is the bcrypt hash of that
 * value, written as nats-server reads it from its environment.
 */
export const NATS_BCRYPT = 'nats-bcrypt:';

/** The cost nats-server's own `nats server passwd` uses. */
const COST = 11;
/** Keys the salt derivation to this use, so the salt says nothing about any other use of the password. */
const SALT_KEY = 'polyglot.dev/nats-password-salt/v1';

/**
 * The bcrypt hash of a NATS password, as the `nats-users` Secret holds it: in double quotes,
 * because nats-server parses a variable's value as config text, where a bare `$2b$…` would be
 * read as another variable.
 *
 * The salt is derived from the password (HMAC-SHA256 keyed with a fixed label), not random, so
 * one password always gives one hash: re-applying the Secrets (`polyglot secrets --apply`, a
 * Pulumi or Terraform run) changes nothing and rolls no server. A random salt would protect
 * against precomputed tables for guessable passwords; these are 256-bit random values no table
 * holds, and each is hashed once, so the derived salt costs nothing in strength.
 */
export function natsPasswordHash(password: string): string {
  const salt = createHmac('sha256', SALT_KEY).update(password).digest().subarray(0, 16);
  const hash = bcrypt.hashSync(password, `$2b$${COST}$${bcrypt.encodeBase64(salt, 16)}`);
  return `"${hash}"`;
}
