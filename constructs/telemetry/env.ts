import type { k8s } from 'cdk8s-plus-28';
import type { PlatformEndpoint } from '../extension.js';
import type { WorkloadWiring } from '../extension.js';
import { AGENT, agentHost, OTLP_GRPC_PORT, OTLP_HTTP_PORT, telemetryNamespace } from './names.js';
import { SIGNALS, type TelemetrySettings } from './props.js';
import { routedSignals } from './signals.js';

/**
 * The same OpenTelemetry wiring on every workload, whatever its runtime: every SDK reads these
 * standard variables. The endpoint is the agent Service with `internalTrafficPolicy: Local`, so
 * spans go to the agent on the pod's own node without a hostPort (which "restricted" forbids).
 * Head sampling keeps everything the parent kept; the gateway decides at the tail. A signal no
 * exporter takes is switched off in the SDK (`OTEL_<SIGNAL>_EXPORTER=none`): the collectors have
 * no pipeline for it, and an SDK that sent it anyway would log a failed export every interval.
 */
export function telemetryWiring(settings: TelemetrySettings): WorkloadWiring {
  const routed = routedSignals(settings);
  const switchedOff = SIGNALS.filter((signal) => !routed.includes(signal)).map((signal) => ({ name: `OTEL_${signal.toUpperCase()}_EXPORTER`, value: 'none' }));
  return {
    env: (workload, model): k8s.EnvVar[] => {
      const attributes = [
        `service.namespace=${workload.domain.name}`,
        `service.version=${workload.version}`,
        `deployment.environment.name=${model.environment}`,
        `k8s.namespace.name=$(POD_NAMESPACE)`,
        `k8s.pod.name=$(POD_NAME)`,
        `k8s.node.name=$(NODE_NAME)`,
        `telemetry.sdk.language=${workload.profile?.sdkLanguage ?? 'unknown'}`,
      ];
      return [
        { name: 'OTEL_SERVICE_NAME', value: workload.name },
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `http://${agentHost(model.name)}:${OTLP_GRPC_PORT}` },
        { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' },
        { name: 'OTEL_PROPAGATORS', value: 'tracecontext,baggage' },
        { name: 'OTEL_TRACES_SAMPLER', value: 'parentbased_traceidratio' },
        { name: 'OTEL_TRACES_SAMPLER_ARG', value: '1' },
        { name: 'OTEL_RESOURCE_ATTRIBUTES', value: attributes.join(',') },
        ...switchedOff,
      ];
    },
    egress: (_workload, model): PlatformEndpoint[] => [agentEndpoint(model.name)],
  };
}

/** The agent pods, as a network policy peer. */
export function agentEndpoint(system: string): PlatformEndpoint {
  return {
    namespace: telemetryNamespace(system),
    podLabels: { 'app.kubernetes.io/name': AGENT },
    ports: [
      { port: OTLP_GRPC_PORT, protocol: 'TCP' },
      { port: OTLP_HTTP_PORT, protocol: 'TCP' },
    ],
  };
}
