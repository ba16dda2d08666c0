import { parseDuration } from '../core/units.js';
import { HEALTH_PORT, OTLP_GRPC_PORT } from './names.js';
import type { TelemetrySettings } from './props.js';
import { exporterId, exportersBySignal, routedSignals } from './signals.js';

/**
 * The gateway collector: OTLP in from the agents, memory_limiter, tail sampling (keep every
 * trace with an error, every slow trace, and a probabilistic share of the rest), batch, then the
 * user's exporters (debug when none are given), each signal only to the exporters that take it.
 */
export function gatewayConfig(settings: TelemetrySettings): Record<string, unknown> {
  const exporters: Record<string, unknown> = {};
  for (const exporter of settings.exporters) {
    exporters[exporterId(exporter.name)] = { endpoint: exporter.endpoint, tls: { insecure: exporter.insecure } };
  }
  if (settings.exporters.length === 0) exporters.debug = { verbosity: 'basic' };
  const routes = exportersBySignal(settings);
  const processors = { traces: ['memory_limiter', 'tail_sampling', 'batch'], metrics: ['memory_limiter', 'batch'], logs: ['memory_limiter', 'batch'] };
  const { sampling } = settings;
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${HEALTH_PORT}` } },
    receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` } } } },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      tail_sampling: {
        decision_wait: sampling.decisionWait,
        num_traces: 100_000,
        expected_new_traces_per_sec: 2_000,
        policies: [
          { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
          { name: 'slow', type: 'latency', latency: { threshold_ms: parseDuration(sampling.slowerThan) } },
          { name: 'share', type: 'probabilistic', probabilistic: { sampling_percentage: sampling.keepPercent } },
        ],
      },
      batch: { send_batch_size: 8192, timeout: '1s' },
    },
    exporters,
    service: {
      extensions: ['health_check'],
      pipelines: Object.fromEntries(
        routedSignals(settings).map((signal) => [signal, { receivers: ['otlp'], processors: processors[signal], exporters: routes[signal] }]),
      ),
    },
  };
}
