import { selfTime } from './self-time.js';
import { SpanKind, type ServiceInfo, type SpanLinkRef, type SpanRecord } from './span.js';
import {
  ChildIntervals,
  ClientEntry,
  isClient,
  isServer,
  ServerEntry,
  type CallEntry,
  type CallSide,
  type ConsumerEntry,
  type ProducerEntry,
  type WaitingConsumers,
} from './pairing-entries.js';
import { SpanKey, TraceReader } from './span-key.js';
import { SpanKeyTable } from './span-key-table.js';

/** A CLIENT span matched with the SERVER span it caused. Times in relative nanoseconds. */
export interface RpcPair {
  readonly caller: ServiceInfo;
  readonly callee: ServiceInfo;
  /** `rpc.service/rpc.method` of either side, else the server (or client) span name. */
  readonly operation: string;
  readonly clientStart: number;
  readonly clientEnd: number;
  readonly serverStart: number;
  readonly serverEnd: number;
}

/** A SERVER span whose children can no longer arrive (it left the window, or the file ended). */
export interface FinishedServer {
  readonly service: ServiceInfo;
  readonly duration: number;
  /**
   * Duration minus the time covered by its outgoing CLIENT/PRODUCER spans, whether direct
   * children or beneath in-process INTERNAL spans.
   */
  readonly self: number;
}

/**
 * The tries of one call: a server span's outgoing CLIENT spans with the same operation. A gRPC
 * client retrying makes one CLIENT span per try under the same parent, so `attempts − 1` is the
 * retries of that call (a handler that deliberately calls the same method twice counts as one
 * retry too: traces cannot tell the two apart).
 */
export interface CallAttempts {
  readonly caller: ServiceInfo;
  /** The client spans' operation (`rpc.service/rpc.method`, else the span name). */
  readonly operation: string;
  readonly attempts: number;
}

/** A PRODUCER span matched with one CONSUMER span (fan-out yields several hops). */
export interface MessageHop {
  readonly producer: ServiceInfo;
  readonly consumer: ServiceInfo;
  /** `messaging.destination.name` of either side, else the producer span name. */
  readonly subject: string;
  readonly producerStart: number;
  readonly consumerStart: number;
}

/** An unpaired span, as reported when it leaves the window. */
export interface UnpairedSpan {
  readonly service: ServiceInfo;
  /** For clients: who it meant to call; for servers: the operation; for messages: the subject. */
  readonly target: string;
}

/** Receives everything the pairer finds. */
export interface PairingEvents<H> {
  /** @returns a handle attached to the server span and given back in `onPairSelf`. */
  onPair(pair: RpcPair): H;
  onServerFinished(server: FinishedServer): void;
  /**
   * The self time of a paired server span, once it is both paired and finished (either order).
   * Called at most once per handle, and the pairer drops the handle then: it may be reused.
   */
  onPairSelf(pair: H, self: number): void;
  /** Once per distinct outgoing operation of a finished server span. */
  onCallAttempts(call: CallAttempts): void;
  onHop(hop: MessageHop): void;
  /** A CLIENT span no SERVER span claimed (callee not instrumented, or spans dropped). */
  onUnpairedClient(span: UnpairedSpan): void;
  /** A SERVER span whose parent CLIENT span never showed up. Root servers are not reported. */
  onUnpairedServer(span: UnpairedSpan): void;
  onUnpairedProducer(span: UnpairedSpan): void;
  onUnpairedConsumer(span: UnpairedSpan): void;
}

/** Options for {@link SpanPairer}. */
export interface PairingOptions {
  /**
   * How many CLIENT/SERVER/PRODUCER/CONSUMER spans later a span is given up on: an unpaired
   * span is reported as such. This bounds memory on any file size; raise it if services' spans
   * for the same trace sit far apart in the file. (A server span accepts late children for at
   * most 8,192 spans of it, or this window if smaller.)
   * @default 250000
   */
  window?: number;
}


/**
 * How many spans after a server span its late children may still arrive. Children end before
 * their parent and each SDK exports spans as they end, so a server's outgoing calls arrive before
 * it or in the same batch; only calls that outlive the handler come later. Holding every server
 * span for the whole pairing window instead made it the largest set in memory and most of the
 * garbage collector's work.
 */
const LATE_CHILDREN_WINDOW = 8192;

/**
 * Eviction runs at most every this many spans rather than on every span; the window is
 * approximate by this much. Each run scans the maps from the front, past the holes paired
 * entries left, so running it less often is most of its cost saved.
 */
const EVICT_EVERY = 4096;

/**
 * Streams spans in file order and pairs CLIENT→SERVER and PRODUCER→CONSUMER spans, holding
 * only spans still waiting for a counterpart (and server spans still collecting children).
 *
 * Spans arrive in any order: each service exports on its own schedule, and children end (and
 * so are exported) before their parents. Every waiting span lives in an insertion-ordered
 * {@link SpanKeyTable}, so dropping the ones older than the window is a scan from the front.
 */
export class SpanPairer<H> {
  private seq = 0;
  private readonly window: number;
  /** How long a server span keeps accepting children that arrive after it. */
  private readonly lateWindow: number;
  private readonly evictEvery: number;
  /**
   * Calls waiting for their other side, by the client span's id: a client span waiting for its
   * server child, or a server span (also in `servers`) waiting for its client parent. The two
   * never wait under one id at once, so one table does, with one lookup per span.
   */
  private readonly calls = new SpanKeyTable<CallEntry<H>>();
  /** Server spans still collecting children, by span id. */
  private readonly servers = new SpanKeyTable<ServerEntry<H>>();
  /** Client/producer intervals whose parent (server or internal) span has not arrived yet, by parent id. */
  private readonly orphanChildren = new SpanKeyTable<ChildIntervals>();
  /** Producers stay for the whole window: NATS fan-out gives one producer many consumers. */
  private readonly producers = new SpanKeyTable<ProducerEntry>();
  /** Consumers whose producer has not arrived, by their own ids (rare: most find it here). */
  private readonly consumers = new SpanKeyTable<ConsumerEntry>();
  /** The same consumers by each span their producer may be: parent, then links. */
  private readonly consumersByProducer = new SpanKeyTable<WaitingConsumers>();
  /** Finished server entries, for reuse (see {@link ServerEntry}). */
  private readonly freeServers: ServerEntry<H>[] = [];
  /** Entries done with, for reuse (see pairing-entries.ts). */
  private readonly freeProducers: ProducerEntry[] = [];
  private readonly freeClients: ClientEntry[] = [];
  private readonly freeOrphans: ChildIntervals[] = [];
  /** The current span's (trace id, span id), and (trace id, parent span id): overwritten per span. */
  private readonly traces = new TraceReader();
  private readonly own = new SpanKey(this.traces);
  private readonly parent = new SpanKey(this.traces);
  /** For a consumer's references to its producer. */
  private readonly ref = new SpanKey(this.traces);

  constructor(
    private readonly events: PairingEvents<H>,
    options: PairingOptions = {},
  ) {
    this.window = options.window ?? 250_000;
    this.lateWindow = Math.min(this.window, LATE_CHILDREN_WINDOW);
    this.evictEvery = Math.max(1, Math.min(EVICT_EVERY, Math.floor(this.lateWindow / 2)));
  }

  add(span: SpanRecord): void {
    if (span.kind === SpanKind.Internal || span.kind === SpanKind.Unspecified) {
      // Not counted towards the window: they hold no memory here, and real traces have many.
      this.forwardChildren(span);
      return;
    }
    this.seq++;
    switch (span.kind) {
      case SpanKind.Client:
        this.addChildInterval(span);
        this.addClient(span);
        break;
      case SpanKind.Producer:
        this.addChildInterval(span);
        this.addProducer(span);
        break;
      case SpanKind.Server:
        this.addServer(span);
        break;
      case SpanKind.Consumer:
        this.addConsumer(span);
        break;
    }
    if (this.seq % this.evictEvery === 0) this.evict(this.seq - this.window);
  }

  /** Flushes everything still waiting: call once at the end of the input. */
  finish(): void {
    this.evict(Number.POSITIVE_INFINITY);
  }

  private addClient(span: SpanRecord): void {
    const own = this.own.set(span.traceId, span.spanId);
    const server = this.calls.takeIf(own, isServer);
    if (server !== undefined) {
      server.waiting = false;
      this.pair(span, server);
      return;
    }
    this.calls.set(own, (this.freeClients.pop() ?? new ClientEntry()).fill(span), this.seq);
  }

  private addServer(span: SpanRecord): void {
    const { traceId, parentSpanId } = span;
    const own = this.own.set(traceId, span.spanId);
    const early = this.orphanChildren.size === 0 ? undefined : this.orphanChildren.take(own);
    const entry = (this.freeServers.pop() ?? new ServerEntry<H>()).fill(span);
    if (early !== undefined) {
      entry.addAll(early);
      this.freeOrphans.push(early);
    }
    this.servers.set(own, entry, this.seq);
    if (!parentSpanId) return;
    const parent = this.parent.set(traceId, parentSpanId);
    const client = this.calls.takeIf(parent, isClient);
    if (client !== undefined) {
      this.pair(client, entry);
      this.freeClients.push(client);
    } else {
      entry.waiting = true;
      this.calls.set(parent, entry, this.seq);
    }
  }

  private pair(client: CallSide, server: ServerEntry<H>): void {
    const pair = (server.pair = this.events.onPair({
      caller: client.service,
      callee: server.service,
      operation: server.operation ?? client.operation ?? (server.name || client.name),
      clientStart: client.start,
      clientEnd: client.end,
      serverStart: server.start,
      serverEnd: server.end,
    }));
    if (!Number.isNaN(server.self)) {
      this.events.onPairSelf(pair, server.self);
      server.pair = undefined;
    }
  }

  /** Records a client/producer span as time its parent (server) span spent waiting. */
  private addChildInterval(span: SpanRecord): void {
    const { traceId, parentSpanId } = span;
    if (!parentSpanId) return;
    // Producers are not tries of a call: a handler may publish to one subject many times.
    const op = span.kind === SpanKind.Client ? (span.operation ?? span.name) : '';
    const parent = this.parent.set(traceId, parentSpanId);
    const server = this.servers.get(parent);
    if (server !== undefined) {
      server.addChild(span.start, span.end, op);
      return;
    }
    let orphans = this.orphanChildren.get(parent);
    if (orphans === undefined) {
      orphans = this.freeOrphans.pop() ?? new ChildIntervals();
      orphans.childCount = 0;
      this.orphanChildren.set(parent, orphans, this.seq);
    }
    orphans.addChild(span.start, span.end, op);
  }

  /**
   * An in-process span (a handler, a Rust `tracing` span) between a server span and its
   * outgoing calls: hands the calls' intervals up to its parent, so the server's self time
   * excludes them. Children end, and so arrive, before this span; later ones are missed.
   */
  private forwardChildren(span: SpanRecord): void {
    const { traceId, spanId, parentSpanId } = span;
    if (!parentSpanId) return;
    if (this.orphanChildren.size === 0) return;
    const orphans = this.orphanChildren.take(this.own.set(traceId, spanId));
    if (orphans === undefined) return;
    const parent = this.parent.set(traceId, parentSpanId);
    const target = this.servers.get(parent);
    if (target !== undefined) {
      target.addAll(orphans);
      this.freeOrphans.push(orphans);
      return;
    }
    const existing = this.orphanChildren.get(parent);
    if (existing === undefined) {
      // A new entry: it takes this span's place in eviction order, as the joined intervals did.
      this.orphanChildren.set(parent, orphans, this.seq);
    } else {
      existing.addAll(orphans);
      this.freeOrphans.push(orphans);
    }
  }

  private addProducer(span: SpanRecord): void {
    const { traceId, spanId } = span;
    const entry = this.freeProducers.pop() ?? { service: span.service, subject: undefined, name: '', start: 0, consumers: 0 };
    entry.service = span.service;
    entry.subject = span.destination;
    entry.name = span.name;
    entry.start = span.start;
    entry.consumers = 0;
    const own = this.own.set(traceId, spanId);
    const waiting = this.consumersByProducer.size === 0 ? undefined : this.consumersByProducer.take(own);
    if (waiting !== undefined) {
      for (const consumer of waiting.waiting) {
        this.consumers.delete(this.ref.set(consumer.traceId, consumer.spanId));
        this.unindexConsumer(consumer);
        this.hop(entry, consumer.service, consumer.subject, consumer.start);
      }
    }
    this.producers.set(own, entry, this.seq);
  }

  private addConsumer(span: SpanRecord): void {
    // Usually the producer is here already: found through the parent, then each link, in the
    // order the waiting entry below would try them, without building that entry.
    if (this.producers.size > 0) {
      let producer = span.parentSpanId ? this.producers.get(this.ref.set(span.traceId, span.parentSpanId)) : undefined;
      for (let i = 0; producer === undefined && i < (span.links?.length ?? 0); i++) {
        const link = span.links![i]!;
        producer = this.producers.get(this.ref.set(link.traceId, link.spanId));
      }
      if (producer !== undefined) return this.hop(producer, span.service, span.destination, span.start);
    }
    const producerRefs: SpanLinkRef[] = [];
    if (span.parentSpanId) producerRefs.push({ traceId: span.traceId, spanId: span.parentSpanId });
    for (const link of span.links ?? []) producerRefs.push(link);
    const entry: ConsumerEntry = {
      traceId: span.traceId,
      spanId: span.spanId,
      producerRefs,
      service: span.service,
      subject: span.destination,
      name: span.name,
      start: span.start,
    };
    if (producerRefs.length === 0) {
      this.events.onUnpairedConsumer({ service: span.service, target: span.destination ?? span.name });
      return;
    }
    this.consumers.set(this.ref.set(entry.traceId, entry.spanId), entry, this.seq);
    for (const ref of producerRefs) {
      const key = this.ref.set(ref.traceId, ref.spanId);
      const list = this.consumersByProducer.get(key);
      if (list === undefined) this.consumersByProducer.set(key, { waiting: [entry] }, this.seq);
      else list.waiting.push(entry);
    }
  }

  /** A consumer may wait under several keys (parent and links); once it is paired or given up on, none should keep it alive. */
  private unindexConsumer(entry: ConsumerEntry): void {
    for (const ref of entry.producerRefs) {
      const key = this.ref.set(ref.traceId, ref.spanId);
      const list = this.consumersByProducer.get(key);
      if (list === undefined) continue;
      const remaining = list.waiting.filter((waiting) => waiting !== entry);
      if (remaining.length === 0) this.consumersByProducer.delete(key);
      else list.waiting = remaining;
    }
  }

  private hop(producer: ProducerEntry, consumer: ServiceInfo, consumerSubject: string | undefined, consumerStart: number): void {
    producer.consumers++;
    this.events.onHop({
      producer: producer.service,
      consumer,
      subject: producer.subject ?? consumerSubject ?? producer.name,
      producerStart: producer.start,
      consumerStart,
    });
  }

  /** Gives up on every waiting span that arrived before sequence number `limit`. */
  private evict(limit: number): void {
    const { events } = this;
    this.servers.evictBefore(limit + this.window - this.lateWindow, (entry) => this.finishServer(entry));
    this.calls.evictBefore(limit, (entry) => {
      if (entry instanceof ServerEntry) {
        // Already finished just above (its late window is no longer); left to the collector.
        entry.waiting = false;
        events.onUnpairedServer({ service: entry.service, target: entry.operation ?? entry.name });
      } else {
        events.onUnpairedClient({ service: entry.service, target: entry.peer ?? entry.operation ?? entry.name });
        this.freeClients.push(entry);
      }
    });
    this.orphanChildren.evictBefore(limit, (orphans) => this.freeOrphans.push(orphans));
    this.producers.evictBefore(limit, (entry) => {
      if (entry.consumers === 0) events.onUnpairedProducer({ service: entry.service, target: entry.subject ?? entry.name });
      this.freeProducers.push(entry);
    });
    this.consumers.evictBefore(limit, (entry) => {
      this.unindexConsumer(entry);
      events.onUnpairedConsumer({ service: entry.service, target: entry.subject ?? entry.name });
    });
  }

  /** The span takes no more children: its self time is final. It may still wait for its client. */
  private finishServer(entry: ServerEntry<H>): void {
    const self = selfTime(entry.start, entry.end, entry.children, 2 * entry.childCount);
    entry.self = self;
    this.events.onServerFinished({ service: entry.service, duration: entry.end - entry.start, self });
    if (entry.pair !== undefined) this.events.onPairSelf(entry.pair, self);
    entry.pair = undefined;
    if (entry.childCount > 0) this.reportAttempts(entry.service, entry.childOps, entry.childCount);
    if (!entry.waiting) this.freeServers.push(entry);
  }

  /** Counts the tries per operation among one server span's children (a handful: quadratic is fine). */
  private reportAttempts(caller: ServiceInfo, ops: readonly string[], count: number): void {
    for (let i = 0; i < count; i++) {
      const operation = ops[i]!;
      if (operation === '') continue;
      let attempts = 1;
      let seenBefore = false;
      for (let j = 0; j < i && !seenBefore; j++) seenBefore = ops[j] === operation;
      if (seenBefore) continue;
      for (let j = i + 1; j < count; j++) if (ops[j] === operation) attempts++;
      this.events.onCallAttempts({ caller, operation, attempts });
    }
  }
}
