import type { Signal } from './props.js';
import { GATEWAY, GATEWAY_HEADLESS, HEALTH_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT, telemetryNamespace } from './names.js';

/**
 * The agent collector (one per node): OTLP in, then memory_limiter first (so a burst is refused
 * before it is buffered), k8sattributes (pod, namespace, deployment of the sender),
 * resourcedetection (env, system), batch, and out to the gateways. Traces are routed by trace ID
 * so every span of a trace reaches the same gateway: tail sampling needs the whole trace. Only the
 * signals some gateway exporter takes have a pipeline.
 */
export function agentConfig(system: string, signals: readonly Signal[]): Record<string, unknown> {
  const namespace = telemetryNamespace(system);
  const processors = ['memory_limiter', 'k8sattributes', 'resourcedetection', 'batch'];
  const pipelines = {
    traces: { receivers: ['otlp'], processors, exporters: ['loadbalancing'] },
    metrics: { receivers: ['otlp'], processors, exporters: ['otlp/gateway'] },
    logs: { receivers: ['otlp'], processors, exporters: ['otlp/gateway'] },
  };
  const used = (exporter: string) => signals.some((signal) => pipelines[signal].exporters.includes(exporter));
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${HEALTH_PORT}` } },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` },
          http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` },
        },
      },
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      k8sattributes: {
        auth_type: 'serviceAccount',
        passthrough: false,
        // Watch only this node's pods: an agent per node must not cache the whole cluster.
        filter: { node_from_env_var: 'K8S_NODE_NAME' },
        extract: {
          metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.deployment.name', 'k8s.node.name', 'k8s.container.name'],
          labels: [
            { tag_name: 'polyglot.runtime', key: 'polyglot.dev/runtime', from: 'pod' },
            { tag_name: 'polyglot.domain', key: 'polyglot.dev/domain', from: 'pod' },
          ],
        },
        pod_association: [
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.ip' }] },
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] },
          { sources: [{ from: 'connection' }] },
        ],
      },
      resourcedetection: { detectors: ['env', 'system'], timeout: '2s', override: false },
      batch: { send_batch_size: 8192, timeout: '200ms' },
    },
    // Only the exporters a pipeline uses: a gateway connection nothing sends on is dead config.
    exporters: {
      loadbalancing: used('loadbalancing')
        ? {
            routing_key: 'traceID',
            protocol: { otlp: { tls: { insecure: true }, timeout: '5s' } },
            // The collector reads this port as a string.
            resolver: { dns: { hostname: `${GATEWAY_HEADLESS}.${namespace}.svc.cluster.local`, port: String(OTLP_GRPC_PORT) } },
          }
        : undefined,
      'otlp/gateway': used('otlp/gateway') ? { endpoint: `${GATEWAY}.${namespace}.svc.cluster.local:${OTLP_GRPC_PORT}`, tls: { insecure: true } } : undefined,
    },
    service: {
      extensions: ['health_check'],
      pipelines: Object.fromEntries(signals.map((signal) => [signal, pipelines[signal]])),
    },
  };
}
