import { natsConsumerName, natsInboxPrefix } from './client.js';
import type { SystemModel } from '../model.js';
import type { Subscription, Workload } from '../services/workload.js';

/** One direction of a NATS user's permissions. Deny wins over allow. */
export interface SubjectPermission {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
}

/** A NATS user's `permissions` block. */
export interface NatsPermissions {
  readonly publish: SubjectPermission;
  readonly subscribe: SubjectPermission;
}

/**
 * What a service may publish and subscribe to, derived from its declared contracts and nothing
 * else:
 * - publish: the subject of every event it publishes (`{token}` becomes `*`);
 * - `queue` delivery, core NATS: the subject bound to its queue group (`"subject group"`), so
 *   the service cannot read the subject outside its group;
 * - `queue` delivery through a durable consumer: only the info, next-message and ack subjects
 *   of that stream and consumer, never `$JS.API.>` (which would let it create, purge or delete
 *   any stream);
 * - `broadcast`, core NATS, and `pod`: the subject without a queue group, so every pod may hold
 *   its own subscription (for `pod`, the `{pod}` token is a wildcard: NATS cannot tell one pod
 *   of a user from another, so the space is the service's, not each pod's);
 * - `broadcast` of an event with a stream: an ordered consumer per pod, which the pod creates:
 *   consumers of any name on that stream filtered to exactly the event's subject, and pulling
 *   from them; the durable consumers of that stream (other services') are denied by name;
 * - a service that waits for replies (JetStream PubAcks, pulled messages, API answers) may
 *   subscribe under its own inbox prefix only, not the shared `_INBOX.>`.
 * No service answers NATS requests in the model, so none gets `allow_responses`.
 */
export function servicePermissions(workload: Workload, model: SystemModel): NatsPermissions {
  const publish = workload.publishes.map((event) => event.subjectPattern);
  const publishDenied: string[] = [];
  const subscribe: string[] = [];
  let awaitsReplies = workload.publishes.some((event) => event.stream !== undefined);

  for (const subscription of workload.subscribes) {
    const stream = subscription.event.stream;
    const pattern = subscription.event.subjectPattern;
    if (subscription.delivery === 'broadcast' && stream) {
      publish.push(...orderedConsumerSubjects(stream.name, pattern));
      publishDenied.push(...durableConsumersOf(model, subscription).flatMap((consumer) => durableConsumerSubjects(stream.name, consumer)));
      awaitsReplies = true;
    } else if (subscription.delivery !== 'queue') {
      subscribe.push(pattern);
    } else if (subscription.durable && stream) {
      publish.push(...consumerApiSubjects(stream.name, natsConsumerName(workload)));
      awaitsReplies = true;
    } else {
      subscribe.push(`${pattern} ${subscription.queueGroup}`);
    }
  }
  if (awaitsReplies) subscribe.push(`${natsInboxPrefix(workload)}.>`);
  const publishPermission = only(publish);
  return {
    publish: publishDenied.length > 0 ? { ...publishPermission, deny: [...new Set(publishDenied)].sort() } : publishPermission,
    subscribe: only(subscribe),
  };
}

/** The JetStream subjects a durable pull consumer's client needs, for one stream and consumer. */
function consumerApiSubjects(stream: string, consumer: string): string[] {
  return [
    '$JS.API.INFO',
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.CONSUMER.INFO.${stream}.${consumer}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`,
    `$JS.ACK.${stream}.${consumer}.>`,
  ];
}

/**
 * What an ordered (ephemeral, unacknowledged) pull consumer's client needs: the account and
 * stream info it checks first, creating a consumer of any name filtered to exactly the event's
 * subject (the server checks the filter in the request against the one in the subject), and
 * pulling from it. Ordered consumers are named at random by the client and recreated on a gap,
 * so the name cannot be pinned.
 */
function orderedConsumerSubjects(stream: string, filter: string): string[] {
  return ['$JS.API.INFO', `$JS.API.STREAM.INFO.${stream}`, `$JS.API.CONSUMER.CREATE.${stream}.*.${filter}`, `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`];
}

/** The subjects that would let a pod take over, or read from, another service's durable consumer. */
function durableConsumerSubjects(stream: string, consumer: string): string[] {
  return [`$JS.API.CONSUMER.CREATE.${stream}.${consumer}.>`, `$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`];
}

/** The durable consumers on the stream of a subscription's event: every durable subscriber's. */
function durableConsumersOf(model: SystemModel, subscription: Subscription): string[] {
  const stream = subscription.event.stream!.name;
  return model.services.flatMap((service) =>
    service.subscribes.filter((s) => s.durable && s.event.stream?.name === stream).map(() => natsConsumerName(service)),
  );
}

/**
 * The NACK controller manages every stream and consumer of the account, so it gets the whole
 * JetStream API, and the default inbox for the answers.
 */
export const CONTROLLER_PERMISSIONS: NatsPermissions = {
  publish: { allow: ['$JS.API.>'] },
  subscribe: { allow: ['_INBOX.>'] },
};

/**
 * An allow list, sorted and without duplicates. An empty allow list means "no restriction" to
 * nats-server, so nothing allowed has to be written as deny-all.
 */
function only(subjects: readonly string[]): SubjectPermission {
  return subjects.length > 0 ? { allow: [...new Set(subjects)].sort() } : { deny: ['>'] };
}
