// The bad-input corpus (test/bad-input/cases.ts) and the file-level mistakes. Every case must end
// in exit 1 (in-process: a SynthError, which `polyglot synth` turns into exit 1), with a problem
// that names the construct path and a fix, no stack trace, and an output directory left as it was.
//
// Spawning the CLI costs about a second per case on this machine, so every case runs in-process
// through the System API with the same assertions, and a representative subset (one or more per
// area, plus every file-level case) runs through the real `polyglot synth`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GoService, GrpcContract, System, SynthError, type Problem } from '../../constructs/index.js';
import { REPO, polyglot, readTree, tempDir } from '../support/cli.js';
import { CASES, type BadInputCase } from './cases.js';

const STACK_FRAME = /^\s+at .*(\(|:\d+)|node:internal/m;

function runInProcess(c: BadInputCase): { system: System | undefined; error: SynthError; outdir: string } {
  const outdir = join(tempDir('bad-input-'), 'out');
  let system: System | undefined;
  try {
    system = new System({ name: 'bad', ...c.system, outdir } as never);
    c.build?.(system);
    system.synth();
  } catch (error) {
    assert.ok(error instanceof SynthError, `${c.name}: expected a SynthError, got ${error instanceof Error ? error.stack : String(error)}`);
    return { system, error, outdir };
  }
  assert.fail(`${c.name}: synth accepted the model`);
}

function matching(c: BadInputCase, root: string, problems: readonly Problem[]): Problem | undefined {
  const path = c.expect.path === '' ? root : `${root}/${c.expect.path}`;
  return problems.find((p) => p.code === c.expect.code && p.path === path && c.expect.message.test(p.message));
}

test('the corpus has at least 60 cases, unique names, and covers every area', () => {
  assert.ok(CASES.length >= 60, `${CASES.length} cases`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  const areas = new Set(CASES.map((c) => c.area));
  for (const area of ['names', 'subjects', 'labels', 'env', 'durations', 'sizes', 'ports', 'resources', 'ingress', 'schemas', 'paths']) assert.ok(areas.has(area as never), area);
});

describe('in-process: System API', () => {
  for (const c of CASES) {
    test(`${c.area}: ${c.name}`, () => {
      const { system, error, outdir } = runInProcess(c);
      const root = system?.name ?? 'bad';
      const problem = matching(c, root, error.problems);
      assert.ok(problem, `${c.name}: expected ${c.expect.code} at ${c.expect.path || '(system)'} matching ${c.expect.message}; got:\n${error.problems.map((p) => `${p.code} ${p.path}: ${p.message}`).join('\n')}`);
      assert.equal(problem.severity, 'error');
      assert.ok(problem.fix.length > 10, `${c.name}: a fix`);
      assert.ok(error.message.includes(`fix: ${problem.fix}`), 'the report prints the fix');
      assert.doesNotMatch(error.message, STACK_FRAME, 'a report, not a stack trace');
      assert.equal(existsSync(outdir), false, 'nothing written');
    });
  }
});

/** A system folder whose main.ts builds one corpus case and synthesizes it. */
function caseFolder(c: BadInputCase): string {
  const dir = tempDir('bad-input-cli-');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const from = (path: string) => JSON.stringify(join(REPO, path));
  writeFileSync(
    join(dir, 'main.ts'),
    [
      `import { System } from ${from('constructs/index.ts')};`,
      `import { CASES } from ${from('test/bad-input/cases.ts')};`,
      `const c = CASES.find((c) => c.name === ${JSON.stringify(c.name)})!;`,
      `const system = new System({ name: 'bad', ...c.system } as never);`,
      `c.build?.(system);`,
      `system.synth();`,
      '',
    ].join('\n'),
  );
  return dir;
}

/** An output folder with a previous output in it, to prove a failed synth leaves it alone. */
function previousOutput(dir: string): string {
  const out = join(dir, 'dist');
  mkdirSync(out);
  writeFileSync(join(out, 'previous.k8s.yaml'), 'kind: Namespace\n');
  writeFileSync(join(out, '.polyglot-output.json'), JSON.stringify({ schema: 'polyglot.dev/output/v1', system: 'bad', files: ['previous.k8s.yaml'] }));
  return out;
}

const CLI_SUBSET = [
  'service name starting with a digit',
  'empty service name',
  'two gRPC contracts of one name',
  'domain named contracts',
  'service name of 63 characters (instance label 72)',
  'subject token not a field of the schema',
  'env POD_NAME set by polyglot',
  'timeout so large it became null',
  'zero NATS storage',
  'cpuRequest above cpuLimit',
  'port above 65535',
  'TLS secret with shell characters',
  'ingress path climbing out',
  'event schema not a zod schema',
  'lock file not JSON',
  'a service created on the System',
];

describe('through the CLI: polyglot synth', () => {
  for (const name of CLI_SUBSET) {
    const c = CASES.find((candidate) => candidate.name === name);
    test(`${c?.area}: ${name}`, () => {
      assert.ok(c, `${name} is a corpus case`);
      const dir = caseFolder(c);
      const out = previousOutput(dir);
      const result = polyglot(['synth', dir]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      const path = c.expect.path === '' ? 'bad' : `bad/${c.expect.path}`;
      assert.ok(result.stderr.split('\n').includes(path), `the report names ${path}:\n${result.stderr}`);
      assert.match(result.stderr, new RegExp(`\\[${c.expect.code}\\]`));
      assert.match(result.stderr, /^ {10}fix: \S/m);
      assert.doesNotMatch(result.stderr, STACK_FRAME, 'a report, not a stack trace');
      assert.deepEqual([...readTree(out).keys()], ['.polyglot-output.json', 'previous.k8s.yaml'], 'nothing written, nothing removed');
    });
  }
});

describe('files: what polyglot synth reads besides the model', () => {
  const folder = (files: Record<string, string>) => {
    const dir = tempDir('bad-input-files-');
    for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
    return dir;
  };
  const validMain = `import { System, GoService } from ${JSON.stringify(join(REPO, 'constructs/index.ts'))};\nconst s = new System({ name: 'ok' });\nnew GoService(s.domain('core'), 'svc', {});\n`;
  const cases: { name: string; files: Record<string, string>; stderr: RegExp }[] = [
    { name: 'malformed cdk8s.yaml names the file', files: { 'package.json': '{ "type": "module" }', 'main.ts': `${validMain}s.synth();\n`, 'cdk8s.yaml': 'output: [dist\n' }, stderr: /cdk8s\.yaml is not valid YAML/ },
    { name: 'main.ts that never calls synth()', files: { 'package.json': '{ "type": "module" }', 'main.ts': validMain }, stderr: /never called system\.synth\(\), so nothing was written; end main\.ts with system\.synth\(\)/ },
    { name: 'a CommonJS package.json', files: { 'package.json': '{ "type": "commonjs" }', 'main.ts': `${validMain}s.synth();\n` }, stderr: /add "type": "module"/ },
    { name: 'a package.json that is not JSON', files: { 'package.json': '{ type: module', 'main.ts': `${validMain}s.synth();\n` }, stderr: /package\.json is not valid JSON/ },
    { name: 'no main.ts', files: { 'package.json': '{ "type": "module" }' }, stderr: /no main\.ts in .*polyglot init/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const dir = folder(c.files);
      const out = previousOutput(dir);
      const result = polyglot(['synth', dir]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stderr, c.stderr);
      assert.doesNotMatch(result.stderr, STACK_FRAME, 'a sentence, not a stack trace');
      assert.deepEqual([...readTree(out).keys()], ['.polyglot-output.json', 'previous.k8s.yaml'], 'nothing written, nothing removed');
    });
  }
});

describe('accepted with a warning: written, but said out loud', () => {
  test('literal secrets in env (DB_PASSWORD, API_TOKEN) are a warning naming each variable', () => {
    const system = new System({ name: 'warn' });
    new GoService(system.domain('core'), 'svc', { env: { DB_PASSWORD: 'hunter2', API_TOKEN: 't0k3n', LOG_LEVEL: 'info', TOKEN_BUCKET_SIZE: '' } });
    const warnings = system.check().filter((p) => p.code === 'secret-in-env');
    assert.deepEqual(warnings.map((p) => [p.severity, p.path, p.message.split(' looks')[0]]), [
      ['warning', 'warn/core/svc', 'env API_TOKEN'],
      ['warning', 'warn/core/svc', 'env DB_PASSWORD'],
    ]);
    assert.match(warnings[0]!.fix, /Kubernetes Secret/);
  });

  test('no contracts.lock.json is a warning with the command that writes it; none without contracts', () => {
    const root = tempDir('nolock-');
    const empty = new System({ name: 'nolock', contracts: { root } });
    assert.deepEqual(empty.check().filter((p) => p.code === 'contracts-lock-missing'), []);
    const system = new System({ name: 'nolock', contracts: { root } });
    new GrpcContract(system, 'api', { proto: 'contracts/a.proto', service: 'nolock.a.v1.Api' });
    const [warning] = system.check().filter((p) => p.code === 'contracts-lock-missing');
    assert.equal(warning?.severity, 'warning');
    assert.equal(warning?.path, 'nolock');
    assert.match(warning!.message, /there is no contracts\.lock\.json: breaking changes to the 1 contract go undetected/);
    assert.match(warning!.fix, /run `polyglot contracts lock`/);
  });
});
