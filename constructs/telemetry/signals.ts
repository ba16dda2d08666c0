import { SIGNALS, type Signal, type TelemetrySettings } from './props.js';

/** The gateway's exporter id of a user exporter: `otlp/<name>`. */
export const exporterId = (name: string) => `otlp/${name}`;

/**
 * Which gateway exporters take each signal: every exporter that declares it, or `debug` for every
 * signal when the user gave no exporter. A signal no exporter takes maps to an empty list; it
 * is then switched off end to end (no pipeline in either collector, the SDKs told not to send it),
 * because a collector pipeline without an exporter is an invalid config.
 */
export function exportersBySignal(settings: TelemetrySettings): Record<Signal, string[]> {
  const routes = Object.fromEntries(SIGNALS.map((s) => [s, [] as string[]])) as Record<Signal, string[]>;
  if (settings.exporters.length === 0) {
    for (const signal of SIGNALS) routes[signal].push('debug');
    return routes;
  }
  for (const exporter of settings.exporters) for (const signal of exporter.signals) routes[signal].push(exporterId(exporter.name));
  for (const signal of SIGNALS) routes[signal].sort();
  return routes;
}

/** The signals some exporter takes, in the order traces, metrics, logs. */
export function routedSignals(settings: TelemetrySettings): Signal[] {
  const routes = exportersBySignal(settings);
  return SIGNALS.filter((signal) => routes[signal].length > 0);
}
