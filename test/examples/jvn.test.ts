import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { JVN, REPO, polyglot, readTree, tempDir } from '../support/cli.js';

const SNAPSHOT = join(REPO, 'test/__snapshots__/jvn');

/** `polyglot synth examples/jvn`; the snapshot is taken with the diagrams drawn (the jvn README shows them). */
function synthJvn(...options: string[]): Map<string, string> {
  const out = join(tempDir(), 'out'); // inside the temp folder: synth keeps its versions beside the outdir
  const result = polyglot(['synth', JVN, '--outdir', out, ...options]);
  assert.equal(result.code, 0, result.stderr);
  return readTree(out);
}

test('examples/jvn: one manifest file per domain, and every file matches the snapshot', () => {
  const files = synthJvn('--diagrams');
  const domains = ['billing', 'catalog', 'edge', 'identity', 'media', 'realtime'].map((d) => `jvn-${d}.k8s.yaml`);
  for (const file of domains) assert.ok(files.has(file), `${file} is written`);
  if (process.env.UPDATE_SNAPSHOTS) {
    rmSync(SNAPSHOT, { recursive: true, force: true });
    for (const [file, content] of files) {
      mkdirSync(dirname(join(SNAPSHOT, file)), { recursive: true });
      writeFileSync(join(SNAPSHOT, file), content);
    }
  }
  const snapshot = readTree(SNAPSHOT);
  assert.deepEqual([...files.keys()], [...snapshot.keys()], 'run UPDATE_SNAPSHOTS=1 npm test after an intended change');
  for (const [file, content] of files) assert.equal(content, snapshot.get(file), `${file} differs from the snapshot (UPDATE_SNAPSHOTS=1 to accept)`);
});

test('examples/jvn: two synths in separate processes give byte-identical output', () => {
  assert.deepEqual([...synthJvn('--diagrams').entries()], [...synthJvn('--diagrams').entries()]);
});

test('examples/jvn: `cdk8s synth` produces the same files as `polyglot synth`', () => {
  const out = join(tempDir(), 'out');
  const cdk8s = spawnSync(join(REPO, 'node_modules/.bin/cdk8s'), ['synth', '--output', out], {
    cwd: JVN,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
  assert.equal(cdk8s.status, 0, cdk8s.stderr);
  assert.deepEqual([...readTree(out).entries()], [...synthJvn().entries()]);
});
