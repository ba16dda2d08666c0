import { holdsProto } from './proto-files.js';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SystemModel } from '../model.js';
import { stableJson } from '../core/stable-json.js';
import { buildImage } from './buf.js';
import { protoSourcesDigest } from './proto-digest.js';
import { eventJsonSchema, type JsonSchema } from './json-schema.js';

/** The `schema` value of a lock file; a lock written in another format is refused. */
export const CONTRACTS_LOCK_SCHEMA = 'polyglot.dev/contracts-lock/v1';

/** What the lock remembers of one event. */
export interface LockedEvent {
  readonly subject: string;
  readonly version: number;
  readonly jsonSchema: JsonSchema;
}

/**
 * `contracts.lock.json`: the contracts as they were when last locked, the baseline synth
 * compares with. Written by `polyglot contracts lock`, committed with the system.
 */
export interface ContractsLock {
  readonly schema: typeof CONTRACTS_LOCK_SCHEMA;
  readonly events: Readonly<Record<string, LockedEvent>>;
  /** The buf image of the proto module (protojson), when it is the breaking-change baseline. */
  readonly grpc?: {
    readonly image: unknown;
    /** {@link protoSourcesDigest} of the sources the image was built from: while the protos
     * still digest to it, there is nothing buf breaking could find (older locks lack it). */
    readonly sourcesSha256?: string;
  };
}

/** The lock file, `undefined` when there is none yet, or why it cannot be read. */
export type LockRead = { readonly lock?: ContractsLock } | { readonly failure: string };

export function lockPath(model: SystemModel): string {
  return resolve(model.contractSources.root, model.contractSources.lockFile);
}

export function readLock(model: SystemModel): LockRead {
  const path = lockPath(model);
  if (!existsSync(path)) return { lock: undefined };
  try {
    const lock = JSON.parse(readFileSync(path, 'utf8')) as ContractsLock;
    if (lock?.schema !== CONTRACTS_LOCK_SCHEMA) return { failure: `${model.contractSources.lockFile} is not a ${CONTRACTS_LOCK_SCHEMA} lock file` };
    return { lock };
  } catch (error) {
    return { failure: `${model.contractSources.lockFile} cannot be read: ${(error as Error).message}` };
  }
}

/** Each event as the lock records it; events whose schema has no JSON Schema are left out. */
export function lockedEvents(model: SystemModel): Record<string, LockedEvent> {
  const events: Record<string, LockedEvent> = {};
  for (const event of model.eventContracts) {
    const result = eventJsonSchema(event);
    if ('schema' in result) events[event.name] = { subject: event.subject, version: event.version, jsonSchema: result.schema };
  }
  return events;
}

/**
 * The lock for the model as it is now. The gRPC image is included when the system has a buf
 * module and no other baseline is configured (a git ref or a saved image needs no lock).
 */
export function buildLock(model: SystemModel): { readonly lock: ContractsLock } | { readonly failure: string } {
  const sources = model.contractSources;
  let grpc: ContractsLock['grpc'];
  // A buf module without a .proto file yet (a new system) has no image: buf refuses to build it.
  if (sources.bufModule !== undefined && sources.breakingAgainst === undefined && holdsProto(resolve(sources.root, sources.bufModule))) {
    const built = buildImage(sources.bufModule, sources.root);
    if ('failure' in built) return built;
    grpc = { image: built.image, sourcesSha256: protoSourcesDigest(sources.root, sources.bufModule) };
  }
  return { lock: { schema: CONTRACTS_LOCK_SCHEMA, events: lockedEvents(model), grpc } };
}

/** The lock file's bytes: sorted keys, so a re-lock of an unchanged model changes nothing. */
export function renderLock(lock: ContractsLock): string {
  return `${stableJson(lock)}\n`;
}
