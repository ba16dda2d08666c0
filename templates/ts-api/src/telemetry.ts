// OpenTelemetry, configured from the standard OTEL_* environment (OTEL_SERVICE_NAME,
// OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER, OTEL_PROPAGATORS…).
// Loaded with `node --import` before the app, so the HTTP instrumentation patches node:http
// before Fastify loads it. Spans of outgoing gRPC calls come from the Connect tracing interceptor.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

// The platform's collector agent takes OTLP over gRPC (4317); the spec default is http/protobuf.
process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] ??= 'grpc';

const PROBES = new Set(['/healthz', '/readyz']);
const tracesExporters = (process.env['OTEL_TRACES_EXPORTER'] ?? 'otlp').split(',').map((s) => s.trim());

export const sdk = new NodeSDK({
  // OTLP/gRPC unless OTEL_TRACES_EXPORTER asks for something else (e.g. `none`, `console`).
  ...(tracesExporters.every((e) => e === 'otlp' || e === '') ? { traceExporter: new OTLPTraceExporter() } : {}),
  instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => PROBES.has(req.url?.split('?')[0] ?? '') })],
});
// Honours OTEL_SDK_DISABLED=true (no-op).
sdk.start();

/** Flushes pending spans; called last during shutdown. */
export async function shutdownTelemetry(): Promise<void> {
  await sdk.shutdown();
}
