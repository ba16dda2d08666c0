import { ApiObject, type Chart } from 'cdk8s';
import { natsConsumerName } from './client.js';
import { consumerLimits } from './consumer-limits.js';
import type { SystemModel } from '../model.js';
import { formatDuration, parseDuration } from '../core/units.js';
import {
  DEAD_LETTER_BYTES,
  DEAD_LETTER_STREAM,
  declaredStreams,
  hasDurableConsumers,
  MAX_DELIVERIES_ADVISORY,
  streamResourceName,
  type StoreBudget,
} from './streams.js';

const API_VERSION = 'jetstream.nats.io/v1beta2';

/**
 * The streams and durable consumers as NACK resources; the NACK controller creates them in
 * NATS, so no service needs rights to create or change a stream. Settings whose NACK defaults
 * are surprising are always written out: `storage` (default memory, lost on restart), `ackPolicy`
 * (default none, a crash loses messages) and `ackWait` (default 1ns). Every stream is bounded in
 * bytes and messages, every consumer in deliveries and in-flight messages (`budget`,
 * consumer-limits.ts), and a message a consumer gives up on is reported to the dead-letter stream.
 */
export function synthesizeJetStreamResources(
  chart: Chart,
  model: SystemModel,
  budget: StoreBudget,
  clusterSize: number,
  labels: (component: string) => Record<string, string>,
): void {
  const durableStreams: string[] = [];
  let longestAgeMs = 0;
  for (const { event, stream } of declaredStreams(model)) {
    const resourceName = streamResourceName(stream.name);
    const limits = budget.limits.get(stream.name)!;
    new ApiObject(chart, `stream-${resourceName}`, {
      apiVersion: API_VERSION,
      kind: 'Stream',
      metadata: { name: resourceName, labels: labels('stream') },
      spec: {
        name: stream.name,
        description: `Event '${event.name}' (${event.subject})`,
        subjects: [event.subjectPattern],
        storage: stream.storage,
        replicas: stream.replicas,
        maxAge: stream.maxAge,
        maxBytes: limits.maxBytes,
        maxMsgs: limits.maxMsgs,
        retention: 'limits',
        discard: 'old',
      },
    });

    for (const { subscriber, subscription } of model.subscribersOf(event)) {
      if (!subscription.durable) continue;
      durableStreams.push(stream.name);
      longestAgeMs = Math.max(longestAgeMs, parseDuration(stream.maxAge) ?? 0);
      const consumer = natsConsumerName(subscriber);
      const bounds = consumerLimits(subscriber, subscription);
      new ApiObject(chart, `consumer-${resourceName}-${consumer}`, {
        apiVersion: API_VERSION,
        kind: 'Consumer',
        metadata: { name: `${resourceName}-${consumer}`, labels: labels('consumer') },
        spec: {
          streamName: stream.name,
          durableName: consumer,
          description: `${subscriber.namespace}/${subscriber.name} reads '${event.name}'`,
          filterSubject: event.subjectPattern,
          deliverPolicy: 'all',
          ackPolicy: 'explicit',
          ackWait: bounds.ackWait,
          maxDeliver: bounds.maxDeliver,
          ...(bounds.backoff.length > 0 ? { backoff: bounds.backoff } : {}),
          maxAckPending: bounds.maxAckPending,
          replayPolicy: 'instant',
        },
      });
    }
  }

  if (!hasDurableConsumers(model)) return;
  // The server reports a message that reached maxDeliver with an advisory (stream, consumer,
  // stream sequence, deliveries); this stream keeps those advisories. The message itself stays
  // in its stream until maxAge, so the dead-letter stream keeps them as long as the longest of
  // those streams: an entry always points at a message that can still be read.
  new ApiObject(chart, 'stream-dead-letters', {
    apiVersion: API_VERSION,
    kind: 'Stream',
    metadata: { name: streamResourceName(DEAD_LETTER_STREAM), labels: labels('dead-letters') },
    spec: {
      name: DEAD_LETTER_STREAM,
      description: 'Messages a durable consumer gave up on after maxDeliver deliveries (MAX_DELIVERIES advisories)',
      subjects: [...new Set(durableStreams)].sort().map((stream) => `${MAX_DELIVERIES_ADVISORY}.${stream}.*`),
      storage: 'file',
      replicas: Math.min(3, clusterSize),
      maxAge: formatDuration(longestAgeMs),
      maxBytes: DEAD_LETTER_BYTES,
      maxMsgs: Math.floor(DEAD_LETTER_BYTES / 64),
      retention: 'limits',
      discard: 'old',
    },
  });
}
