// polyglot.dev/service-config/v1 is a published contract: the JSON Schema in the package is
// exactly what its zod source emits, and every config synth writes for jvn satisfies it.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { serviceConfigJsonSchema, serviceConfigSchema } from '../../constructs/index.js';
import { stableJson } from '../../constructs/core/stable-json.js';
import { generateSystem } from '../../bench/generate.js';
import { JVN, REPO, polyglot, readTree, tempDir } from '../support/cli.js';

test('schemas/service-config.v1.json is current (npm run schemas regenerates it)', () => {
  assert.equal(readFileSync(join(REPO, 'schemas/service-config.v1.json'), 'utf8'), stableJson(serviceConfigJsonSchema()));
});

test('every service config of jvn parses with the published schema, and a wrong one is refused', () => {
  const out = tempDir('polyglot-config-schema-');
  let files: Map<string, string>;
  try {
    const result = polyglot(['synth', JVN, '--outdir', join(out, 'dist')]);
    assert.equal(result.code, 0, result.stderr);
    files = readTree(join(out, 'dist'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const configs = configsOf(files);
  assert.ok(configs.length >= 6);
  for (const config of configs) assert.equal(serviceConfigSchema.safeParse(config).success, true, JSON.stringify(config));
  const wrong = { ...configs[0]!, calls: [{ contract: 'x', grpcService: 'a.B', target: 'dns:///x:1', timeout: '30ms', timeoutMs: -1, retries: 0 }] };
  assert.equal(serviceConfigSchema.safeParse(wrong).success, false);
});

test('every service config of a generated 100-service system (all runtimes, calls, events) parses with the schema', () => {
  const { system } = generateSystem({ services: 100 });
  const configs = configsOf(system.files());
  assert.equal(configs.length, 100);
  for (const config of configs) {
    const parsed = serviceConfigSchema.safeParse(config);
    assert.equal(parsed.success, true, parsed.success ? '' : parsed.error.message);
  }
});

/** The `service.json` of every ConfigMap in the manifests. */
function configsOf(files: ReadonlyMap<string, string>): Record<string, unknown>[] {
  return [...files].filter(([path]) => path.endsWith('.k8s.yaml')).flatMap(([, text]) =>
    parseAllDocuments(text)
      .map((d) => d.toJS() as { kind?: string; data?: Record<string, string> })
      .filter((o) => o?.kind === 'ConfigMap' && o.data?.['service.json'])
      .map((o) => JSON.parse(o.data!['service.json']!) as Record<string, unknown>),
  );
}
