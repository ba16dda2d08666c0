import { edgeName, plural } from './format.js';
import type { FinishedServer, MessageHop, PairingEvents, RpcPair, UnpairedSpan } from './pairing.js';
import type {
  EdgeSummary,
  HopSummary,
  ServiceSummary,
  TailBreakdown,
  UnpairedGroup,
  UnpairedSummary,
} from './result.js';
import { SampleBuffer } from './sample-buffer.js';
import type { ServiceInfo } from './span.js';
import { percentile, summarize, type Percentiles } from './stats.js';
import type { WarningCollector } from './warnings.js';

interface EdgeSamples {
  readonly caller: ServiceInfo;
  readonly callee: ServiceInfo;
  readonly operation: string;
  /** Parallel columns, one row per pair, in nanoseconds. */
  readonly client: SampleBuffer;
  readonly server: SampleBuffer;
  /** Filled in when the server span finishes; NaN until then. */
  readonly self: SampleBuffer;
  clamped: number;
  shifted: number;
}

/** Identifies a pair's row so the server's self time can be filled in later. */
export interface PairHandle {
  readonly edge: EdgeSamples;
  readonly row: number;
}

interface ServiceSamples {
  readonly service: ServiceInfo;
  readonly duration: SampleBuffer;
  readonly self: SampleBuffer;
}

interface SubjectSamples {
  readonly subject: string;
  readonly producers: Set<string>;
  readonly consumers: Set<string>;
  readonly lag: SampleBuffer;
  clamped: number;
}

/** Distinct unpaired groups kept; beyond this they are folded into one, to bound memory. */
const MAX_UNPAIRED_GROUPS = 1000;
/** Groups listed in the result. */
const LISTED_UNPAIRED_GROUPS = 10;

/**
 * Collects what the pairer finds into per-edge, per-service and per-subject sample columns,
 * then turns them into summaries. Samples are kept (8 bytes each) so percentiles are exact.
 */
export class Aggregator implements PairingEvents<PairHandle> {
  pairs = 0;
  hops = 0;
  private readonly edges: EdgeSamples[] = [];
  private readonly edgeIndex = new Map<ServiceInfo, Map<ServiceInfo, Map<string, EdgeSamples>>>();
  private readonly services = new Map<ServiceInfo, ServiceSamples>();
  private readonly subjects = new Map<string, SubjectSamples>();
  private readonly unpairedClients = new UnpairedCounter();
  private readonly unpairedServers = new UnpairedCounter();
  private unpairedProducers = 0;
  private unpairedConsumers = 0;

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
        client: new SampleBuffer(),
        server: new SampleBuffer(),
        self: new SampleBuffer(),
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
    edge.client.push(client);
    edge.server.push(server);
    return { edge, row: edge.self.push(Number.NaN) };
  }

  onServerFinished(server: FinishedServer<PairHandle>): void {
    let samples = this.services.get(server.service);
    if (samples === undefined) {
      samples = { service: server.service, duration: new SampleBuffer(), self: new SampleBuffer() };
      this.services.set(server.service, samples);
    }
    samples.duration.push(server.duration);
    samples.self.push(server.self);
    server.pair?.edge.self.set(server.pair.row, server.self);
  }

  onHop(hop: MessageHop): void {
    this.hops++;
    let subject = this.subjects.get(hop.subject);
    if (subject === undefined) {
      subject = {
        subject: hop.subject,
        producers: new Set(),
        consumers: new Set(),
        lag: new SampleBuffer(),
        clamped: 0,
      };
      this.subjects.set(hop.subject, subject);
    }
    subject.producers.add(hop.producer.id);
    subject.consumers.add(hop.consumer.id);
    const lag = hop.consumerStart - hop.producerStart;
    if (lag < 0) subject.clamped++;
    subject.lag.push(Math.max(0, lag));
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
      const client = edge.client.values();
      const server = edge.server.values();
      const self = edge.self.values();
      const boundary = new Float64Array(client.length);
      for (let i = 0; i < client.length; i++) boundary[i] = Math.max(0, client[i]! - server[i]!);
      out.push({
        caller: edge.caller.id,
        callerLanguage: edge.caller.language,
        callee: edge.callee.id,
        calleeLanguage: edge.callee.language,
        operation: edge.operation,
        pairs: client.length,
        clientMs: toMs(summarize(client)),
        serverMs: toMs(summarize(server)),
        serverSelfMs: toMs(summarize(self)),
        boundaryMs: toMs(summarize(boundary)),
        tail: tailBreakdown(client, server, self),
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
        serverSpans: s.duration.length,
        durationMs: toMs(summarize(s.duration.values())),
        selfMs: toMs(summarize(s.self.values())),
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
        hops: s.lag.length,
        lagMs: toMs(summarize(s.lag.values())),
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

/** See {@link TailBreakdown}. Inputs in nanoseconds, parallel by pair. */
function tailBreakdown(client: Float64Array, server: Float64Array, self: Float64Array): TailBreakdown {
  const threshold = percentile(client, 99);
  let pairs = 0;
  let clientSum = 0;
  let runtimeSum = 0;
  let selfSum = 0;
  for (let i = 0; i < client.length; i++) {
    const c = client[i]!;
    if (c < threshold) continue;
    // Clamped like the boundary: under clock skew the server can't take more than the whole call.
    const runtime = Math.min(c, server[i]!);
    const s = self[i]!;
    pairs++;
    clientSum += c;
    runtimeSum += runtime;
    selfSum += Number.isNaN(s) ? runtime : Math.min(s, runtime);
  }
  const runtimeShare = clientSum > 0 ? runtimeSum / clientSum : 0;
  return {
    p99ClientMs: nsToMs(threshold),
    pairs,
    boundaryShare: round4(1 - runtimeShare),
    runtimeShare: round4(runtimeShare),
    selfShareOfRuntime: round4(runtimeSum > 0 ? selfSum / runtimeSum : 0),
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
