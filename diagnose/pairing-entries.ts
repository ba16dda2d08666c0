/**
 * What the pairer keeps for a span while it waits: small, mutable entries that it recycles.
 *
 * Span ids are not kept here: they live in the pairer's `SpanKeyTable` keys as numbers. Entries are
 * reused once done with because a span waits for hundreds to thousands of spans, long enough to
 * outlive a young-generation collection: a fresh object per span (with its boxed times and child
 * arrays) was copied and promoted by the collector, a recycled one is already old and its number
 * fields are updated in place.
 */
import type { ServiceInfo, SpanLinkRef, SpanRecord } from './span.js';

/** The fields of one side of a call that pairing needs. */
export type CallSide = Pick<SpanRecord, 'service' | 'operation' | 'name' | 'start' | 'end'>;

const NO_SERVICE: ServiceInfo = { id: '', language: undefined };

/** A CLIENT span waiting for its SERVER child. */
export class ClientEntry implements CallSide {
  service = NO_SERVICE;
  operation: string | undefined = undefined;
  name = '';
  start = Number.NaN;
  end = Number.NaN;
  peer: string | undefined = undefined;

  /** Copies what pairing needs from `span`; returns this. */
  fill(span: SpanRecord): this {
    this.service = span.service;
    this.operation = span.operation;
    this.name = span.name;
    this.start = span.start;
    this.end = span.end;
    this.peer = span.peer;
    return this;
  }
}

/**
 * Intervals of a parent span's outgoing calls (CLIENT and PRODUCER children), in arrival order.
 * The arrays keep their storage across reuse; only the first `childCount` children are in use.
 */
export class ChildIntervals {
  /** Flat `[start, end, …]`; the first `2 · childCount` are in use. */
  readonly children: number[] = [];
  /** The operation of each child (one per interval); '' for producers. */
  readonly childOps: string[] = [];
  childCount = 0;

  addChild(start: number, end: number, operation: string): void {
    const i = this.childCount++;
    this.children[2 * i] = start;
    this.children[2 * i + 1] = end;
    this.childOps[i] = operation;
  }

  /** Appends every child of `other`, in its order. */
  addAll(other: ChildIntervals): void {
    for (let i = 0; i < other.childCount; i++) this.addChild(other.children[2 * i]!, other.children[2 * i + 1]!, other.childOps[i]!);
  }
}

/** A SERVER span while it collects children, and while it waits for its client. */
export class ServerEntry<H> extends ChildIntervals implements CallSide {
  service = NO_SERVICE;
  operation: string | undefined = undefined;
  name = '';
  start = Number.NaN;
  end = Number.NaN;
  /** Its duration minus its children's, once it stops collecting children; NaN until then. */
  self = Number.NaN;
  pair: H | undefined = undefined;
  /** In `calls`, waiting for its client span: not to be recycled yet. */
  waiting = false;

  /** Resets this entry for `span`; returns this. */
  fill(span: SpanRecord): this {
    this.service = span.service;
    this.operation = span.operation;
    this.name = span.name;
    this.start = span.start;
    this.end = span.end;
    this.self = Number.NaN;
    this.childCount = 0;
    this.pair = undefined;
    this.waiting = false;
    return this;
  }
}

/** What waits in the pairer's `calls` table under a client span's id. */
export type CallEntry<H> = ClientEntry | ServerEntry<H>;

export function isServer<H>(entry: CallEntry<H>): entry is ServerEntry<H> {
  return entry instanceof ServerEntry;
}

export function isClient<H>(entry: CallEntry<H>): entry is ClientEntry {
  return entry instanceof ClientEntry;
}

/** A PRODUCER span, for the whole window: NATS fan-out gives one producer many consumers. */
export interface ProducerEntry {
  service: ServiceInfo;
  subject: string | undefined;
  name: string;
  start: number;
  consumers: number;
}

/**
 * A CONSUMER span whose producer has not arrived. Rare (most consumers find their producer
 * already there); it keeps its ids as strings, to find and remove itself under each reference.
 */
export interface ConsumerEntry {
  readonly traceId: string;
  readonly spanId: string;
  /** Where its producer may be: the parent span, then each link. */
  readonly producerRefs: readonly SpanLinkRef[];
  readonly service: ServiceInfo;
  readonly subject: string | undefined;
  readonly name: string;
  readonly start: number;
}

/** Consumers waiting for one producer span (by parent or link). */
export interface WaitingConsumers {
  waiting: ConsumerEntry[];
}
