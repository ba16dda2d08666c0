import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { stableJson } from '../stable-json.js';
import { natsClientUrl } from './platform.js';

/** The `schema` value of the config file; templates check it before reading the rest. */
export const SERVICE_CONFIG_SCHEMA = 'polyglot.dev/service-config/v1';
/** Where the config file is mounted in every container; also in $POLYGLOT_CONFIG. */
export const SERVICE_CONFIG_DIR = '/etc/polyglot';
export const SERVICE_CONFIG_FILE = 'service.json';

/**
 * The service's own contract config, the one file every template reads at start-up
 * (documented in docs/service-config.md): what it serves, what it calls with which timeout and
 * retries, what it publishes and subscribes to, and the deadline it promises.
 */
export function serviceConfig(workload: Workload, model: SystemModel): string {
  const usesNats = workload.publishes.length > 0 || workload.subscribes.length > 0;
  return stableJson({
    schema: SERVICE_CONFIG_SCHEMA,
    system: model.name,
    domain: workload.domain.name,
    service: workload.name,
    runtime: workload.runtime,
    version: workload.version,
    deadline: workload.deadline,
    deadlineMs: workload.deadlineMs,
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
    publishes: workload.publishes.map((e) => ({ event: e.name, subject: e.subject, version: e.version, stream: e.stream?.name })),
    subscribes: workload.subscribes.map((s) => ({
      event: s.event.name,
      subject: s.event.subjectPattern,
      version: s.event.version,
      queueGroup: s.queueGroup,
      durable: s.durable,
      stream: s.durable ? s.event.stream?.name : undefined,
      consumer: s.durable ? `${workload.namespace}-${workload.name}` : undefined,
    })),
    nats: usesNats ? { url: natsClientUrl(model), inboxPrefix: `_INBOX_${workload.namespace}_${workload.name}` } : undefined,
  });
}
