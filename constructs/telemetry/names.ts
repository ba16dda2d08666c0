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
