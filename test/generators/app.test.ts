// `yo polyglot` / `polyglot init`: a new system repository, its prompts, re-runs and bad input.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { parse } from 'yaml';
import { readModel } from '../../generators/lib/system.js';
import { REPO_ROOT } from '../support/tools.js';
import { newSystem, scratchDir, treeHash, yoRun } from './support.js';

afterEach(() => process.chdir(REPO_ROOT));

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

test('app --yes: a system repository whose main.ts runs and declares the system', async () => {
  const scratch = scratchDir();
  try {
    await yoRun('app', scratch.dir).withOptions({ yes: true, name: 'shop' } as never);
    for (const file of ['package.json', 'tsconfig.json', 'main.ts', 'cdk8s.yaml', 'buf.yaml', '.gitignore', 'README.md', 'model/index.ts', 'model/lookup.ts', '.yo-rc.json']) {
      assert.ok(existsSync(join(scratch.dir, file)), `${file} is written`);
    }
    const pkg = JSON.parse(read(scratch.dir, 'package.json')) as Record<string, any>;
    assert.equal(pkg.type, 'module');
    assert.deepEqual(pkg.scripts.start, 'polyglot synth');
    assert.deepEqual(pkg.scripts.test, 'polyglot check');
    for (const dep of ['generator-polyglot', 'zod']) assert.ok(pkg.dependencies[dep], `${dep} is a dependency`);
    for (const dep of ['tsx', 'cdk8s-cli', 'typescript']) assert.ok(pkg.dependencies[dep] ?? pkg.devDependencies[dep], `${dep} is a dependency`);
    assert.equal(parse(read(scratch.dir, 'cdk8s.yaml')).app, 'node --import tsx main.ts');
    const buf = parse(read(scratch.dir, 'buf.yaml'));
    assert.equal(buf.version, 'v2');
    assert.deepEqual(buf.modules, [{ path: 'contracts' }]);
    assert.match(read(scratch.dir, 'main.ts'), /from '\.\/model\/index\.js'/);
    const rc = JSON.parse(read(scratch.dir, '.yo-rc.json'))['generator-polyglot'];
    assert.deepEqual(rc.system, { name: 'shop', version: '0.1.0', imageRegistry: 'registry.example.com/shop' });
    const model = await readModel(scratch.dir);
    assert.deepEqual(model, { domains: [], services: [], calls: [], grpcContracts: [], eventContracts: [] });
  } finally {
    scratch.remove();
  }
});

test('app prompts for the name and the registry', async () => {
  const scratch = scratchDir();
  try {
    const result = await yoRun('app', scratch.dir).withAnswers({ name: 'market', imageRegistry: 'ghcr.io/acme' });
    assert.ok(result.askedQuestions.some((q) => q.name === 'name'));
    const rc = JSON.parse(read(scratch.dir, '.yo-rc.json'))['generator-polyglot'];
    assert.deepEqual(rc.system, { name: 'market', version: '0.1.0', imageRegistry: 'ghcr.io/acme' });
    assert.match(read(scratch.dir, 'main.ts'), /name: 'market'/);
    assert.match(read(scratch.dir, 'main.ts'), /imageRegistry: 'ghcr.io\/acme'/);
  } finally {
    scratch.remove();
  }
});

test('app re-run in an existing system keeps main.ts and the other user files', async () => {
  const system = await newSystem();
  try {
    const mine = `${read(system.dir, 'main.ts')}\n// my own line\n`;
    writeFileSync(join(system.dir, 'main.ts'), mine);
    writeFileSync(join(system.dir, 'README.md'), '# mine\n');
    await yoRun('app', system.dir).withOptions({ yes: true } as never);
    assert.equal(read(system.dir, 'main.ts'), mine);
    assert.equal(read(system.dir, 'README.md'), '# mine\n');
  } finally {
    system.remove();
  }
});

for (const [what, options, field] of [
  ['a name that is not a DNS label', { name: 'My_Shop' }, '--name'],
  ['a path as the name', { name: '../x' }, '--name'],
  ['a name over 30 characters', { name: 'a'.repeat(31) }, '--name'],
  ['a bad registry', { name: 'shop', imageRegistry: 'not a registry' }, '--image-registry'],
  ['a bad version', { name: 'shop', version: 'one' }, '--version'],
] as const) {
  test(`app refuses ${what}, naming ${field}, and writes nothing`, async () => {
    const scratch = scratchDir();
    try {
      const before = treeHash(scratch.dir);
      await assert.rejects(yoRun('app', scratch.dir).withOptions({ yes: true, ...options } as never), (error: Error) => {
        assert.equal(error.name, 'InputError');
        assert.ok(error.message.startsWith(`${field}:`), error.message);
        return true;
      });
      assert.deepEqual(treeHash(scratch.dir), before);
    } finally {
      scratch.remove();
    }
  });
}
