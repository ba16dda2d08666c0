import { z } from 'zod';
import type { EventContract } from './events.js';

/** A JSON Schema document, as plain JSON. */
export type JsonSchema = { readonly [key: string]: unknown };

/** The JSON Schema of an event's messages, or why the zod schema has none. */
export type EventSchemaResult = { readonly schema: JsonSchema } | { readonly error: string };

type Target = 'draft-2020-12' | 'draft-7';

const cache = new Map<Target, WeakMap<EventContract, EventSchemaResult>>();

/**
 * The event's zod schema as JSON Schema. It describes what a subscriber accepts (zod's input
 * side): defaulted fields are optional and unknown fields are allowed, because a zod object
 * strips them rather than failing. Draft 2020-12 for the schema files and the lock; draft 7 for
 * AsyncAPI, whose schema format is a superset of draft 7.
 *
 * Computed once per event and target; checks, the lock and the renderers share it.
 */
export function eventJsonSchema(event: EventContract, target: Target = 'draft-2020-12'): EventSchemaResult {
  let byEvent = cache.get(target);
  if (!byEvent) cache.set(target, (byEvent = new WeakMap()));
  let result = byEvent.get(event);
  if (!result) {
    try {
      result = { schema: z.toJSONSchema(event.schema, { io: 'input', target }) as JsonSchema };
    } catch (error) {
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    byEvent.set(event, result);
  }
  return result;
}
