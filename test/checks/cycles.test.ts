import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stronglyConnectedComponents, type GraphEdge } from '../../constructs/checks/call-graph.js';
import { callModel, problemsOf } from './models.js';

test('a cycle of synchronous calls is an error that shows the cycle', () => {
  const system = callModel([
    { name: 'a', calls: [{ to: 'b', timeout: '100ms' }] },
    { name: 'b', calls: [{ to: 'c', timeout: '100ms' }] },
    { name: 'c', calls: [{ to: 'a', timeout: '100ms' }] },
  ]);
  const problems = problemsOf(system, 'sync-cycle');
  assert.equal(problems.length, 1, 'one problem per cycle group');
  assert.equal(problems[0]!.path, 'm/d/a');
  assert.equal(problems[0]!.severity, 'error');
  assert.match(problems[0]!.message, /^synchronous calls form a cycle: a → b → c → a$/);
  assert.match(problems[0]!.fix, /event/);
});

test('a service calling itself is a cycle; services above a cycle get no budget findings', () => {
  const system = callModel([
    { name: 'top', deadline: '10ms', calls: [{ to: 'loop', timeout: '1s', retries: 5 }] },
    { name: 'loop', calls: [{ to: 'loop', timeout: '100ms' }] },
  ]);
  const cycles = problemsOf(system, 'sync-cycle');
  assert.deepEqual(cycles.map((p) => p.message), ['synchronous calls form a cycle: loop → loop']);
  // top's budget is unbounded through the cycle: the cycle is the finding, not a budget number.
  assert.deepEqual(problemsOf(system, 'deadline-budget', 'retry-amplification'), []);
});

test('a cycle group with more members than the cycle shown says how many services are in it', () => {
  const system = callModel([
    { name: 'a', calls: [{ to: 'b', timeout: '100ms' }] },
    { name: 'b', calls: [{ to: 'a', timeout: '100ms' }, { to: 'c', timeout: '100ms' }] },
    { name: 'c', calls: [{ to: 'b', timeout: '100ms' }] },
  ]);
  const [problem, ...rest] = problemsOf(system, 'sync-cycle');
  assert.equal(rest.length, 0);
  assert.match(problem!.message, /a → b → a \(3 services call each other in this group\)/);
});

test('an acyclic model has no cycle finding', () => {
  const system = callModel([
    { name: 'a', calls: [{ to: 'b', timeout: '100ms' }, { to: 'c', timeout: '100ms' }] },
    { name: 'b', calls: [{ to: 'c', timeout: '100ms' }] },
    { name: 'c' },
  ]);
  assert.deepEqual(problemsOf(system, 'sync-cycle'), []);
});

test('Tarjan is iterative: a chain of 200 000 calls does not overflow the stack', () => {
  const size = 200_000;
  const edge = (from: number): GraphEdge => ({ from, to: from + 1, timeoutMs: 1, retries: 0 });
  const out = Array.from({ length: size }, (_, i) => (i + 1 < size ? [edge(i)] : []));
  const components = stronglyConnectedComponents({ size, deadlineMs: new Array(size).fill(1), out });
  assert.equal(components.order.length, size);
  assert.deepEqual(components.order[0], [size - 1], 'callees come first');
  assert.ok(!components.cyclic.some(Boolean));
});
