import { z } from 'zod';
import { durationString } from '../core/units.js';
import { COLLECTOR_IMAGE } from './names.js';

/** The three OpenTelemetry signals. */
export const SIGNALS = ['traces', 'metrics', 'logs'] as const;
export type Signal = (typeof SIGNALS)[number];

/** An OTLP destination the gateway sends to (Tempo, Jaeger, a vendor endpoint…). */
export interface OtlpExporterProps {
  /** Short name, used as the exporter id `otlp/<name>`. */
  readonly name: string;
  /** Host and port, e.g. `tempo.observability.svc.cluster.local:4317`. */
  readonly endpoint: string;
  /** Send in clear text (inside the cluster only).
   * @default false */
  readonly insecure?: boolean;
  /**
   * The signals this destination takes; the gateway routes only these to it. OTLP carries all
   * three, but most backends take one: Tempo and Jaeger take `['traces']`, Prometheus's OTLP
   * endpoint `['metrics']`, Loki `['logs']`. A signal sent to a backend that does not serve it
   * fails every export (gRPC `Unimplemented`), so say which ones it takes.
   * @default ['traces', 'metrics', 'logs'] (what the OTLP exporter supports)
   */
  readonly signals?: Signal[];
}

/** What the gateway keeps when it samples at the tail of each trace. */
export interface TailSamplingProps {
  /** Traces slower than this are always kept.
   * @default '500ms' */
  readonly slowerThan?: string;
  /** Share of the remaining (healthy, fast) traces kept, in percent.
   * @default 10 */
  readonly keepPercent?: number;
  /** How long the gateway waits for a trace's spans before deciding.
   * @default '10s' */
  readonly decisionWait?: string;
}

/** Props of the telemetry pipeline. */
export interface TelemetryProps {
  /** Synthesize the agent and gateway collectors and wire every service to them.
   * @default true */
  readonly enabled?: boolean;
  /** Where the gateway sends traces, metrics and logs, each exporter only the signals it takes.
   * A signal no exporter takes is switched off at the source (`OTEL_<SIGNAL>_EXPORTER=none`
   * on every workload) and has no pipeline in the collectors.
   * @default - the `debug` exporter only, for every signal (prints a summary to the gateway's log) */
  readonly exporters?: OtlpExporterProps[];
  /** @default - errors and slow traces kept, 10% of the rest */
  readonly sampling?: TailSamplingProps;
  /** Gateway replicas. Tail sampling stays correct with more than one: the agents route every
   * span of a trace to the same gateway by trace ID.
   * @default 2 */
  readonly gatewayReplicas?: number;
  /** Collector image for agent and gateway. The default is the release the configs are validated
   * with; another image is at your own risk.
   * @default 'otel/opentelemetry-collector-contrib:0.159.0' */
  readonly image?: string;
}

export const telemetrySchema = z.strictObject({
  enabled: z.boolean().default(true),
  exporters: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "expected a short name such as 'tempo'"),
        endpoint: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, "expected 'host:port', e.g. 'tempo.observability.svc.cluster.local:4317'"),
        insecure: z.boolean().default(false),
        signals: z
          .array(z.enum(SIGNALS))
          .min(1, "an exporter takes at least one signal: list them, e.g. signals: ['traces'], or remove the exporter")
          .refine((list) => new Set(list).size === list.length, { message: "lists a signal twice; list each of 'traces', 'metrics', 'logs' once" })
          .default([...SIGNALS]),
      }),
    )
    .superRefine((list, ctx) => {
      const seen = new Map<string, number>();
      list.forEach((exporter, index) => {
        const first = seen.get(exporter.name);
        if (first === undefined) seen.set(exporter.name, index);
        else ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `exporter name '${exporter.name}' is used twice (first at [${first}]); each becomes the collector id otlp/<name>, give each its own` });
      });
    })
    .default([]),
  sampling: z
    .strictObject({
      slowerThan: durationString.default('500ms'),
      keepPercent: z.number().min(0).max(100).default(10),
      decisionWait: durationString.default('10s'),
    })
    .default({ slowerThan: '500ms', keepPercent: 10, decisionWait: '10s' }),
  gatewayReplicas: z.number().int().min(1).max(50).default(2),
  image: z.string().min(1).default(COLLECTOR_IMAGE),
});

/** Telemetry settings with defaults applied. */
export type TelemetrySettings = z.output<typeof telemetrySchema>;
