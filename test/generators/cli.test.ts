// The CLI around the generators: exit codes and one clear sentence, no stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/tools.js';
import { newSystem, scratchDir, treeHash } from './support.js';

const polyglot = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'cli', 'main.ts'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

test('polyglot new service with a bad name: exit 1, the field named, nothing written', async () => {
  const system = await newSystem();
  try {
    const before = treeHash(system.dir);
    const result = polyglot(system.dir, 'new', 'service', '--runtime', 'go', '--name', '../x', '--yes');
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /^polyglot: --name: '\.\.\/x' must be lower-case letters/m);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(treeHash(system.dir), before);
  } finally {
    system.remove();
  }
});

test('polyglot init refuses a folder holding a project of its own, and writes nothing', () => {
  const scratch = scratchDir();
  try {
    writeFileSync(join(scratch.dir, 'package.json'), '{"name":"theirs"}\n');
    const before = treeHash(scratch.dir);
    const result = polyglot(scratch.dir, 'init', '.', '--yes');
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /^polyglot: \[dir\]: \. already holds a package\.json that polyglot did not make/m);
    assert.deepEqual(treeHash(scratch.dir), before);
  } finally {
    scratch.remove();
  }
});
