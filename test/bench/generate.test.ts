import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateSystem, planSystem } from '../../bench/generate.js';

// The benchmark's synthetic model must be one polyglot accepts: a model that fails its checks
// would benchmark the error path. No timings here: bench/ is never part of the test suite.

test('the generated 100-service model passes every check and has the promised shape', () => {
  const { system, plan } = generateSystem({ services: 100 });
  const problems = system.check();
  const errors = problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, [], errors.map((p) => `${p.path}: ${p.message}`).join('\n'));

  const model = system.model();
  assert.equal(model.services.length, 100);
  assert.equal(model.invalidServices.length, 0);
  assert.equal(model.domains.length, 20);
  assert.deepEqual(new Set(model.services.map((s) => s.runtime)), new Set(['go', 'rust', 'elixir', 'typescript']));

  // ~5 edges per service, a third of them events.
  const calls = model.services.reduce((n, s) => n + s.calls.length, 0);
  const subscriptions = model.services.reduce((n, s) => n + s.subscribes.length, 0);
  assert.equal(calls + subscriptions, 500);
  assert.ok(Math.abs(subscriptions / 500 - 1 / 3) < 0.01, `event share ${subscriptions / 500}`);
  assert.equal(calls, plan.callEdges);
  assert.equal(subscriptions, plan.eventEdges);

  // Every call resolves to exactly one server, every subscription has a publisher.
  assert.equal(model.callEdges.length, calls);
  for (const s of model.services) for (const sub of s.subscribes) assert.ok(model.publishersOf(sub.event).length > 0);

  // No sync cycles: every call goes to a service later in the plan.
  const index = new Map(plan.services.map((s) => [s.name, s.index]));
  for (const edge of model.callEdges) assert.ok(index.get(edge.callee.name)! > index.get(edge.caller.name)!);
});

test('the plan is seeded: the same seed gives the same system, another seed another', () => {
  const a = JSON.stringify(planSystem({ services: 100, seed: 7 }));
  assert.equal(JSON.stringify(planSystem({ services: 100, seed: 7 })), a);
  assert.notEqual(JSON.stringify(planSystem({ services: 100, seed: 8 })), a);
});

test('small systems use one domain per service up to 20, and keep the edge count', () => {
  const plan = planSystem({ services: 10 });
  assert.equal(plan.domains.length, 10);
  assert.equal(plan.callEdges + plan.eventEdges, 50);
  assert.equal(plan.services.length, 10);
});
