// Writes schemas/service-config.v1.json from its one source, constructs/core/service-config.ts.
// `npm run schemas` after changing the schema; a test fails while the file is stale.
import { writeFileSync } from 'node:fs';
import { serviceConfigJsonSchema } from '../constructs/core/service-config.js';
import { stableJson } from '../constructs/core/stable-json.js';

const target = new URL('../schemas/service-config.v1.json', import.meta.url);
writeFileSync(target, stableJson(serviceConfigJsonSchema()));
console.log(`wrote ${target.pathname}`);
