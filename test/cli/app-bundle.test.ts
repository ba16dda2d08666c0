import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bundleApp } from '../../cli/app-bundle.js';
import { REPO, polyglot, tempDir } from '../support/cli.js';

/** Writes `files` (path → text) under `root`. */
function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/**
 * A system package as npm leaves it: its own name (imported by main.ts through the package's
 * `exports`), a JavaScript package and a TypeScript workspace package in node_modules, files in a
 * subfolder that read their own `import.meta`.
 */
function systemPackage(): string {
  const root = tempDir();
  // Code shared from outside the package (imported by path), with a dependency of its own.
  const outside = tempDir();
  write(outside, {
    'package.json': '{ "type": "module" }\n',
    'node_modules/outside-dep/package.json': JSON.stringify({ name: 'outside-dep', type: 'module', exports: './index.js' }),
    'node_modules/outside-dep/index.js': 'export const depUrl = import.meta.url;\n',
    'helper.ts': "export { depUrl } from 'outside-dep';\n",
  });
  write(root, {
    'package.json': JSON.stringify({ name: 'acme-system', type: 'module', exports: { './settings': './lib/settings.js' } }),
    'lib/settings.js': 'export const region = "eu-west-1";\nexport const where = import.meta.url;\n',
    'node_modules/plain-js/package.json': JSON.stringify({ name: 'plain-js', type: 'module', exports: './index.js' }),
    'node_modules/plain-js/index.js': 'export const loaded = import.meta.url;\n',
    'node_modules/shared-ts/package.json': JSON.stringify({ name: 'shared-ts', type: 'module', exports: './src/index.ts' }),
    'node_modules/shared-ts/src/index.ts': 'export const shared: string = import.meta.filename;\n',
    'parts/meta.ts': 'export const meta = { url: import.meta.url, dirname: import.meta.dirname, filename: import.meta.filename };\n',
    'parts/thrower.ts': 'export function fail(): never {\n  const reason: string = "the model is wrong";\n  throw new Error(reason);\n}\n',
    'main.ts': [
      "import { appendFileSync, writeFileSync } from 'node:fs';",
      "import { System } from 'generator-polyglot';",
      "import { region, where } from 'acme-system/settings';",
      "import { loaded } from 'plain-js';",
      "import { shared } from 'shared-ts';",
      "import { meta } from './parts/meta.js';",
      "import { fail } from './parts/thrower.js';",
      `import { depUrl } from ${JSON.stringify(join(outside, 'helper.ts'))};`,
      'const own: { url: string } = { url: import.meta.url };',
      'if (process.env.RUNS_FILE) appendFileSync(process.env.RUNS_FILE, "ran\\n");',
      'if (process.env.OUT_FILE) writeFileSync(process.env.OUT_FILE, JSON.stringify({ own, meta, region, where, loaded, shared, depUrl }));',
      'if (process.env.FAIL) fail();',
      "new System({ name: 'acme' }).synth();",
      '',
    ].join('\n'),
  });
  // As `npm link generator-polyglot` leaves it: the package outside node_modules' real paths.
  symlinkSync(REPO, join(root, 'node_modules/generator-polyglot'), 'dir');
  return root;
}

test('every file of the bundled system sees its own import.meta, and packages load from where Node finds them', () => {
  const root = systemPackage();
  const out = join(tempDir(), 'out.json');
  const result = polyglot(['synth', root, '--outdir', join(root, 'dist')], { env: { OUT_FILE: out } });
  assert.equal(result.code, 0, result.stderr);
  const { depUrl, ...seen } = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  const url = (path: string) => pathToFileURL(join(root, path)).href;
  assert.deepEqual(seen, {
    own: { url: url('main.ts') },
    meta: { url: url('parts/meta.ts'), dirname: join(root, 'parts'), filename: join(root, 'parts/meta.ts') },
    region: 'eu-west-1',
    where: url('lib/settings.js'), // the package's own file, by its name: loaded by Node, not copied
    loaded: url('node_modules/plain-js/index.js'), // a JavaScript package stays an import
    shared: join(root, 'node_modules/shared-ts/src/index.ts'), // TypeScript from a package is compiled in
  });
  // A package of a file from outside the system's package: found where that file finds it.
  assert.match(depUrl as string, /^file:\/\/.*\/node_modules\/outside-dep\/index\.js$/);
  assert.ok(!(depUrl as string).startsWith(pathToFileURL(root).href));
  const bundles = readdirSync(join(root, 'node_modules/.cache/polyglot'));
  assert.equal(bundles.filter((name) => /^app-[0-9a-f]{12}\.mjs$/.test(name)).length, 1, 'one bundle per system');
  assert.equal(bundles.filter((name) => /^app-[0-9a-f]{12}\.json$/.test(name)).length, 1, 'and its record');
  assert.ok(bundles.every((name) => !name.endsWith('.tmp')));
});

test('a second run in one process runs main.ts again', () => {
  const root = systemPackage();
  const runs = join(tempDir(), 'runs.txt');
  const driver = join(tempDir(), 'driver.mts');
  writeFileSync(
    driver,
    `import { runAppInProcess } from ${JSON.stringify(join(REPO, 'cli/run-app.ts'))};\n` +
      `const location = { dir: ${JSON.stringify(root)}, entry: ${JSON.stringify(join(root, 'main.ts'))}, outdir: ${JSON.stringify(join(root, 'dist'))} };\n` +
      // A promise chain, not top-level await: a run ends when the event loop is idle, which Node 24
      // takes for a top-level await that can never settle (exit 13), as the CLI's own entry does not.
      `const env = { RUNS_FILE: ${JSON.stringify(runs)} };\n` +
      `runAppInProcess(location, env).then((first) => runAppInProcess(location, env).then((second) => process.stdout.write(JSON.stringify([first, second]))));\n`,
  );
  const result = spawnSync(process.execPath, ['--import', 'tsx', driver], { cwd: REPO, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim().split('\n').at(-1), '[0,0]');
  assert.equal(readFileSync(runs, 'utf8'), 'ran\nran\n');
});

test("an error thrown by the system's code points at its TypeScript source line", () => {
  const root = systemPackage();
  const result = polyglot(['synth', root, '--outdir', join(root, 'dist')], { env: { FAIL: '1' } });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Error: the model is wrong/);
  assert.match(result.stderr, new RegExp(`${join(root, 'parts', 'thrower.ts').replaceAll('/', '\\/')}:3:`), result.stderr);
});

test('a syntax error is reported at its file, line and column, and nothing is written', () => {
  const root = systemPackage();
  write(root, { 'parts/meta.ts': 'export const meta = {\n  url: import.meta.url,,\n};\n' });
  const before = readdirSync(root).sort();
  const result = polyglot(['synth', root, '--outdir', join(root, 'dist')]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /ERROR\] Expected identifier but found ","\n\n\s+parts\/meta\.ts:2:23:/);
  assert.match(result.stderr, /nothing was written/);
  assert.doesNotMatch(result.stderr, /at .*node:internal/, 'a report, not a stack trace');
  assert.deepEqual(readdirSync(root).sort(), before, 'no output folder');
  assert.equal(existsSync(join(root, 'node_modules/.cache')), false, 'no bundle');
});

test('a system package without node_modules has no place for a bundle (tsx runs it)', async () => {
  const root = tempDir();
  write(root, { 'package.json': '{ "type": "module" }\n', 'main.ts': 'export {};\n' });
  assert.deepEqual(await bundleApp(join(root, 'main.ts')), { unplaced: true });
});

test('a bundle whose sources did not change is used again; any change to what it was made from compiles anew', () => {
  const root = systemPackage();
  const out = join(tempDir(), 'out.json');
  const synth = () => {
    const result = polyglot(['synth', root, '--outdir', join(root, 'dist')], { env: { OUT_FILE: out } });
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(readFileSync(out, 'utf8')) as { meta: unknown; region: string };
  };
  const cache = join(root, 'node_modules/.cache/polyglot');
  const bundle = () => {
    const name = readdirSync(cache).find((entry) => entry.endsWith('.mjs'))!;
    return { name, written: statSync(join(cache, name)).mtimeMs };
  };
  synth();
  const first = bundle();
  synth();
  assert.deepEqual(bundle(), first, 'unchanged sources: the same bundle, not written again');

  // A compiled file changes.
  write(root, { 'parts/meta.ts': 'export const meta = "edited";\n' });
  assert.equal(synth().meta, 'edited');
  // A file appears that an import now means (`./parts/meta.js` was meta.ts, is now meta.js).
  write(root, { 'parts/meta.js': 'export const meta = "shadowed";\n' });
  assert.equal(synth().meta, 'shadowed');
  // A file bound by path (the system's own package by its name) changes.
  write(root, { 'lib/settings.js': 'export const region = "us-east-2";\nexport const where = "";\n' });
  assert.equal(synth().region, 'us-east-2');
  // A tsconfig.json appears: compiled anew (its options can change the output).
  const beforeConfig = bundle();
  write(root, { 'tsconfig.json': '{ "compilerOptions": { "strict": true } }\n' });
  synth();
  assert.notEqual(bundle().written, beforeConfig.written);
});
