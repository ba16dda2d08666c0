import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { budgetReport } from 'generator-polyglot';
import { jvn } from '../../examples/jvn/system.js';
import { JOIN_A_ROOM, README, jvnReadme } from '../../examples/jvn/readme/main.js';
import { resolveWalk } from '../../examples/jvn/readme/walk.js';
import { JVN } from '../support/cli.js';

test('examples/jvn/README.md is what the model generates now (run `npm run jvn:readme` after changing the model)', () => {
  const generated = jvnReadme();
  const committed = readFileSync(README, 'utf8');
  if (committed !== generated) {
    const a = committed.split('\n');
    const b = generated.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    assert.fail(`README.md drifted from the model at line ${line + 1}:\n  committed: ${a[line]}\n  model:     ${b[line]}\nrun \`npm run jvn:readme\` and commit it`);
  }
});

test('`npm run jvn:readme -- --check` agrees, in a process of its own', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(JVN, 'readme/main.ts'), '--check'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});

test('the walk-through names a hop only when the model has it: a call or event it lacks stops the generation', () => {
  const model = jvn().model();
  const budgets = budgetReport(model);
  const resolved = resolveWalk(model, budgets, JOIN_A_ROOM);
  assert.deepEqual(resolved.services.map((s) => s.runtime), ['elixir', 'rust', 'go', 'elixir', 'go']);
  assert.deepEqual(resolved.datastores.map((d) => `${d.user.name}:${d.endpoint.protocol}`), ['billing:postgresql', 'presence:redis']);
  assert.throws(() => resolveWalk(model, budgets, { ...JOIN_A_ROOM, calls: [...JOIN_A_ROOM.calls, { contract: 'ranker', why: '' }] }), /broadcast does not call 'ranker' in the model/);
  assert.throws(() => resolveWalk(model, budgets, { ...JOIN_A_ROOM, calls: JOIN_A_ROOM.calls.slice(0, 1) }), /also calls entitlements; tell every call/);
  assert.throws(() => resolveWalk(model, budgets, { ...JOIN_A_ROOM, events: [{ event: 'presence-changed', publisher: 'catalog', why: '' }] }), /catalog does not publish 'presence-changed'/);
});

test('the README states the budget the checks computed and the sizing the model derived, not numbers of its own', () => {
  const readme = readFileSync(README, 'utf8');
  const system = jvn();
  const broadcast = system.services.find((s) => s.name === 'broadcast')!;
  const budget = budgetReport(system.model()).find((b) => b.service === broadcast)!;
  assert.match(readme, new RegExp(`\\| \\*\\*calls together\\*\\* \\| \\| \\| \\| \\| \\| \\*\\*${budget.callsMs}ms\\*\\* \\|`));
  assert.match(readme, new RegExp(`= ceil\\(6\\.8\\) = ${broadcast.autoscaling!.minReplicas}\\n`));
  assert.match(readme, new RegExp(`= ceil\\(13\\.6\\) = ${broadcast.autoscaling!.maxReplicas}\\n`));
  assert.match(readme, /!\[The jvn system: domains and the contracts between them\]\(\.\.\/\.\.\/test\/__snapshots__\/jvn\/diagrams\/system\.svg\)/);
});

test('every picture and proto the README links to is a committed file', () => {
  const readme = readFileSync(README, 'utf8');
  const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
  assert.ok(links.length >= 4, 'pictures and protos are linked');
  for (const link of links) assert.ok(existsSync(join(dirname(README), link)), `${link} exists`);
});
