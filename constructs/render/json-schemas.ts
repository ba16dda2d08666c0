import { eventJsonSchema } from '../contracts/json-schema.js';
import type { SystemModel } from '../model.js';
import { stableJson } from '../core/stable-json.js';

/**
 * One JSON Schema file per event, `contracts/<event>.schema.json` (path relative to the outdir):
 * the zod schema as subscribers in any language validate it, with the event's name, description,
 * subject and version. Keys are sorted, so the bytes only change when the schema does.
 */
export function renderJsonSchemas(model: SystemModel): Map<string, string> {
  const files = new Map<string, string>();
  for (const event of model.eventContracts) {
    const result = eventJsonSchema(event);
    // The event-schemas check has stopped synth before this for a schema without a JSON form.
    if (!('schema' in result)) continue;
    const document = {
      ...result.schema,
      title: event.name,
      description: event.description,
      'x-polyglot': { subject: event.subject, version: event.version },
    };
    files.set(`contracts/${event.name}.schema.json`, `${stableJson(document)}\n`);
  }
  return files;
}
