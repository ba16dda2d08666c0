import type { SynthContext, Synthesizer } from '../extension.js';
import { ASYNCAPI_FILE, renderAsyncApi } from './asyncapi.js';
import { renderJsonSchemas } from './json-schemas.js';

/** Writes each event's JSON Schema and, when the system has events, the AsyncAPI document. */
export const contractDocuments: Synthesizer = {
  synthesize(context: SynthContext): void {
    for (const [path, content] of renderJsonSchemas(context.model)) context.addFile(path, content);
    if (context.model.eventContracts.length > 0) context.addFile(ASYNCAPI_FILE, renderAsyncApi(context.model));
  },
};
