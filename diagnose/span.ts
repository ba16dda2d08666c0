/**
 * The compact span record the reader hands to the pairer: only the fields pairing and
 * statistics need, so a 1 GB file never has to live in memory as parsed OTLP objects.
 */

/** OTLP `Span.SpanKind` values; JSON encoders write either the number or the enum name. */
export const SpanKind = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
} as const;

/** One of the {@link SpanKind} values. */
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** A service as identified by its OTel resource (`service.namespace` + `service.name`). */
export interface ServiceInfo {
  /** Display id: `namespace/name`, or just `name` when there is no namespace. */
  readonly id: string;
  /** `telemetry.sdk.language` of the first resource seen for this service. */
  readonly language: string | undefined;
}

/** A reference to another span, from `Span.links`. */
export interface SpanLinkRef {
  readonly traceId: string;
  readonly spanId: string;
}

/**
 * A decoded span. Times are nanoseconds relative to the first timestamp in the file (see
 * `NanoClock`), which keeps them exact as plain numbers.
 */
export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty string for root spans. */
  readonly parentSpanId: string;
  readonly kind: SpanKind;
  readonly service: ServiceInfo;
  /**
   * The span name, only where it can be used: CLIENT/SERVER spans without an `operation` and
   * PRODUCER/CONSUMER spans without a `destination` (the name stands in for them); '' otherwise.
   */
  readonly name: string;
  /** CLIENT/SERVER spans: `rpc.service/rpc.method` when the span carries RPC semantic conventions. */
  readonly operation: string | undefined;
  /** CLIENT spans: who it meant to call (`peer.service`, `server.address`, `net.peer.name`). */
  readonly peer: string | undefined;
  /** PRODUCER/CONSUMER spans: `messaging.destination.name` (or the pre-1.17 `messaging.destination`). */
  readonly destination: string | undefined;
  /** Only decoded for consumer spans, where a link may point at the producer. */
  readonly links: readonly SpanLinkRef[] | undefined;
  readonly start: number;
  readonly end: number;
}
