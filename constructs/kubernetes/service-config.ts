import { stableJson } from '../core/stable-json.js';
import { SERVICE_CONFIG_SCHEMA_ID } from '../core/service-config.js';
import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';

/** Where the config file is mounted in every container; also in $POLYGLOT_CONFIG. */
export const SERVICE_CONFIG_DIR = '/etc/polyglot';
export const SERVICE_CONFIG_FILE = 'service.json';

/**
 * The service's own contract config, the one file every template reads at start-up
 * (`polyglot.dev/service-config/v1`, core/service-config.ts, docs/service-config.md): what it
 * serves, what it calls with which timeout and retries and the backoff between tries, and the
 * deadline it promises. Platform pieces add their blocks through their wiring (the spine adds
 * `publishes`, `subscribes` and `nats`); this file knows none of them. Every value here was
 * validated on the way in, so the result is not parsed again at synth time (1000 services would
 * pay ~0.2 s); the tests parse every config of jvn and of the generated systems with the schema.
 */
export function serviceConfig(workload: Workload, model: SystemModel, blocks: Readonly<Record<string, unknown>>): string {
  const config = {
    schema: SERVICE_CONFIG_SCHEMA_ID,
    system: model.name,
    domain: workload.domain.name,
    service: workload.name,
    runtime: workload.runtime,
    version: workload.version,
    deadline: workload.deadline,
    deadlineMs: workload.deadlineMs,
    backoff: {
      initial: model.callPolicy.initialBackoff,
      initialMs: model.callPolicy.initialBackoffMs,
      max: model.callPolicy.maxBackoff,
      maxMs: model.callPolicy.maxBackoffMs,
      multiplier: model.callPolicy.backoffMultiplier,
    },
    ports: workload.ports,
    serves: workload.serves.map((c) => ({ contract: c.name, grpcService: c.service, proto: c.proto })),
    calls: model.callsOf(workload).map(({ call, callee }) => ({
      contract: call.contract.name,
      grpcService: call.contract.service,
      target: `dns:///${callee.host}:${callee.ports.grpc}`,
      timeout: call.timeout,
      timeoutMs: call.timeoutMs,
      retries: call.retries,
    })),
    ...blocks,
  };
  return stableJson(config);
}
