import type { Problem } from '../core/problems.js';
import type { WorkloadWiring } from '../extension.js';
import type { SystemModel } from '../model.js';

/**
 * A user's env variable named like one a platform piece sets (OTEL_SERVICE_NAME, NATS_PASSWORD…)
 * would be dropped from the container, the platform's value winning: say so instead. The names
 * polyglot itself sets are refused by the props schema (services/workload.ts, RESERVED_ENV).
 */
export function envClashProblems(model: SystemModel, wirings: readonly WorkloadWiring[]): Problem[] {
  return model.services.filter((service) => service.valid).flatMap((service) => {
    const platform = new Set(wirings.flatMap((wiring) => (wiring.env ? wiring.env(service, model).map((e) => e.name) : [])));
    return Object.keys(service.env)
      .filter((name) => platform.has(name))
      .sort()
      .map((name) => ({
        severity: 'error' as const,
        code: 'env-clash',
        path: service.node.path,
        message: `env ${name} is also set by polyglot's platform wiring (NATS or telemetry) for this service; yours would be dropped`,
        why: 'a container cannot have two variables of one name; the platform value is the one the service is configured for',
        fix: `rename ${name}, or change the platform setting instead (SystemProps.nats / SystemProps.telemetry)`,
      }));
  });
}
