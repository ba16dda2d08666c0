import type { Check } from '../extension.js';
import { natsUser } from './client.js';
import { dnsLabelProblem } from '../core/names.js';
import type { Problem } from '../core/problems.js';
import type { Workload } from '../services/workload.js';
import { NATS } from './names.js';
import { natsClients } from './server-config.js';
import { declaredStreams, streamResourceName, type DeclaredStream } from './streams.js';

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

/** Checks that apply when the spine runs the cluster: its size and its namespace. */
export function clusterChecks(clusterSize: number): Check {
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
