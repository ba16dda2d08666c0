import type { ContractAnswers, StoredConfig } from './answers.js';
import type { ModelOutline } from './system.js';
import { InputError } from './names.js';

/** The contracts a system has: declared in main.ts (the model) or made by a generator (stored). */
export interface KnownContracts {
  readonly grpc: Map<string, { name: string; service: string; proto: string }>;
  readonly events: Map<string, { name: string; subject: string }>;
}

export function knownContracts(model: ModelOutline | undefined, config: StoredConfig): KnownContracts {
  const grpc = new Map<string, { name: string; service: string; proto: string }>();
  const events = new Map<string, { name: string; subject: string }>();
  for (const [name, c] of Object.entries(config.contracts ?? {}) as [string, ContractAnswers][]) {
    if (c.kind === 'grpc') grpc.set(name, { name, service: c.service, proto: c.proto });
    else events.set(name, { name, subject: c.subject });
  }
  for (const c of model?.grpcContracts ?? []) grpc.set(c.name, c);
  for (const e of model?.eventContracts ?? []) events.set(e.name, e);
  return { grpc, events };
}

const listing = (names: Iterable<string>) => {
  const all = [...names].sort();
  return all.length === 0 ? 'it has none yet' : `it has ${all.map((n) => `'${n}'`).join(', ')}`;
};

/** Each name must be a gRPC contract of the system; the message names the flag. */
export function requireGrpc(field: string, names: readonly string[], known: KnownContracts): void {
  for (const name of names) {
    if (known.grpc.has(name)) continue;
    if (known.events.has(name)) throw new InputError(`${field}: '${name}' is an event contract, not a gRPC one (events go in --publishes and --subscribes)`);
    throw new InputError(`${field}: the system has no gRPC contract named '${name}' (${listing(known.grpc.keys())}); create it with \`polyglot new contract --kind grpc --name ${name}\``);
  }
}

/** Each name must be an event contract of the system. */
export function requireEvents(field: string, names: readonly string[], known: KnownContracts): void {
  for (const name of names) {
    if (known.events.has(name)) continue;
    if (known.grpc.has(name)) throw new InputError(`${field}: '${name}' is a gRPC contract, not an event (gRPC contracts go in --serves and --calls)`);
    throw new InputError(`${field}: the system has no event contract named '${name}' (${listing(known.events.keys())}); create it with \`polyglot new contract --kind event --name ${name}\``);
  }
}
