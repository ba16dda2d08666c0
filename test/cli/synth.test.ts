import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JVN, REPO, polyglot, readTree, tempDir } from '../support/cli.js';

test('polyglot synth prints a summary of services, objects and files', () => {
  const out = join(tempDir(), 'out'); // synth keeps its versions beside the outdir: inside the temp folder
  const result = polyglot(['synth', JVN, '--outdir', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /services: 9 in 6 domains/);
  assert.match(result.stdout, /identity\s+go: identity {2}\| {2}rust: jwt-signer/);
  assert.match(result.stdout, /realtime\s+elixir: broadcast, presence/);
  assert.match(result.stdout, /objects: \d+ {2}\(.*Deployment 10, .*StatefulSet 1/);
  assert.match(result.stdout, /jvn-identity\.k8s\.yaml {2}\(\d+ objects/);
});

test('a broken model prints every problem, exits 1 and leaves the previous output intact', () => {
  const system = tempDir();
  const out = join(system, 'dist');
  mkdirSync(out);
  writeFileSync(join(out, 'previous.k8s.yaml'), 'kind: Namespace\n');
  writeFileSync(join(out, '.polyglot-output.json'), JSON.stringify({ schema: 'polyglot.dev/output/v1', system: 'broken', files: ['previous.k8s.yaml'] }));
  writeFileSync(join(system, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(system, 'main.ts'),
    `import { brokenSystem } from ${JSON.stringify(join(REPO, 'test/support/broken.ts'))};\nbrokenSystem().synth();\n`,
  );
  const result = polyglot(['synth', system]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /the model has problems, nothing was written/);
  assert.match(result.stderr, /10 errors, 1 warning/); // the warning: no contracts.lock.json
  for (const code of ['invalid-name', 'duplicate-name', 'port-clash', 'dangling-call', 'dangling-subscription', 'unknown-runtime', 'invalid-props']) {
    assert.match(result.stderr, new RegExp(`\\[${code}\\]`));
  }
  assert.doesNotMatch(result.stderr, /node:internal|at .*\.ts:\d+/, 'a report, not a stack trace');
  assert.deepEqual([...readTree(out).keys()], ['.polyglot-output.json', 'previous.k8s.yaml'], 'nothing written, nothing removed');
});

test('a missing main.ts is a clear error', () => {
  const result = polyglot(['synth', tempDir()]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no main\.ts in /);
});
