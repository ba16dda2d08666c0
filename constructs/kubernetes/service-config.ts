import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { stableJson } from '../stable-json.js';
import { natsClientUrl, natsConsumerName, natsCredentials, natsInboxPrefix, natsUser, usesEvents } from './platform.js';

/** The `schema` value of the config file; templates check it before reading the rest. */
export const SERVICE_CONFIG_SCHEMA = 'polyglot.dev/service-config/v1';
/** Where the config file is mounted in every container; also in $POLYGLOT_CONFIG. */
export const SERVICE_CONFIG_DIR = '/etc/polyglot';
export const SERVICE_CONFIG_FILE = 'service.json';

/**
 * The service's own contract config, the one file every template reads at start-up
 * (documented in docs/service-config.md): what it serves, what it calls with which timeout and
 * retries and the backoff between tries, what it publishes and subscribes to, and the deadline
 * it promises.
 */
export function serviceConfig(workload: Workload, model: SystemModel): string {
  return stableJson({
    schema: SERVICE_CONFIG_SCHEMA,
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
    publishes: workload.publishes.map((e) => ({ event: e.name, subject: e.subject, version: e.version, stream: e.stream?.name })),
    subscribes: workload.subscribes.map((s) => ({
      event: s.event.name,
      subject: s.event.subjectPattern,
      version: s.event.version,
      queueGroup: s.queueGroup,
      durable: s.durable,
      stream: s.durable ? s.event.stream?.name : undefined,
      consumer: s.durable ? natsConsumerName(workload) : undefined,
    })),
    nats: usesEvents(workload)
      ? { url: natsClientUrl(model), inboxPrefix: natsInboxPrefix(workload), user: natsUser(workload), passwordEnv: natsCredentials(workload).env }
      : undefined,
  });
}
