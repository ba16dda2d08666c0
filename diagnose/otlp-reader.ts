import { plural } from './format.js';
import { readLines } from './line-reader.js';
import { NanoClock } from './nanos.js';
import { SpanKind, type ServiceInfo, type SpanLinkRef, type SpanRecord } from './span.js';
import type { WarningCollector } from './warnings.js';

/** Progress of a streaming read, reported once per chunk. */
export interface ReadProgress {
  readonly bytesRead: number;
  readonly lines: number;
  readonly spans: number;
}

/** Options for {@link readOtlpFile}. */
export interface ReadOtlpOptions {
  /**
   * Receives every decoded span, synchronously, in file order. The record is reused for the
   * next span: copy what you keep.
   */
  onSpan: (span: SpanRecord) => void;
  /** Where skipped lines and spans are reported. */
  warnings: WarningCollector;
  onProgress?: (progress: ReadProgress) => void;
}

/** Counts from one pass over the file. */
export interface ReadTotals {
  readonly bytes: number;
  readonly lines: number;
  readonly skippedLines: number;
  readonly spans: number;
  readonly invalidSpans: number;
}

type Json = Record<string, unknown>;

/** Anchored, so it stops at the first non-blank character instead of copying the line like trim(). */
const BLANK = /^\s*$/;

const KIND_NAMES = new Map<string, SpanKind>([
  ['SPAN_KIND_UNSPECIFIED', SpanKind.Unspecified],
  ['SPAN_KIND_INTERNAL', SpanKind.Internal],
  ['SPAN_KIND_SERVER', SpanKind.Server],
  ['SPAN_KIND_CLIENT', SpanKind.Client],
  ['SPAN_KIND_PRODUCER', SpanKind.Producer],
  ['SPAN_KIND_CONSUMER', SpanKind.Consumer],
]);

/**
 * Streams an OpenTelemetry Collector file-exporter trace file (JSON Lines, one
 * `ExportTraceServiceRequest` per line) and emits compact {@link SpanRecord}s.
 *
 * Malformed lines are reported with their line number and skipped; spans without ids or
 * timestamps are counted and skipped. INTERNAL spans are emitted without name or attributes:
 * they only connect a server span to the outgoing calls made beneath it.
 */
export async function readOtlpFile(path: string, options: ReadOtlpOptions): Promise<ReadTotals> {
  const decoder = new OtlpDecoder(options.onSpan);
  const { warnings } = options;
  let skippedLines = 0;
  let linesSoFar = 0;

  const { bytes, lines } = await readLines(
    path,
    (line, lineNumber, terminated) => {
      linesSoFar = lineNumber;
      if (BLANK.test(line)) return;
      let request: unknown;
      try {
        request = JSON.parse(line);
      } catch (error) {
        skippedLines++;
        warnings.add(
          terminated
            ? {
                code: 'malformed-line',
                line: lineNumber,
                message: `line ${lineNumber}: not valid JSON (${(error as Error).message}); skipped`,
              }
            : {
                code: 'truncated-line',
                line: lineNumber,
                message: `line ${lineNumber}: the file ends mid-record (truncated while being written?); last line skipped`,
              },
        );
        return;
      }
      const problem = decoder.decode(request, lineNumber);
      if (problem !== undefined) {
        skippedLines++;
        warnings.add({ code: 'not-traces', line: lineNumber, message: `line ${lineNumber}: ${problem}; skipped` });
      }
    },
    {
      onChunk: (bytesRead) =>
        options.onProgress?.({ bytesRead, lines: linesSoFar, spans: decoder.spans }),
      onOverlong: (lineNumber) => {
        skippedLines++;
        warnings.add({
          code: 'malformed-line',
          line: lineNumber,
          message: `line ${lineNumber}: longer than 256 MiB (is this really JSON Lines?); skipped`,
        });
      },
    },
  );

  if (decoder.invalidSpans > 0) {
    warnings.add({
      code: 'invalid-spans',
      line: decoder.firstInvalidLine,
      message:
        `${plural(decoder.invalidSpans, 'span')} had no traceId/spanId or no valid start/end time and ${decoder.invalidSpans === 1 ? 'was' : 'were'} skipped` +
        ` (first on line ${decoder.firstInvalidLine})`,
    });
  }
  return { bytes, lines, skippedLines, spans: decoder.spans, invalidSpans: decoder.invalidSpans };
}

/** Decodes parsed `ExportTraceServiceRequest` objects; holds the service table and the clock. */
class OtlpDecoder {
  spans = 0;
  invalidSpans = 0;
  firstInvalidLine: number | undefined;
  private readonly clock = new NanoClock();
  private readonly services = new Map<string, ServiceInfo>();
  private readonly strings = new Interner();
  private readonly operations = new Map<string, Map<string, string>>();
  /**
   * The record handed to `onSpan`, overwritten for every span: its times are updated in place
   * rather than boxed anew, and the receiver copies what it keeps.
   */
  private readonly record: { -readonly [K in keyof SpanRecord]: SpanRecord[K] } = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    kind: SpanKind.Unspecified,
    service: { id: '', language: undefined },
    name: '',
    operation: undefined,
    peer: undefined,
    destination: undefined,
    links: undefined,
    start: Number.NaN,
    end: Number.NaN,
  };
  /** Reused for every span: the few attributes pairing needs, read before the next span. */
  private readonly attributes: SpanAttributes = {
    rpcService: undefined,
    rpcMethod: undefined,
    peer: undefined,
    destination: undefined,
  };

  constructor(private readonly onSpan: (span: SpanRecord) => void) {}

  /** @returns why the line is not a trace request, or `undefined` when it was decoded. */
  decode(request: unknown, lineNumber: number): string | undefined {
    if (!isObject(request)) return 'not a JSON object';
    // protojson accepts snake_case too, and some tools write it.
    const resourceSpans = request['resourceSpans'] ?? request['resource_spans'];
    if (!Array.isArray(resourceSpans)) {
      if ('resourceMetrics' in request || 'resourceLogs' in request) {
        return 'holds metrics or logs, not traces (point the file exporter for traces at its own file)';
      }
      return 'not an OTLP ExportTraceServiceRequest (no resourceSpans)';
    }
    for (const rs of resourceSpans) {
      if (!isObject(rs)) continue;
      const service = this.service(rs['resource']);
      const scopes = rs['scopeSpans'] ?? rs['scope_spans'] ?? rs['instrumentationLibrarySpans'];
      if (!Array.isArray(scopes)) continue;
      for (const scope of scopes) {
        const spans = isObject(scope) ? scope['spans'] : undefined;
        if (!Array.isArray(spans)) continue;
        for (const span of spans) this.span(span, service, lineNumber);
      }
    }
    return undefined;
  }

  private span(raw: unknown, service: ServiceInfo, lineNumber: number): void {
    if (!isObject(raw)) return this.invalid(lineNumber);
    this.spans++;
    const kind = spanKind(raw['kind']);
    const traceId = id(raw['traceId'] ?? raw['trace_id']);
    const spanId = id(raw['spanId'] ?? raw['span_id']);
    const start = this.clock.toRelative(raw['startTimeUnixNano'] ?? raw['start_time_unix_nano']);
    const end = this.clock.toRelative(raw['endTimeUnixNano'] ?? raw['end_time_unix_nano']);
    if (!traceId || !spanId || start === undefined || end === undefined || end < start) {
      return this.invalid(lineNumber);
    }
    const record = this.record;
    record.traceId = traceId;
    record.spanId = spanId;
    record.parentSpanId = id(raw['parentSpanId'] ?? raw['parent_span_id']);
    record.kind = kind;
    record.service = service;
    this.describe(raw, kind);
    record.links = kind === SpanKind.Consumer ? links(raw['links']) : undefined;
    record.start = start;
    record.end = end;
    this.onSpan(record);
  }

  /**
   * Fills in the record's name, operation, peer and destination: only those the pairer can use
   * for this kind of span (see {@link SpanRecord}), each shared through the interner. Every
   * lookup of a string `JSON.parse` just made hashes it anew, so the others are not looked up.
   */
  private describe(raw: Json, kind: SpanKind): void {
    const record = this.record;
    record.name = '';
    record.operation = record.peer = record.destination = undefined;
    // In-process spans only matter as links between a server span and its outgoing calls.
    if (kind === SpanKind.Internal || kind === SpanKind.Unspecified) return;
    const attrs = this.attributes;
    attrs.rpcService = attrs.rpcMethod = attrs.peer = attrs.destination = undefined;
    readSpanAttributes(raw['attributes'], attrs);
    const name = raw['name'];
    if (kind === SpanKind.Client || kind === SpanKind.Server) {
      record.operation = this.operation(attrs.rpcService, attrs.rpcMethod);
      if (kind === SpanKind.Client) record.peer = this.strings.get(attrs.peer);
      if (record.operation === undefined && typeof name === 'string') record.name = this.strings.get(name);
    } else {
      record.destination = this.strings.get(attrs.destination);
      if (record.destination === undefined && typeof name === 'string') record.name = this.strings.get(name);
    }
  }

  /**
   * `rpc.service/rpc.method`, shared: looked up by its two parts, so the joined string is built
   * once per operation rather than once per span.
   */
  private operation(rpcService: string | undefined, rpcMethod: string | undefined): string | undefined {
    if (rpcService === undefined) return undefined;
    if (rpcMethod === undefined) return this.strings.get(rpcService);
    let methods = this.operations.get(rpcService);
    if (methods === undefined) {
      if (this.operations.size >= MAX_INTERNED) return `${rpcService}/${rpcMethod}`;
      this.operations.set(rpcService, (methods = new Map()));
    }
    let joined = methods.get(rpcMethod);
    if (joined === undefined) {
      joined = `${rpcService}/${rpcMethod}`;
      if (methods.size < MAX_INTERNED) methods.set(rpcMethod, joined);
    }
    return joined;
  }

  private invalid(lineNumber: number): void {
    this.invalidSpans++;
    this.firstInvalidLine ??= lineNumber;
  }

  private service(resource: unknown): ServiceInfo {
    let name: string | undefined;
    let namespace: string | undefined;
    let language: string | undefined;
    const attributes = isObject(resource) ? resource['attributes'] : undefined;
    if (Array.isArray(attributes)) {
      for (const attribute of attributes) {
        if (!isObject(attribute)) continue;
        switch (attribute['key']) {
          case 'service.name':
            name = anyValueString(attribute['value']);
            break;
          case 'service.namespace':
            namespace = anyValueString(attribute['value']);
            break;
          case 'telemetry.sdk.language':
            language = anyValueString(attribute['value']);
            break;
        }
      }
    }
    // The SDK default for a service without a name, so the output matches other OTel tools.
    const serviceId = namespace ? `${namespace}/${name || 'unknown_service'}` : name || 'unknown_service';
    let service = this.services.get(serviceId);
    if (service === undefined) {
      service = { id: serviceId, language };
      this.services.set(serviceId, service);
    }
    return service;
  }
}

/** Distinct strings shared per table; beyond this, high-cardinality names are left alone. */
const MAX_INTERNED = 10_000;

/**
 * Shares equal strings (span names, operations, subjects): JSON.parse gives every span its own
 * copy, and spans waiting to be paired would each hold one.
 */
class Interner {
  private readonly table = new Map<string, string>();

  get<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const shared = this.table.get(value);
    if (shared !== undefined) return shared as T;
    if (this.table.size < MAX_INTERNED) this.table.set(value, value);
    return value;
  }
}

interface SpanAttributes {
  rpcService: string | undefined;
  rpcMethod: string | undefined;
  peer: string | undefined;
  destination: string | undefined;
}

/** One pass over the span's attributes, picking out the few keys pairing needs into `out` (cleared by the caller). */
function readSpanAttributes(attributes: unknown, out: SpanAttributes): void {
  if (!Array.isArray(attributes)) return;
  for (const attribute of attributes) {
    if (!isObject(attribute)) continue;
    switch (attribute['key']) {
      case 'rpc.service':
        out.rpcService = anyValueString(attribute['value']);
        break;
      case 'rpc.method':
        out.rpcMethod = anyValueString(attribute['value']);
        break;
      case 'peer.service':
        out.peer = anyValueString(attribute['value']);
        break;
      case 'server.address':
      case 'net.peer.name':
        out.peer ??= anyValueString(attribute['value']);
        break;
      case 'messaging.destination.name':
        out.destination = anyValueString(attribute['value']);
        break;
      case 'messaging.destination':
        out.destination ??= anyValueString(attribute['value']);
        break;
    }
  }
}

function links(raw: unknown): SpanLinkRef[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const out: SpanLinkRef[] = [];
  for (const link of raw) {
    if (!isObject(link)) continue;
    const traceId = id(link['traceId'] ?? link['trace_id']);
    const spanId = id(link['spanId'] ?? link['span_id']);
    if (traceId && spanId) out.push({ traceId, spanId });
  }
  return out.length > 0 ? out : undefined;
}

/** Accepts `2`, `"2"`, `"SPAN_KIND_SERVER"` and the short `"SERVER"`. */
function spanKind(raw: unknown): SpanKind {
  if (typeof raw === 'number') return raw >= 0 && raw <= 5 ? (raw as SpanKind) : SpanKind.Unspecified;
  if (typeof raw !== 'string') return SpanKind.Unspecified;
  const named = KIND_NAMES.get(raw) ?? KIND_NAMES.get(`SPAN_KIND_${raw.toUpperCase()}`);
  if (named !== undefined) return named;
  const numeric = Number(raw);
  return Number.isInteger(numeric) ? spanKind(numeric) : SpanKind.Unspecified;
}

/** Ids are opaque strings (hex in OTLP JSON); all-zero ids mean "absent". */
function id(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) return '';
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) !== 48) return raw;
  return '';
}

function anyValueString(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const v = value['stringValue'] ?? value['intValue'] ?? value['doubleValue'] ?? value['boolValue'];
  return v === undefined || v === null ? undefined : String(v);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
