import type { EventContract, EventStream } from '../contracts/events.js';
import type { SystemModel } from '../model.js';

/** A JetStream stream as the model declares it: on one event, keeping that event's subject. */
export interface DeclaredStream {
  readonly event: EventContract;
  readonly stream: EventStream;
}

/** The streams of events some service publishes or subscribes to, sorted by stream name. */
export function declaredStreams(model: SystemModel): DeclaredStream[] {
  return model.eventContracts
    .filter((event) => event.stream !== undefined && (model.publishersOf(event).length > 0 || model.subscribersOf(event).length > 0))
    .map((event) => ({ event, stream: event.stream! }))
    .sort((a, b) => a.stream.name.localeCompare(b.stream.name) || a.event.name.localeCompare(b.event.name));
}

/** `metadata.name` of a stream's NACK resource: the stream name as a DNS label (`PRESENCE` → `presence`). */
export function streamResourceName(stream: string): string {
  return stream.toLowerCase().replace(/_/g, '-');
}
