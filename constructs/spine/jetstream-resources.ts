import { ApiObject, type Chart } from 'cdk8s';
import { natsConsumerName } from './client.js';
import type { SystemModel } from '../model.js';
import { declaredStreams, streamResourceName } from './streams.js';

const API_VERSION = 'jetstream.nats.io/v1beta2';
/** How long a pulled message may stay unacknowledged before it is delivered again. */
const ACK_WAIT = '30s';

/**
 * The streams and durable consumers as NACK resources; the NACK controller creates them in
 * NATS, so no service needs rights to create or change a stream. Settings whose NACK defaults
 * are surprising are always written out: `storage` (default memory, lost on restart), `ackPolicy`
 * (default none, a crash loses messages) and `ackWait` (default 1ns).
 */
export function synthesizeJetStreamResources(chart: Chart, model: SystemModel, labels: (component: string) => Record<string, string>): void {
  for (const { event, stream } of declaredStreams(model)) {
    const resourceName = streamResourceName(stream.name);
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
        retention: 'limits',
        discard: 'old',
      },
    });

    for (const { subscriber, subscription } of model.subscribersOf(event)) {
      if (!subscription.durable) continue;
      const consumer = natsConsumerName(subscriber);
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
          ackWait: ACK_WAIT,
          replayPolicy: 'instant',
        },
      });
    }
  }
}
