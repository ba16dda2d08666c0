import { mulberry32 } from './prng.js';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/**
 * A latency distribution in milliseconds: uniform in [min, max], plus an optional rare
 * "spike" range that makes the tail. Uniform pieces keep the true percentiles easy to
 * compute, so tests know the answers.
 */
export interface Latency {
  readonly min: number;
  readonly max: number;
  readonly spike?: { readonly probability: number; readonly min: number; readonly max: number };
}

/** A service in a fixture model: becomes the OTel resource of its spans. */
export interface FixtureService {
  readonly name: string;
  /** `telemetry.sdk.language`, e.g. `nodejs`, `go`, `rust`, `erlang`; left out of the resource when unset. */
  readonly language?: string;
  readonly namespace?: string;
}

/** A gRPC call from `caller` to `callee`, made once per request that reaches the caller. */
export interface FixtureCall {
  readonly caller: string;
  readonly callee: string;
  readonly rpcService: string;
  readonly rpcMethod: string;
  /** The callee's own work per call (its server span self time). */
  readonly runtime: Latency;
  /** Client duration − server duration: half before the server span, half after. */
  readonly boundary: Latency;
  /**
   * Retried calls: with this probability a call makes `retries` more tries before the one that
   * answers, each a whole client → server call of its own, one after the other.
   * @default - never retried
   */
  readonly retry?: { readonly probability: number; readonly retries: number };
}

/** A NATS publish from `producer` received by `consumer` (consumer's parent = producer span). */
export interface FixtureMessaging {
  readonly producer: string;
  readonly consumer: string;
  readonly subject: string;
  /** Consumer start − producer start. */
  readonly lag: Latency;
}

/** A service that takes requests from outside the system (a root server span). */
export interface FixtureEntry {
  readonly service: string;
  readonly route: string;
  readonly runtime: Latency;
}

/** The system a fixture simulates. */
export interface FixtureModel {
  readonly services: readonly FixtureService[];
  /** The service receiving each request (a root server span) and its own work. */
  readonly entry: FixtureEntry;
  /** More services receiving requests from outside: each makes its own trace, once per request. */
  readonly moreEntries?: readonly FixtureEntry[];
  /** Calls each service makes, sequentially, in this order. Must form a DAG. */
  readonly calls: readonly FixtureCall[];
  /** One message per request trace for each entry. */
  readonly messaging: readonly FixtureMessaging[];
}

/**
 * gateway (nodejs) → identity (go) → jwt-signer (rust), gateway → ranking (rust), and a NATS
 * hop presence-publisher (go) → presence (erlang). Designed answers:
 * - gateway → ranking: the boundary is ≈ 60% of p99 (rare 28–32 ms queueing spikes on a
 *   18–22 ms runtime).
 * - identity → jwt-signer: the runtime (jwt-signer) is ≈ 99% of p99 (rare 60–80 ms spikes).
 * - gateway → identity: the slowest edge; the runtime dominates but identity is mostly
 *   waiting on jwt-signer.
 */
export const DEFAULT_MODEL: FixtureModel = {
  services: [
    { name: 'gateway', language: 'nodejs' },
    { name: 'identity', language: 'go' },
    { name: 'jwt-signer', language: 'rust' },
    { name: 'ranking', language: 'rust' },
    { name: 'presence-publisher', language: 'go' },
    { name: 'presence', language: 'erlang' },
  ],
  entry: { service: 'gateway', route: 'GET /search', runtime: { min: 1, max: 2 } },
  calls: [
    {
      caller: 'gateway',
      callee: 'identity',
      rpcService: 'identity.v1.Identity',
      rpcMethod: 'Verify',
      runtime: { min: 2, max: 4 },
      boundary: { min: 0.5, max: 1.5 },
    },
    {
      caller: 'identity',
      callee: 'jwt-signer',
      rpcService: 'jwt.v1.Signer',
      rpcMethod: 'Sign',
      runtime: { min: 3, max: 5, spike: { probability: 0.03, min: 60, max: 80 } },
      boundary: { min: 0.2, max: 0.6 },
    },
    {
      caller: 'gateway',
      callee: 'ranking',
      rpcService: 'ranking.v1.Ranking',
      rpcMethod: 'Rank',
      runtime: { min: 18, max: 22 },
      boundary: { min: 1, max: 3, spike: { probability: 0.03, min: 28, max: 32 } },
    },
  ],
  messaging: [
    {
      producer: 'presence-publisher',
      consumer: 'presence',
      subject: 'presence.updates',
      lag: { min: 0.5, max: 2, spike: { probability: 0.02, min: 20, max: 30 } },
    },
  ],
};

/** A span for {@link exportRequestLine}; times in milliseconds after the fixture's base time. */
export interface FixtureSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  readonly start: number;
  readonly end: number;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly links?: readonly { readonly traceId: string; readonly spanId: string }[];
}

/** One service's spans in an export request. */
export interface FixtureBatch {
  readonly service: FixtureService;
  readonly spans: readonly FixtureSpan[];
}

/** Encoding choices for {@link exportRequestLine}. */
export interface EncodeOptions {
  /**
   * Write span kinds as OTLP integers (what the collector's file exporter writes) or as enum
   * names (`"SPAN_KIND_SERVER"`, what protojson with names writes).
   * @default 'int'
   */
  kindAs?: 'int' | 'string';
}

/** Unix time of fixture time 0, in nanoseconds: 2023-11-14T22:13:20Z. */
const BASE_UNIX_NANO = 1_700_000_000_000_000_000n;

const KIND_NUMBERS = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

/**
 * Encodes batches as one OTLP JSON `ExportTraceServiceRequest` line (no trailing newline),
 * the way the collector's file exporter writes them. Handy for hand-made test input.
 */
export function exportRequestLine(batches: readonly FixtureBatch[], options: EncodeOptions = {}): string {
  const kindAs = options.kindAs ?? 'int';
  return JSON.stringify({
    resourceSpans: batches.map((batch) => ({
      resource: {
        attributes: [
          attr('service.name', batch.service.name),
          ...(batch.service.namespace ? [attr('service.namespace', batch.service.namespace)] : []),
          ...(batch.service.language ? [attr('telemetry.sdk.language', batch.service.language)] : []),
          attr('telemetry.sdk.name', 'opentelemetry'),
        ],
      },
      scopeSpans: [
        {
          scope: { name: 'polyglot.fixtures', version: '1.0.0' },
          spans: batch.spans.map((span) => ({
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
            name: span.name,
            kind: kindAs === 'int' ? KIND_NUMBERS[span.kind] : `SPAN_KIND_${span.kind.toUpperCase()}`,
            startTimeUnixNano: unixNano(span.start),
            endTimeUnixNano: unixNano(span.end),
            attributes: Object.entries(span.attributes ?? {}).map(([key, value]) => attr(key, value)),
            ...(span.links ? { links: span.links } : {}),
            status: {},
          })),
        },
      ],
    })),
  });
}

/** Options for {@link generateTraceLines}. */
export interface TraceFixtureOptions extends EncodeOptions {
  /** Seed of the PRNG: the same seed gives the same lines. */
  seed: number;
  /**
   * Request traces to generate (each also sends one message per messaging hop).
   * @default 1000
   */
  traces?: number;
  /** @default DEFAULT_MODEL */
  model?: FixtureModel;
  /** Checked between traces; return true to stop early (buffered spans are still flushed). */
  stop?: () => boolean;
}

/** Spans one request trace of `model` produces, messaging included. */
export function spansPerTrace(model: FixtureModel = DEFAULT_MODEL): number {
  const perService = (service: string, depth: number): number => {
    if (depth > MAX_DEPTH) throw new Error('fixture model calls form a cycle');
    return model.calls
      .filter((c) => c.caller === service)
      .reduce((n, c) => n + 1 + perService(c.callee, depth + 1), 1);
  };
  if (model.calls.some((c) => c.retry)) throw new Error('retried calls make the span count per trace vary');
  const entries = [model.entry, ...(model.moreEntries ?? [])];
  return entries.reduce((n, e) => n + perService(e.service, 0), 0) + 2 * model.messaging.length;
}

const MAX_DEPTH = 16;
/** Each service exports in batches of its own size, so services interleave in the file like real exporters. */
const SERVICE_BATCH_BASE = 40;
const SERVICE_BATCH_STEP = 17;
/** The "collector" writes a line once this many spans are waiting. */
const COLLECTOR_BATCH = 256;

/**
 * Generates OTLP JSON lines (without newlines) simulating `model`, deterministically from
 * `seed`. Services flush their spans in batches of different sizes and children are
 * exported before parents, so client and server spans of a call land in different lines,
 * in either order.
 */
export function* generateTraceLines(options: TraceFixtureOptions): Generator<string> {
  const model = options.model ?? DEFAULT_MODEL;
  const traces = options.traces ?? 1000;
  const rand = mulberry32(options.seed);
  const services = new Map(model.services.map((s) => [s.name, s]));
  const serviceOf = (name: string): FixtureService => {
    const service = services.get(name);
    if (service === undefined) throw new Error(`fixture model has no service ${name}`);
    return service;
  };
  const buffers = new Map<string, FixtureSpan[]>(model.services.map((s) => [s.name, []]));
  const batchSize = new Map(model.services.map((s, i) => [s.name, SERVICE_BATCH_BASE + SERVICE_BATCH_STEP * i]));
  let pending: FixtureBatch[] = [];
  let pendingSpans = 0;

  const hex = (words: number): string => {
    let out = '';
    for (let i = 0; i < words; i++) out += ((rand() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return out;
  };
  const sample = (latency: Latency): number => {
    const spike = latency.spike;
    if (spike !== undefined && rand() < spike.probability) return spike.min + rand() * (spike.max - spike.min);
    return latency.min + rand() * (latency.max - latency.min);
  };

  /** Emits a server span for `service` and its outgoing calls; returns its end time. */
  const serve = (
    spans: [string, FixtureSpan][],
    traceId: string,
    service: string,
    parentSpanId: string | undefined,
    start: number,
    runtime: number,
    name: string,
    attributes: Record<string, string>,
    depth: number,
  ): number => {
    if (depth > MAX_DEPTH) throw new Error('fixture model calls form a cycle');
    const spanId = hex(2);
    // Half the own work before the calls, half after: self time is exactly `runtime`.
    let t = start + runtime / 2;
    for (const call of model.calls) {
      if (call.caller !== service) continue;
      const tries = call.retry !== undefined && rand() < call.retry.probability ? 1 + call.retry.retries : 1;
      for (let attempt = 0; attempt < tries; attempt++) t = callOnce(spans, traceId, service, spanId, call, t, depth);
    }
    const end = t + runtime / 2;
    spans.push([service, { traceId, spanId, parentSpanId, name, kind: 'server', start, end, attributes }]);
    return end;
  };

  /** One try of `call` from the server span `spanId`, starting at `start`; returns when it ended. */
  const callOnce = (spans: [string, FixtureSpan][], traceId: string, service: string, spanId: string, call: FixtureCall, start: number, depth: number): number => {
    const boundary = sample(call.boundary);
    const clientId = hex(2);
    const clientStart = start;
    const operation = { 'rpc.system': 'grpc', 'rpc.service': call.rpcService, 'rpc.method': call.rpcMethod };
    const serverEnd = serve(
      spans,
      traceId,
      call.callee,
      clientId,
      clientStart + boundary / 2,
      sample(call.runtime),
      `${call.rpcService}/${call.rpcMethod}`,
      operation,
      depth + 1,
    );
    const end = serverEnd + boundary / 2;
    spans.push([
      service,
      {
        traceId,
        spanId: clientId,
        parentSpanId: spanId,
        name: `${call.rpcService}/${call.rpcMethod}`,
        kind: 'client',
        start: clientStart,
        end,
        attributes: { ...operation, 'server.address': call.callee },
      },
    ]);
    return end;
  };

  const enqueue = (service: string, span: FixtureSpan): FixtureBatch[] => {
    const buffer = buffers.get(service)!;
    buffer.push(span);
    if (buffer.length < batchSize.get(service)!) return [];
    buffers.set(service, []);
    return [{ service: serviceOf(service), spans: buffer }];
  };

  function* collect(batches: FixtureBatch[], force: boolean): Generator<string> {
    for (const batch of batches) {
      pending.push(batch);
      pendingSpans += batch.spans.length;
    }
    if (pending.length > 0 && (force || pendingSpans >= COLLECTOR_BATCH)) {
      yield exportRequestLine(pending, options);
      pending = [];
      pendingSpans = 0;
    }
  }

  let clock = 0;
  for (let i = 0; i < traces && !options.stop?.(); i++) {
    clock += 0.5 + rand();
    const spans: [string, FixtureSpan][] = [];
    const traceId = hex(4);
    serve(spans, traceId, model.entry.service, undefined, clock, sample(model.entry.runtime), model.entry.route, {}, 0);
    for (const entry of model.moreEntries ?? []) {
      serve(spans, hex(4), entry.service, undefined, clock + rand(), sample(entry.runtime), entry.route, {}, 0);
    }
    for (const m of model.messaging) {
      const messageTrace = hex(4);
      const producerId = hex(2);
      const start = clock + rand();
      const consumerStart = start + sample(m.lag);
      const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': m.subject };
      spans.push(
        [m.producer, { traceId: messageTrace, spanId: producerId, name: `${m.subject} publish`, kind: 'producer', start, end: start + 0.05 + rand() * 0.15, attributes }],
        [m.consumer, { traceId: messageTrace, spanId: hex(2), parentSpanId: producerId, name: `${m.subject} process`, kind: 'consumer', start: consumerStart, end: consumerStart + 0.3 + rand() * 0.7, attributes }],
      );
    }
    // SDKs export spans as they end; stable sort keeps children first on ties.
    spans.sort((a, b) => a[1].end - b[1].end);
    const full: FixtureBatch[] = [];
    for (const [service, span] of spans) full.push(...enqueue(service, span));
    yield* collect(full, false);
  }
  const rest: FixtureBatch[] = [];
  for (const [name, spans] of buffers) if (spans.length > 0) rest.push({ service: serviceOf(name), spans });
  yield* collect(rest, true);
}

/** Options for {@link writeTraceFile}. */
export interface WriteTraceFileOptions extends EncodeOptions {
  seed: number;
  /** Write at least this many spans (rounded up to whole traces). */
  spans?: number;
  /** Or: stop once the file has at least this many bytes. */
  bytes?: number;
  /** @default DEFAULT_MODEL */
  model?: FixtureModel;
}

/** What {@link writeTraceFile} wrote. */
export interface WrittenTraceFile {
  readonly lines: number;
  readonly bytes: number;
  readonly spans: number;
}

/**
 * Writes a generated trace file incrementally (with backpressure, never the whole file in
 * memory), e.g. a few hundred MB for a benchmark. Give `spans`, `bytes` or both (whichever
 * is reached first).
 */
export async function writeTraceFile(path: string, options: WriteTraceFileOptions): Promise<WrittenTraceFile> {
  const model = options.model ?? DEFAULT_MODEL;
  const perTrace = spansPerTrace(model);
  const traces = options.spans !== undefined ? Math.ceil(options.spans / perTrace) : Number.POSITIVE_INFINITY;
  if (traces === Number.POSITIVE_INFINITY && options.bytes === undefined) {
    throw new Error('writeTraceFile needs `spans` or `bytes`');
  }
  const out = createWriteStream(path);
  let bytes = 0;
  let lines = 0;
  let generated = 0;
  for (const line of generateTraceLines({
    seed: options.seed,
    model,
    kindAs: options.kindAs,
    traces,
    stop: () => {
      if (options.bytes !== undefined && bytes >= options.bytes) return true;
      generated++;
      return false;
    },
  })) {
    lines++;
    bytes += Buffer.byteLength(line) + 1;
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  return { lines, bytes, spans: generated * perTrace };
}

function attr(key: string, value: string): { key: string; value: { stringValue: string } } {
  return { key, value: { stringValue: value } };
}

function unixNano(ms: number): string {
  return (BASE_UNIX_NANO + BigInt(Math.round(ms * 1e6))).toString();
}
