import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JVN, REPO, polyglot, readTree, tempDir } from '../support/cli.js';

/**
 * A system directory whose main.ts is `body`, with a previous output to keep. Like a real system
 * repository it is an ES module package with its own node_modules (here, this repository's).
 */
function systemDir(body: string): { dir: string; out: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const out = join(dir, 'dist');
  mkdirSync(out);
  writeFileSync(join(out, 'previous.k8s.yaml'), 'kind: Namespace\n');
  writeFileSync(join(dir, 'main.ts'), body);
  return { dir, out };
}

const brokenMain = `import { brokenSystem } from ${JSON.stringify(join(REPO, 'test/support/broken.ts'))};\nbrokenSystem().synth();\n`;

test('polyglot check on a valid system: a summary line, exit 0, nothing written', () => {
  const result = polyglot(['check', JVN]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), '✓ jvn: 0 errors, 0 warnings (9 services, 13 contracts checked)');
});

test('polyglot check --json prints a machine-readable report', () => {
  const result = polyglot(['check', JVN, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.ok, true);
  assert.equal(report.errors, 0);
  assert.deepEqual(report.problems, []);
  assert.equal(report.services.length, 9);
  assert.ok(report.services.includes('jvn/edge/gateway'));
});

test('polyglot check on a broken system: problems grouped by service, exit 1, the output left alone', () => {
  const { dir, out } = systemDir(brokenMain);
  const result = polyglot(['check', dir]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /^broken\/trading\/settlement\n {2}error {3}\[dangling-call\] calls\[0\] calls contract 'ledger'.*\n {10}why: .*\n {10}fix: .*\n {2}error {3}\[dangling-subscription\]/m);
  assert.match(result.stdout, /\n✗ broken: 10 errors, 1 warning \(\d+ services, 3 contracts checked\)\n$/);
  assert.deepEqual([...readTree(out).keys()], ['previous.k8s.yaml'], 'check writes nothing');

  const json = polyglot(['check', dir, '--json']);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout);
  assert.equal(report.ok, false);
  assert.equal(report.errors, 10);
  assert.ok(report.problems.some((p: { code: string; path: string }) => p.code === 'port-clash' && p.path === 'broken/trading/risk'));
});

test('warnings alone exit 0', () => {
  const { dir } = systemDir(
    `import { z } from 'zod';\nimport { EventContract, GoService, System } from ${JSON.stringify(join(REPO, 'constructs/index.ts'))};\n` +
      `const system = new System({ name: 'quiet', telemetry: { enabled: false } });\n` +
      `const event = new EventContract(system, 'ping', { subject: 'quiet.ping', schema: z.object({}) });\n` +
      `new GoService(system.domain('d'), 'pinger', { publishes: [event] });\nsystem.synth();\n`,
  );
  const result = polyglot(['check', dir]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /warning \[unsubscribed-event\] event 'ping'/);
  assert.match(result.stdout, /✓ quiet: 0 errors, 2 warnings \(1 service, 1 contract checked\)/);
  assert.match(result.stdout, /warning \[contracts-lock-missing\] there is no contracts.lock.json/);
});

test('a main.ts that never synthesizes is a clear error', () => {
  const { dir } = systemDir(`console.log('hello');\n`);
  const result = polyglot(['check', dir, '--json']);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '', "main.ts's own output goes to stderr, so --json stays parseable");
  assert.match(result.stderr, /hello/);
  assert.match(result.stderr, /main\.ts did not call system\.synth\(\), so there was nothing to check/);
});
