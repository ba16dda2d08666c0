import { eventJsonSchema } from '../contracts/json-schema.js';
import type { Problem } from '../core/problems.js';
import type { Check } from '../extension.js';

/**
 * An event's schema is published as JSON Schema (for subscribers in every language) and locked
 * for breaking-change checks, so it must have one: `z.date()`, `z.bigint()`, transforms' outputs
 * and custom types do not.
 */
export const eventSchemas: Check = (model) =>
  model.eventContracts.flatMap((event): Problem[] => {
    const result = eventJsonSchema(event);
    if ('schema' in result) return [];
    return [
      {
        severity: 'error',
        code: 'event-schema-unrepresentable',
        path: event.node.path,
        message: `the schema of event '${event.name}' has no JSON Schema form: ${result.error}`,
        why: 'subscribers in Go, Rust and Elixir read the JSON Schema, and the lock compares it: a schema without one cannot be a contract',
        fix: 'use JSON types in the schema: z.iso.datetime() instead of z.date(), z.string() for big integers, no transforms',
      },
    ];
  });
