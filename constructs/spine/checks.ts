import type { Check } from '../extension.js';
import { natsUser } from './client.js';
import { dnsLabelProblem } from '../core/names.js';
import type { Problem } from '../core/problems.js';
import type { Workload } from '../services/workload.js';
import { NATS } from './names.js';
import type { SystemModel } from '../model.js';
import type { NatsSpineSettings } from './props.js';
import { jetStreamStore, natsClients } from './server-config.js';
import { DEAD_LETTER_BYTES, DEAD_LETTER_STREAM, declaredStreams, hasDurableConsumers, streamBudget, streamResourceName, type DeclaredStream } from './streams.js';

/** Each stream has one name of its own, also as a Kubernetes resource name (`PRESENCE` → `presence`). */
export const streamNames: Check = (model) => {
  const problems: Problem[] = [];
  const byResource = new Map<string, DeclaredStream>();
  for (const declared of declaredStreams(model)) {
    const { event, stream } = declared;
    const resourceName = streamResourceName(stream.name);
    const invalid = dnsLabelProblem(resourceName);
    if (invalid) {
      problems.push({
        severity: 'error',
        code: 'invalid-stream-name',
        path: event.node.path,
        message: `stream '${stream.name}' gives the resource name '${resourceName}', which ${invalid}`,
        why: 'the stream is created from a Kubernetes Stream resource named after it',
        fix: "name the stream with letters and digits, e.g. 'PRESENCE' or 'ROOM_MESSAGES'",
      });
      continue;
    }
    if (resourceName === streamResourceName(DEAD_LETTER_STREAM)) {
      problems.push({
        severity: 'error',
        code: 'reserved-name',
        path: event.node.path,
        message: `stream '${stream.name}' takes the name of the dead-letter stream ${DEAD_LETTER_STREAM}`,
        why: 'the spine keeps the reports of messages that exhausted their deliveries in that stream',
        fix: `name the stream after its event, e.g. '${event.name.toUpperCase().replace(/-/g, '_')}'`,
      });
      continue;
    }
    const first = byResource.get(resourceName);
    if (!first) {
      byResource.set(resourceName, declared);
      continue;
    }
    problems.push({
      severity: 'error',
      code: 'duplicate-stream',
      path: event.node.path,
      message: `event '${event.name}' declares stream '${stream.name}', and event '${first.event.name}' already declares stream '${first.stream.name}'${first.stream.name === stream.name ? '' : ' (the same name once lower-cased)'}`,
      why: 'one stream has one subject and one set of limits; the second declaration would overwrite the first',
      fix: `give the stream of '${event.name}' its own name, e.g. '${stream.name}_${event.name.toUpperCase().replace(/-/g, '_')}'`,
    });
  }
  return problems;
};

/** A durable subscription reads through a JetStream consumer, which lives in a stream. */
export const durableSubscriptions: Check = (model) =>
  model.services.flatMap((service) =>
    service.subscribes.flatMap((subscription, i): Problem[] =>
      subscription.durable && !subscription.event.stream
        ? [
            {
              severity: 'error',
              code: 'durable-without-stream',
              path: service.node.path,
              message: `subscribes[${i}] is durable, but event '${subscription.event.name}' (${subscription.event.subject}) keeps no stream`,
              why: 'a durable consumer lives in a JetStream stream; without one there is nothing to create it in and the service fails at start-up',
              fix: `add \`stream: { name: '${subscription.event.name.toUpperCase().replace(/-/g, '_')}' }\` to the EventContract '${subscription.event.name}', or subscribe without \`durable: true\``,
            },
          ]
        : [],
    ),
  );

/** Every service that uses events gets a NATS user of its own; two must not share one. */
export const natsUserNames: Check = (model) => {
  const byUser = new Map<string, Workload>();
  const problems: Problem[] = [];
  for (const service of natsClients(model)) {
    const user = natsUser(service);
    const first = byUser.get(user);
    if (!first) {
      byUser.set(user, service);
      continue;
    }
    problems.push({
      severity: 'error',
      code: 'duplicate-nats-user',
      path: service.node.path,
      message: `the NATS user of ${service.domain.name}/${service.name} would be '${user}', the same as ${first.domain.name}/${first.name}'s`,
      why: 'NATS users are named <domain>-<service>; two services sharing one would share their permissions and password',
      fix: 'rename one of the services or domains',
    });
  }
  return problems;
};

/** Checks that apply when the spine runs the cluster: its size, its store and its namespace. */
export function clusterChecks(settings: NatsSpineSettings): Check {
  const clusterSize = settings.replicas;
  return (model) => {
    const problems: Problem[] = [];
    // Without a client the spine synthesizes nothing, and nothing can collide.
    if (natsClients(model).length === 0) return problems;
    for (const { event, stream } of declaredStreams(model)) {
      if (stream.replicas <= clusterSize) continue;
      problems.push({
        severity: 'error',
        code: 'stream-replicas',
        path: event.node.path,
        message: `stream '${stream.name}' wants ${stream.replicas} replicas, but the NATS cluster has ${clusterSize} server${clusterSize === 1 ? '' : 's'}`,
        why: 'JetStream keeps each replica on its own server; the stream could not be created',
        fix: `lower the stream's replicas to ${clusterSize}, or raise \`nats.replicas\` of the System`,
      });
    }
    problems.push(...storeProblems(model, settings));
    for (const domain of model.domains.filter((d) => d.name === NATS)) {
      problems.push({
        severity: 'error',
        code: 'reserved-name',
        path: domain.node.path,
        message: `domain '${NATS}' collides with the NATS spine's namespace ${model.name}-${NATS}`,
        why: "two owners of one namespace would overwrite each other's network policies",
        fix: "rename the domain (e.g. 'messaging'), or run NATS yourself with nats: { enabled: false }",
      });
    }
    return problems;
  };
}

/**
 * A subscription's delivery mode fits its event and its other settings: `pod` needs a `{pod}`
 * token and no stream; a durable consumer, a queue group, replay and consumer bounds each belong
 * to one mode.
 */
export const deliveryModes: Check = (model) =>
  model.services.flatMap((service) =>
    service.subscribes.flatMap((subscription, i): Problem[] => {
      const { event, delivery } = subscription;
      const at = `subscribes[${i}] (event '${event.name}', delivery '${delivery}')`;
      const problem = (message: string, why: string, fix: string): Problem => ({ severity: 'error', code: 'invalid-delivery', path: service.node.path, message: `${at}: ${message}`, why, fix });
      const problems: Problem[] = [];
      if (delivery === 'pod' && !event.tokens.includes('pod')) {
        problems.push(
          problem(
            `the event's subject '${event.subject}' has no {pod} token`,
            'pod delivery gives every pod the subjects with its own name in the {pod} token; without one there is nothing to address a pod by',
            `put a {pod} token in the subject of '${event.name}', e.g. '${event.subject.split('.').slice(0, 2).join('.')}.{pod}.{user}', or use delivery: 'broadcast'`,
          ),
        );
      }
      if (delivery === 'pod' && event.stream) {
        problems.push(
          problem(
            `event '${event.name}' keeps a stream (${event.stream.name})`,
            'a message for one pod is meaningless once that pod is gone; keeping it only fills the store',
            `remove the stream from '${event.name}', or use delivery: 'broadcast'`,
          ),
        );
      }
      if (delivery !== 'queue' && subscription.declared.durable && subscription.durable !== false) {
        problems.push(problem('is durable', 'a durable consumer is shared by the replicas, so each message reaches one of them', "remove `durable: true` (broadcast of a stream gives each pod an ordered consumer of its own), or use delivery: 'queue'"));
      }
      if (delivery !== 'queue' && subscription.declared.queueGroup) {
        problems.push(problem('names a queue group', 'a queue group hands each message to one member, which is the opposite of this delivery', "remove `queueGroup`, or use delivery: 'queue'"));
      }
      if (subscription.declared.replay && !(delivery === 'broadcast' && event.stream)) {
        problems.push(problem('sets replay', 'replay is where each pod\'s ordered consumer starts, which only broadcast of an event with a stream has', 'remove `replay`'));
      }
      return problems;
    }),
  );

const mib = (bytes: number) => `${Math.floor(bytes / 2 ** 20)}Mi`;

/**
 * The streams' maxBytes together fit each server's store (a server may hold a replica of every
 * stream), and no stream is left a share too small to keep anything.
 */
function storeProblems(model: SystemModel, settings: NatsSpineSettings): Problem[] {
  const budget = streamBudget(model, jetStreamStore(settings));
  const problems: Problem[] = [];
  for (const kind of ['file', 'memory'] as const) {
    const streams = declaredStreams(model).filter((s) => s.stream.storage === kind);
    const over = budget.used[kind] > budget.store[kind];
    const starved = streams.filter((s) => budget.limits.get(s.stream.name)!.maxBytes < 2 ** 20);
    if (!over && starved.length === 0) continue;
    const first = (starved[0] ?? streams.find((s) => s.stream.maxBytes) ?? streams[0])!;
    const listed = streams.map((s) => `${s.stream.name} ${mib(budget.limits.get(s.stream.name)!.maxBytes)}`).join(', ');
    problems.push({
      severity: 'error',
      code: 'stream-store',
      path: first.event.node.path,
      message: over
        ? `the ${kind} streams want ${mib(budget.used[kind])} together (${listed}${kind === 'file' && hasDurableConsumers(model) ? `, ${DEAD_LETTER_STREAM} ${mib(DEAD_LETTER_BYTES)}` : ''}), more than the ${mib(budget.store[kind])} each NATS server offers`
        : `stream '${first.stream.name}' is left less than 1Mi of the ${kind} store: the streams that set maxBytes take it all (${listed})`,
      why: 'JetStream refuses to create a stream whose maxBytes does not fit the store; one stream filling the store would stop every other',
      fix:
        kind === 'file'
          ? 'lower maxBytes of the streams that set it, or raise `nats.storage` of the System (JetStream may fill 90% of it)'
          : "lower maxBytes of the memory streams, or move some to storage: 'file' (the memory store is 256Mi)",
    });
  }
  return problems;
}
