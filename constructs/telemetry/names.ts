/** Names shared by the telemetry objects, the collector configs and the service wiring. */
export const AGENT = 'otel-agent';
export const GATEWAY = 'otel-gateway';
/** Headless Service the agents resolve to find every gateway pod (for trace-ID routing). */
export const GATEWAY_HEADLESS = 'otel-gateway-headless';
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const HEALTH_PORT = 13133;

export const telemetryNamespace = (system: string) => `${system}-telemetry`;
export const agentHost = (system: string) => `${AGENT}.${telemetryNamespace(system)}.svc.cluster.local`;

/**
 * The collector release that is deployed AND that the tests validate the configs with: the image
 * tag below and OTELCOL_VERSION in scripts/install-tools.sh (with tools/otelcol-builder.yaml) must
 * name the same release, or a config that validates may not load (test/validators/pins.test.ts).
 */
export const COLLECTOR_VERSION = '0.159.0';
export const COLLECTOR_IMAGE = `otel/opentelemetry-collector-contrib:${COLLECTOR_VERSION}`;
