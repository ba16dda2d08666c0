import { stableJson } from '../core/stable-json.js';

// A variable is carried through stableJson as a string no subject or name can contain (control
// characters are escaped by JSON.stringify), then written unquoted.
const MARK = '\u0001';
const QUOTED_VARIABLE = /"\\u0001([A-Z_][A-Z0-9_]*)\\u0001"/g;

/**
 * A nats-server config variable, `$NAME`, which the server fills from its environment at start-up.
 * Passwords reach the config this way, so no credential is ever written to the output.
 */
export function confVariable(name: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`not a config variable name: ${name}`);
  return `${MARK}${name}${MARK}`;
}

/**
 * Renders a server config as JSON with sorted keys (nats-server reads JSON), except that
 * variables are unquoted: nats-server substitutes `$NAME` but keeps `"$NAME"` as literal text.
 */
export function renderConf(config: unknown): string {
  return `${stableJson(config).replace(QUOTED_VARIABLE, '$$$1')}\n`;
}
