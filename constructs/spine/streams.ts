import type { EventContract, EventStream } from '../contracts/events.js';
import type { SystemModel } from '../model.js';
import { parseQuantity } from '../core/units.js';

/** A JetStream stream as the model declares it: on one event, keeping that event's subject. */
export interface DeclaredStream {
  readonly event: EventContract;
  readonly stream: EventStream;
}

/** The streams of events some service publishes or subscribes to, sorted by stream name. */
export function declaredStreams(model: SystemModel): DeclaredStream[] {
  return model.eventContracts
    .filter((event) => event.stream !== undefined && (model.publishersOf(event).length > 0 || model.subscribersOf(event).length > 0))
    .map((event) => ({ event, stream: event.stream! }))
    .sort((a, b) => a.stream.name.localeCompare(b.stream.name) || a.event.name.localeCompare(b.event.name));
}

/** `metadata.name` of a stream's NACK resource: the stream name as a DNS label (`PRESENCE` → `presence`). */
export function streamResourceName(stream: string): string {
  return stream.toLowerCase().replace(/_/g, '-');
}

/** The stream every durable consumer's given-up messages are reported to. */
export const DEAD_LETTER_STREAM = 'DEAD_LETTERS';
/** The advisory the server publishes when a message reaches a consumer's maxDeliver. */
export const MAX_DELIVERIES_ADVISORY = '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES';
/** Size of the dead-letter stream: an advisory is about 400 bytes, so this holds some 160 000. */
export const DEAD_LETTER_BYTES = 64 * 2 ** 20;
/** The smallest a stored message takes (header, subject, sequence); maxMsgs defaults to maxBytes / this. */
const MIN_STORED_MESSAGE_BYTES = 64;

/** A stream's size bounds as written to its resource. */
export interface StreamLimits {
  readonly maxBytes: number;
  readonly maxMsgs: number;
}

/** What the JetStream stores hold, and what the streams were given. */
export interface StoreBudget {
  /** Bytes of each kind of store one server offers JetStream. */
  readonly store: { readonly file: number; readonly memory: number };
  /** Bytes the streams of each kind add up to (every server may hold a replica of each). */
  readonly used: { readonly file: number; readonly memory: number };
  readonly limits: ReadonlyMap<string, StreamLimits>;
}

/**
 * Every stream's maxBytes and maxMsgs. A stream that sets maxBytes keeps it; the others share
 * what is left of their store evenly (the file store also holds the dead-letter stream), so the
 * defaults always fit and adding a stream shrinks the others' shares. Sums are per server: a
 * server may hold a replica of every stream, so each store must hold them all.
 */
export function streamBudget(model: SystemModel, store: { file: number; memory: number }): StoreBudget {
  const streams = declaredStreams(model);
  const limits = new Map<string, StreamLimits>();
  const used = { file: 0, memory: 0 };
  const deadLetters = hasDurableConsumers(model) ? DEAD_LETTER_BYTES : 0;
  used.file += deadLetters;
  for (const kind of ['file', 'memory'] as const) {
    const ofKind = streams.filter((s) => s.stream.storage === kind);
    const explicit = ofKind.reduce((sum, s) => sum + (s.stream.maxBytes ? parseQuantity(s.stream.maxBytes) : 0), 0);
    const open = ofKind.filter((s) => !s.stream.maxBytes);
    const left = store[kind] - (kind === 'file' ? deadLetters : 0) - explicit;
    // A whole MiB each: the share is written to the resource and must not jitter by a byte.
    const share = open.length > 0 ? Math.max(0, Math.floor(left / open.length / 2 ** 20) * 2 ** 20) : 0;
    for (const { stream } of ofKind) {
      const maxBytes = stream.maxBytes ? parseQuantity(stream.maxBytes) : share;
      limits.set(stream.name, { maxBytes, maxMsgs: stream.maxMsgs ?? Math.max(1, Math.floor(maxBytes / MIN_STORED_MESSAGE_BYTES)) });
      used[kind] += maxBytes;
    }
  }
  return { store, used, limits };
}

/** True when some subscription reads through a durable consumer: only then is there a dead-letter path. */
export function hasDurableConsumers(model: SystemModel): boolean {
  return declaredStreams(model).some(({ event }) => model.subscribersOf(event).some(({ subscription }) => subscription.durable));
}
