// polyglot in a user's own project, from the packed tarball, with no access to this repository's
// node_modules (issue 9 item 2, issue 11 "Done when"):
//   npx --package <tarball> polyglot init shop && cd shop && npm install
//   npm test && npm start                              (right after install)
//   npx polyglot new service --runtime go … --yes --skip-install   (and a typescript one)
//   npm start && npm test && npx cdk8s synth && npx polyglot --version
// plus `yo polyglot:contract`'s route (yeoman-environment's lookup finds dist/generators) and a
// CommonJS project. Building the rendered services' own toolchains is the template tests' job.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT } from './support/tools.js';
import { toolsCache } from './templates/support.js';

const MINUTES = 60_000;
const root = mkdtempSync(join(tmpdir(), 'polyglot-own-project-'));
let tarball = '';

/** The environment of a user's shell: no npm_* variables of the outer `npm test`, no
 * NODE_OPTIONS (tsx), and no PATH entry inside this repository (its node_modules/.bin). */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.toLowerCase().startsWith('npm_') || key === 'NODE_OPTIONS' || key === 'NODE_PATH' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '').split(delimiter).filter((p) => p && !p.startsWith(REPO_ROOT)).join(delimiter);
  return {
    ...env,
    npm_config_cache: toolsCache('npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    CDK8S_CHECK_UPGRADE: 'false',
    ...extra,
  };
}

function run(cwd: string, command: string, args: string[], options: { env?: Record<string, string>; timeout?: number } = {}): SpawnSyncReturns<string> & { output: string } {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: userEnv(options.env), timeout: options.timeout ?? 15 * MINUTES, maxBuffer: 64 << 20 });
  const output = `$ ${command} ${args.join(' ')}  (in ${cwd}, ${((Date.now() - started) / 1000).toFixed(1)}s, exit ${result.status ?? result.signal})\n${result.error ? `${result.error.message}\n` : ''}${result.stdout}${result.stderr}`;
  console.log(output.split('\n').slice(0, 3).join('\n'));
  return Object.assign(result, { output });
}

function ok(result: ReturnType<typeof run>): void {
  assert.equal(result.status, 0, result.output);
}

before(
  () => {
    // `npm pack` runs `prepare` (the build), so dist/ is fresh; the tarball is all a user gets.
    const pack = join(root, 'pack');
    mkdirSync(pack);
    const packed = run(REPO_ROOT, 'npm', ['pack', '--pack-destination', pack, '--json'], { timeout: 20 * MINUTES });
    ok(packed);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = join(pack, info!.filename);
    const files = info!.files.map((f) => f.path);
    assert.ok(files.includes('dist/generators/app/index.js') && files.includes('dist/cli/main.js'), 'the tarball holds the built generators and CLI');
    assert.ok(!files.some((f) => f.startsWith('generators/')), 'no TypeScript generator sources (yo would try to load them)');
    assert.ok(files.some((f) => f.startsWith('templates/go-service/')) && files.some((f) => f.startsWith('templates/ts-api/')), 'the templates ship');
  },
  { timeout: 25 * MINUTES },
);
after(() => rmSync(root, { recursive: true, force: true }));

test('init, install, new service (go and typescript), synth, check and cdk8s synth from the tarball', { timeout: 60 * MINUTES }, () => {
  const work = join(root, 'work');
  mkdirSync(work);
  ok(run(work, 'npx', ['--yes', '--package', tarball, 'polyglot', 'init', 'shop', '--yes']));
  const shop = join(work, 'shop');
  for (const file of ['package.json', 'main.ts', 'tsconfig.json', 'cdk8s.yaml', 'buf.yaml', '.gitignore', 'README.md', '.yo-rc.json', 'model/index.ts']) {
    assert.ok(existsSync(join(shop, file)), `polyglot init wrote ${file}`);
  }
  // The tarball is not on the registry: point the dependency at it, as a user testing a build would.
  const pkg = JSON.parse(readFileSync(join(shop, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies['generator-polyglot'] = `file:${tarball}`;
  writeFileSync(join(shop, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  ok(run(shop, 'npm', ['install']));

  // Works at once (asserted at the end, so one failure here does not hide the rest).
  const atOnce = [run(shop, 'npm', ['test']), run(shop, 'npm', ['start'])];

  ok(run(shop, 'npx', ['polyglot', 'new', 'service', '--runtime', 'go', '--name', 'billing', '--domain', 'billing', '--yes', '--skip-install']));
  ok(run(shop, 'npx', ['polyglot', 'new', 'service', '--runtime', 'typescript', '--name', 'gateway', '--domain', 'edge', '--calls', 'billing', '--yes', '--skip-install']));
  for (const file of [
    'contracts/shop/billing/v1/billing.proto',
    'model/contracts/billing.ts',
    'model/services/billing.ts',
    'model/services/gateway.ts',
    'services/billing/go.mod',
    'services/billing/proto/shop/billing/v1/billing.proto',
    'services/gateway/package.json',
    'services/gateway/proto/shop/billing/v1/billing.proto',
  ]) {
    assert.ok(existsSync(join(shop, file)), `the service generator wrote ${file}`);
  }
  assert.ok(!readdirSync(join(shop, 'services', 'billing')).includes('template.json'));

  ok(run(shop, 'npm', ['start']));
  const manifests = readdirSync(join(shop, 'dist'), { recursive: true }).map(String);
  const all = manifests.filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(shop, 'dist', f), 'utf8')).join('\n');
  assert.match(all, /name: billing\b/, 'the synthesized system has the billing service');
  assert.match(all, /name: gateway\b/, 'the synthesized system has the gateway service');
  ok(run(shop, 'npm', ['test']));
  ok(run(shop, 'npm', ['run', 'typecheck']));
  ok(run(shop, 'npx', ['cdk8s', 'synth']));
  const version = run(shop, 'npx', ['polyglot', '--version']);
  ok(version);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);

  // `yo polyglot:contract`'s route: yeoman-environment's own lookup in the user's node_modules
  // finds the built generators (and nothing else), and runs one.
  writeFileSync(
    join(shop, 'yo-lookup.mjs'),
    `import { createEnv } from 'yeoman-environment';
const env = createEnv();
const found = await env.lookup({ localOnly: true });
console.log(JSON.stringify(found.filter((m) => m.namespace.startsWith('polyglot')).map((m) => [m.namespace, m.resolved]).sort()));
await env.run(['polyglot:contract'], { kind: 'event', name: 'order-placed', subject: 'shop.orders.placed.{order}', yes: true, skipInstall: true });
`,
  );
  const yo = run(shop, 'node', ['yo-lookup.mjs']);
  ok(yo);
  const namespaces = JSON.parse(yo.stdout.split('\n').find((l) => l.startsWith('['))!) as [string, string][];
  assert.deepEqual(namespaces.map(([ns]) => ns), ['polyglot:app', 'polyglot:contract', 'polyglot:service']);
  for (const [ns, resolved] of namespaces) assert.match(resolved, /node_modules\/generator-polyglot\/dist\/generators\/\w+\/index\.js$/, ns);
  assert.ok(existsSync(join(shop, 'model/contracts/order-placed.ts')));
  rmSync(join(shop, 'yo-lookup.mjs'));
  ok(run(shop, 'npm', ['test']));

  for (const result of atOnce) ok(result);
});

test('a CommonJS project (npm init, no "type": "module") works or gets one clear sentence', { timeout: 30 * MINUTES }, () => {
  const cjs = join(root, 'cjs');
  mkdirSync(cjs);
  ok(run(cjs, 'npm', ['init', '-y']));
  ok(run(cjs, 'npm', ['install', tarball, 'zod']));
  writeFileSync(
    join(cjs, 'main.ts'),
    `import { System } from 'generator-polyglot';

const system = new System({ name: 'plain' });
system.domain('core');
system.synth();
`,
  );
  const synth = run(cjs, 'npx', ['polyglot', 'synth']);
  const check = run(cjs, 'npx', ['polyglot', 'check']);
  console.log(`CommonJS project: synth exit ${synth.status}, check exit ${check.status}\n${synth.stderr}\n${check.stderr}`);
  for (const result of [synth, check]) {
    if (result.status === 0) continue;
    assert.equal(result.status, 1, result.output);
    assert.match(result.stderr, /"type": "module"/, `one clear sentence saying what to change:\n${result.output}`);
    assert.doesNotMatch(result.stderr, /\n\s+at /, `no stack trace:\n${result.output}`);
  }
});
