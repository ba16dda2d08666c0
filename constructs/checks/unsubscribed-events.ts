import type { Problem } from '../core/problems.js';
import type { Check } from '../extension.js';

/**
 * An event nobody subscribes to is published into nothing: core NATS drops it, a stream keeps it
 * until maxAge for no reader. A warning, not an error: a new event often ships before its first
 * subscriber, and readers outside the system are possible.
 */
export const unsubscribedEvents: Check = (model) => {
  const problems: Problem[] = [];
  for (const event of model.eventContracts) {
    if (model.subscribersOf(event).length > 0) continue;
    const published = model.publishersOf(event).length > 0;
    problems.push({
      severity: 'warning',
      code: 'unsubscribed-event',
      path: event.node.path,
      message: `event '${event.name}' (${event.subject}) has no subscriber${published ? '' : ' and no publisher'} in the system`,
      why: published
        ? `its messages reach no one${event.stream ? ` and sit in stream ${event.stream.name} until they expire` : ': core NATS drops them'}`
        : 'an unused contract is noise in the catalog and in NATS permissions',
      fix: published ? 'subscribe to it where it is needed, or stop publishing it' : 'use it, or delete the EventContract',
    });
  }
  return problems;
};
