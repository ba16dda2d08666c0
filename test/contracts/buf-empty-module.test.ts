// A new system has its buf module before its first .proto file (polyglot init writes one): buf
// refuses such a module, so the proto checks and the lock wait for the first contract instead of
// failing the fresh system.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO, polyglot, tempDir } from '../support/cli.js';

const dir = tempDir('polyglot-empty-buf-');
after(() => rmSync(dir, { recursive: true, force: true }));

test('a buf module without .proto files passes polyglot check and synth', () => {
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'buf.yaml'), 'version: v2\nmodules:\n  - path: contracts\n');
  mkdirSync(join(dir, 'contracts'));
  writeFileSync(join(dir, 'contracts', 'README.md'), 'protos go here\n');
  writeFileSync(
    join(dir, 'main.ts'),
    `import { System, TsApi } from ${JSON.stringify(join(REPO, 'constructs/index.ts'))};\nconst system = new System({ name: 'shop' });\nnew TsApi(system.domain('edge'), 'gateway', {});\nsystem.synth();\n`,
  );
  const check = polyglot(['check', dir]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.doesNotMatch(check.stdout, /buf-failed/);
  const synth = polyglot(['synth', dir]);
  assert.equal(synth.code, 0, synth.stderr);
});
