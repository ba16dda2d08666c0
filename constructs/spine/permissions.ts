import { natsConsumerName, natsInboxPrefix } from './client.js';
import type { Workload } from '../services/workload.js';

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
 * - subscribe: every core-NATS subscription, bound to its queue group (`"subject group"`), so
 *   the service cannot read the subject outside its group;
 * - durable subscriptions read through the service's own JetStream consumer: only the info,
 *   next-message and ack subjects of that stream and consumer, never `$JS.API.>` (which would let
 *   it create, purge or delete any stream);
 * - a service that waits for replies (JetStream PubAcks, pulled messages, API answers) may
 *   subscribe under its own inbox prefix only, not the shared `_INBOX.>`.
 * No service answers NATS requests in the model, so none gets `allow_responses`.
 */
export function servicePermissions(workload: Workload): NatsPermissions {
  const publish = workload.publishes.map((event) => event.subjectPattern);
  const subscribe: string[] = [];
  let awaitsReplies = workload.publishes.some((event) => event.stream !== undefined);

  for (const subscription of workload.subscribes) {
    const stream = subscription.event.stream;
    if (!subscription.durable || !stream) {
      subscribe.push(`${subscription.event.subjectPattern} ${subscription.queueGroup}`);
      continue;
    }
    const consumer = natsConsumerName(workload);
    publish.push(...consumerApiSubjects(stream.name, consumer));
    awaitsReplies = true;
  }
  if (awaitsReplies) subscribe.push(`${natsInboxPrefix(workload)}.>`);
  return { publish: only(publish), subscribe: only(subscribe) };
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
