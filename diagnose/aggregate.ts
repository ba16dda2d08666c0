import { edgeName, plural } from './format.js';
import type { CallAttempts, FinishedServer, MessageHop, PairingEvents, RpcPair, UnpairedSpan } from './pairing.js';
import type {
  EdgeSummary,
  HopSummary,
  ServiceSummary,
  TailBreakdown,
  UnpairedGroup,
  UnpairedSummary,
} from './result.js';
import { QuantileSketch } from './sketch.js';
import type { ServiceInfo } from './span.js';
import type { Percentiles } from './stats.js';
import { TailBins, type TailSums } from './tail-bins.js';
import type { WarningCollector } from './warnings.js';

interface EdgeSamples {
  readonly caller: ServiceInfo;
  readonly callee: ServiceInfo;
  readonly operation: string;
  /** Sketches of durations in nanoseconds: memory bounded whatever the number of pairs. */
  readonly client: QuantileSketch;
  readonly server: QuantileSketch;
  /** Filled in when the server span finishes. */
  readonly self: QuantileSketch;
  readonly boundary: QuantileSketch;
  /** Sums per client-duration bin, so the slowest 1% can be summed without keeping pairs. */
  readonly tail: TailBins;
  pairs: number;
  clamped: number;
  shifted: number;
}

/**
 * Identifies a pair so the server's self time can be added to its edge and tail bin later.
 *
 * Reused once its self time is in: a server span holds its handle for thousands of spans, so a
 * fresh one per pair outlived young-generation collections and was copied and promoted.
 */
export interface PairHandle {
  edge: EdgeSamples;
  sums: TailSums;
  /** The pair's runtime (server duration clamped to the client's), in nanoseconds. */
  runtime: number;
}

interface ServiceSamples {
  readonly service: ServiceInfo;
  readonly duration: QuantileSketch;
  readonly self: QuantileSketch;
}

interface SubjectSamples {
  readonly subject: string;
  readonly producers: Set<string>;
  readonly consumers: Set<string>;
  readonly lag: QuantileSketch;
  clamped: number;
}

/** Tries per call of one (caller, operation), from the client spans under each server span. */
interface AttemptCounts {
  calls: number;
  retried: number;
  maxRetries: number;
  /** Calls by retries, the last entry holding every call with more. */
  readonly perCall: number[];
}

/** Retry counts per call are kept up to this; more fall in the last entry. */
const MAX_COUNTED_RETRIES = 10;

/** Distinct unpaired groups kept; beyond this they are folded into one, to bound memory. */
const MAX_UNPAIRED_GROUPS = 1000;
/** Groups listed in the result. */
const LISTED_UNPAIRED_GROUPS = 10;

/**
 * Collects what the pairer finds into per-edge, per-service and per-subject quantile sketches,
 * then turns them into summaries. Nothing is kept per pair: memory depends on the number of
 * edges, services and subjects, not on the size of the input, and percentiles are within
 * `RELATIVE_ACCURACY` of the exact ones (see sketch.ts).
 */
export class Aggregator implements PairingEvents<PairHandle> {
  pairs = 0;
  hops = 0;
  private readonly edges: EdgeSamples[] = [];
  private readonly edgeIndex = new Map<ServiceInfo, Map<ServiceInfo, Map<string, EdgeSamples>>>();
  private readonly services = new Map<ServiceInfo, ServiceSamples>();
  private readonly subjects = new Map<string, SubjectSamples>();
  private readonly attempts = new Map<ServiceInfo, Map<string, AttemptCounts>>();
  private readonly unpairedClients = new UnpairedCounter();
  private readonly unpairedServers = new UnpairedCounter();
  private unpairedProducers = 0;
  private unpairedConsumers = 0;
  /** Handles whose self time is in, for reuse (the pairer gives each back at most once). */
  private readonly freeHandles: PairHandle[] = [];

  onPair(pair: RpcPair): PairHandle {
    this.pairs++;
    // Nested maps keyed by the (shared) service objects and operation strings: building a
    // composite string key per pair showed up in profiles.
    let byCallee = this.edgeIndex.get(pair.caller);
    if (byCallee === undefined) this.edgeIndex.set(pair.caller, (byCallee = new Map()));
    let byOperation = byCallee.get(pair.callee);
    if (byOperation === undefined) byCallee.set(pair.callee, (byOperation = new Map()));
    let edge = byOperation.get(pair.operation);
    if (edge === undefined) {
      edge = {
        caller: pair.caller,
        callee: pair.callee,
        operation: pair.operation,
        client: new QuantileSketch(),
        server: new QuantileSketch(),
        self: new QuantileSketch(),
        boundary: new QuantileSketch(),
        tail: new TailBins(),
        pairs: 0,
        clamped: 0,
        shifted: 0,
      };
      byOperation.set(pair.operation, edge);
      this.edges.push(edge);
    }
    const client = pair.clientEnd - pair.clientStart;
    const server = pair.serverEnd - pair.serverStart;
    if (server > client) edge.clamped++;
    else if (pair.serverStart < pair.clientStart || pair.serverEnd > pair.clientEnd) edge.shifted++;
    edge.pairs++;
    edge.client.add(client);
    edge.server.add(server);
    edge.boundary.add(Math.max(0, client - server));
    // Clamped like the boundary: under clock skew the server can't take more than the whole call.
    const runtime = Math.min(client, server);
    const sums = edge.tail.add(edge.client.bin(client), client, runtime);
    const handle = this.freeHandles.pop();
    if (handle === undefined) return { edge, sums, runtime };
    handle.edge = edge;
    handle.sums = sums;
    handle.runtime = runtime;
    return handle;
  }

  onServerFinished(server: FinishedServer): void {
    let samples = this.services.get(server.service);
    if (samples === undefined) {
      samples = { service: server.service, duration: new QuantileSketch(), self: new QuantileSketch() };
      this.services.set(server.service, samples);
    }
    samples.duration.add(server.duration);
    samples.self.add(server.self);
  }

  onPairSelf(pair: PairHandle, self: number): void {
    pair.edge.self.add(self);
    pair.sums.self += Math.min(self, pair.runtime);
    pair.sums.selfKnown += pair.runtime;
    this.freeHandles.push(pair);
  }

  onCallAttempts(call: CallAttempts): void {
    let byOperation = this.attempts.get(call.caller);
    if (byOperation === undefined) this.attempts.set(call.caller, (byOperation = new Map()));
    let counts = byOperation.get(call.operation);
    if (counts === undefined) byOperation.set(call.operation, (counts = { calls: 0, retried: 0, maxRetries: 0, perCall: [0] }));
    counts.calls++;
    const retries = Math.min(call.attempts - 1, MAX_COUNTED_RETRIES);
    while (counts.perCall.length <= retries) counts.perCall.push(0);
    counts.perCall[retries]!++;
    if (call.attempts > 1) {
      counts.retried++;
      counts.maxRetries = Math.max(counts.maxRetries, call.attempts - 1);
    }
  }

  onHop(hop: MessageHop): void {
    this.hops++;
    let subject = this.subjects.get(hop.subject);
    if (subject === undefined) {
      subject = {
        subject: hop.subject,
        producers: new Set(),
        consumers: new Set(),
        lag: new QuantileSketch(),
        clamped: 0,
      };
      this.subjects.set(hop.subject, subject);
    }
    subject.producers.add(hop.producer.id);
    subject.consumers.add(hop.consumer.id);
    const lag = hop.consumerStart - hop.producerStart;
    if (lag < 0) subject.clamped++;
    subject.lag.add(Math.max(0, lag));
  }

  onUnpairedClient(span: UnpairedSpan): void {
    this.unpairedClients.add(span);
  }

  onUnpairedServer(span: UnpairedSpan): void {
    this.unpairedServers.add(span);
  }

  onUnpairedProducer(): void {
    this.unpairedProducers++;
  }

  onUnpairedConsumer(): void {
    this.unpairedConsumers++;
  }

  /** All edges, slowest p99 client duration first (ties by name, for stable output). */
  edgeSummaries(): EdgeSummary[] {
    const out: EdgeSummary[] = [];
    for (const edge of this.edges) {
      const clientMs = toMs(edge.client.percentiles());
      const attempts = this.attempts.get(edge.caller)?.get(edge.operation);
      out.push({
        caller: edge.caller.id,
        callerLanguage: edge.caller.language,
        callee: edge.callee.id,
        calleeLanguage: edge.callee.language,
        operation: edge.operation,
        pairs: edge.pairs,
        clientMs,
        serverMs: toMs(edge.server.percentiles()),
        serverSelfMs: toMs(edge.self.percentiles()),
        boundaryMs: toMs(edge.boundary.percentiles()),
        tail: tailBreakdown(edge, clientMs.p99),
        retries: {
          calls: attempts?.calls ?? 0,
          retried: attempts?.retried ?? 0,
          max: attempts?.maxRetries ?? 0,
          perCall: [...(attempts?.perCall ?? [])],
        },
        clockSkewClamped: edge.clamped,
        clockSkewShifted: edge.shifted,
      });
    }
    return out.sort(
      (a, b) =>
        b.tail.p99ClientMs - a.tail.p99ClientMs ||
        compare(a.caller, b.caller) ||
        compare(a.callee, b.callee) ||
        compare(a.operation, b.operation),
    );
  }

  /** Services with server spans, by p99 self time, highest first. */
  serviceSummaries(): ServiceSummary[] {
    return [...this.services.values()]
      .map((s) => ({
        service: s.service.id,
        language: s.service.language,
        serverSpans: s.duration.count,
        durationMs: toMs(s.duration.percentiles()),
        selfMs: toMs(s.self.percentiles()),
      }))
      .sort((a, b) => b.selfMs.p99 - a.selfMs.p99 || compare(a.service, b.service));
  }

  /** Messaging subjects by p99 lag, highest first. */
  hopSummaries(): HopSummary[] {
    return [...this.subjects.values()]
      .map((s) => ({
        subject: s.subject,
        producers: [...s.producers].sort(compare),
        consumers: [...s.consumers].sort(compare),
        hops: s.lag.count,
        lagMs: toMs(s.lag.percentiles()),
        negativeLagClamped: s.clamped,
      }))
      .sort((a, b) => b.lagMs.p99 - a.lagMs.p99 || compare(a.subject, b.subject));
  }

  unpairedSummary(): UnpairedSummary {
    return {
      clientsWithoutServer: this.unpairedClients.total,
      clientGroups: this.unpairedClients.top(LISTED_UNPAIRED_GROUPS),
      serversWithoutClient: this.unpairedServers.total,
      serverGroups: this.unpairedServers.top(LISTED_UNPAIRED_GROUPS),
      producersWithoutConsumer: this.unpairedProducers,
      consumersWithoutProducer: this.unpairedConsumers,
    };
  }

  /** Adds the clock-skew warnings, one per affected edge or subject and kind of skew. */
  warnClockSkew(warnings: WarningCollector): void {
    for (const edge of this.edges) {
      const name = edgeName(edge.caller.id, edge.callee.id);
      if (edge.clamped > 0) {
        warnings.add({
          code: 'clock-skew',
          message:
            `${plural(edge.clamped, 'pair')} on ${name} had server spans longer than the client span: ` +
            'clock skew between hosts; boundary clamped to 0',
        });
      }
      if (edge.shifted > 0) {
        warnings.add({
          code: 'clock-skew',
          message:
            `${plural(edge.shifted, 'pair')} on ${name} had server spans starting before or ending after the client span: ` +
            'the hosts\' clocks disagree; durations come from one clock each, so runtime and boundary are unaffected',
        });
      }
    }
    for (const subject of this.subjects.values()) {
      if (subject.clamped === 0) continue;
      warnings.add({
        code: 'negative-lag',
        message:
          `${plural(subject.clamped, 'hop')} on ${subject.subject} had the consumer start before the producer: ` +
          'clock skew between hosts; lag clamped to 0',
      });
    }
  }
}

/** Counts unpaired spans by (service, target), with a bounded number of groups. */
class UnpairedCounter {
  total = 0;
  private readonly groups = new Map<string, { service: string; target: string; count: number }>();

  add(span: UnpairedSpan): void {
    this.total++;
    const key = `${span.service.id}\u0000${span.target}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      const full = this.groups.size >= MAX_UNPAIRED_GROUPS;
      const groupKey = full ? `${span.service.id}\u0001` : key;
      group = this.groups.get(groupKey) ?? { service: span.service.id, target: full ? '(other)' : span.target, count: 0 };
      this.groups.set(groupKey, group);
    }
    group.count++;
  }

  top(n: number): UnpairedGroup[] {
    return [...this.groups.values()]
      .sort((a, b) => b.count - a.count || compare(a.service, b.service) || compare(a.target, b.target))
      .slice(0, n)
      .map((g) => ({ ...g }));
  }
}

/**
 * See {@link TailBreakdown}: sums over the pairs whose client duration falls in the p99's sketch
 * bin or above, so the slowest 1% is found to within the sketch's relative accuracy.
 */
function tailBreakdown(edge: EdgeSamples, p99ClientMs: number): TailBreakdown {
  const threshold = edge.client.quantile(0.99);
  const sums = edge.tail.sumFrom(edge.client.bin(threshold));
  // A pair whose server span never finished (cannot happen once the pairer is flushed) counts as all self.
  const self = sums.self + (sums.runtime - sums.selfKnown);
  const runtimeShare = sums.client > 0 ? sums.runtime / sums.client : 0;
  return {
    p99ClientMs,
    pairs: sums.pairs,
    boundaryShare: round4(1 - runtimeShare),
    runtimeShare: round4(runtimeShare),
    selfShareOfRuntime: round4(sums.runtime > 0 ? self / sums.runtime : 0),
  };
}

function toMs(p: Percentiles): Percentiles {
  return { p50: nsToMs(p.p50), p95: nsToMs(p.p95), p99: nsToMs(p.p99) };
}

/** Milliseconds rounded to the microsecond: finer digits are noise and clutter `--json`. */
function nsToMs(ns: number): number {
  return Math.round(ns / 1e3) / 1e3;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Locale-independent, so output is byte-identical everywhere. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
