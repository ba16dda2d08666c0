import assert from 'node:assert/strict';
import { test } from 'node:test';
import { worstCaseBackoffMs, DEFAULT_CALL_POLICY } from '../../constructs/contracts/call-policy.js';
import { callModel, problemsOf } from './models.js';

test('backoff doubles from initialBackoff and is capped at maxBackoff', () => {
  const policy = { initialBackoffMs: 25, maxBackoffMs: 60, backoffMultiplier: 2 };
  assert.equal(worstCaseBackoffMs(0, policy), 0);
  assert.equal(worstCaseBackoffMs(1, policy), 25);
  assert.equal(worstCaseBackoffMs(3, policy), 25 + 50 + 60);
  assert.equal(DEFAULT_CALL_POLICY.initialBackoffMs, 25);
  assert.equal(DEFAULT_CALL_POLICY.maxBackoffMs, 1000);
  assert.equal(DEFAULT_CALL_POLICY.callOrder, 'sequential');
  assert.equal(DEFAULT_CALL_POLICY.maxRetryAmplification, 10);
});

test('calls that fit inside the deadline pass', () => {
  const system = callModel([
    { name: 'a', deadline: '200ms', calls: [{ to: 'b', timeout: '60ms', retries: 1 }] },
    { name: 'b', deadline: '50ms' },
  ]);
  // 2 tries of at most 50ms (b's deadline, inside the 60ms timeout) + 25ms backoff = 125ms.
  assert.deepEqual(problemsOf(system, 'deadline-budget', 'timeout-below-deadline'), []);
});

const overBudget = [
  { name: 'a', deadline: '150ms', calls: [{ to: 'b', timeout: '60ms', retries: 1 }, { to: 'c', timeout: '40ms' }] },
  { name: 'b', deadline: '50ms' },
  { name: 'c', deadline: '40ms' },
];

test('sequential calls are summed: over the deadline is an error with the numbers', () => {
  const [problem, ...rest] = problemsOf(callModel(overBudget), 'deadline-budget');
  assert.equal(rest.length, 0);
  assert.equal(problem!.path, 'm/d/a');
  assert.equal(
    problem!.message,
    'its calls, one after another, can take 165ms, more than its 150ms deadline: b 50ms ×2 + 25ms backoff = 125ms + c 40ms = 40ms; slowest chain: a 150ms → b 50ms ×2',
  );
  assert.match(problem!.fix, /at least 165ms/);
  assert.match(problem!.fix, /callOrder to 'parallel'/);
});

test("callOrder 'parallel' takes the slowest call instead", () => {
  assert.deepEqual(problemsOf(callModel(overBudget, { callPolicy: { callOrder: 'parallel' } }), 'deadline-budget'), []);
  const tight = overBudget.map((s) => (s.name === 'a' ? { ...s, deadline: '100ms' } : s));
  const [problem] = problemsOf(callModel(tight, { callPolicy: { callOrder: 'parallel' } }), 'deadline-budget');
  assert.match(problem!.message, /^its slowest call can take 125ms, more than its 100ms deadline: b 50ms ×2 \+ 25ms backoff = 125ms;/);
});

test('the backoff comes from the system call policy', () => {
  const system = callModel(overBudget, { callPolicy: { initialBackoff: '5ms' } });
  assert.deepEqual(problemsOf(system, 'deadline-budget'), [], '50×2 + 5 + 40 = 145ms fits in 150ms');
  const invalid = callModel([], { callPolicy: { initialBackoff: '2s', maxBackoff: '1s' } });
  assert.match(problemsOf(invalid, 'invalid-props')[0]!.message, /callPolicy\.maxBackoff: maxBackoff must be at least initialBackoff/);
});

test("a callee's deadline must fit inside the caller's per-try timeout", () => {
  const system = callModel([
    { name: 'a', calls: [{ to: 'b', timeout: '30ms' }] },
    { name: 'b', deadline: '50ms' },
  ]);
  const [problem] = problemsOf(system, 'timeout-below-deadline');
  assert.equal(problem!.path, 'm/d/a');
  assert.equal(problem!.message, "calls[0] to b ('b-api') times out after 30ms, before the 50ms deadline b promises");
  assert.match(problem!.fix, /at least 50ms/);
});

test('the slowest chain goes down to the leaf, and marks tries cut off by a timeout', () => {
  // jvn's shape with the gateway at 800ms: the example in the issue.
  const system = callModel([
    { name: 'gateway', deadline: '800ms', calls: [{ to: 'identity', timeout: '250ms', retries: 1 }, { to: 'rooms', timeout: '300ms', retries: 1 }] },
    { name: 'identity', deadline: '200ms', calls: [{ to: 'jwt-signer', timeout: '30ms', retries: 1 }] },
    { name: 'jwt-signer', deadline: '20ms' },
    { name: 'rooms', deadline: '250ms', calls: [{ to: 'ranking', timeout: '50ms', retries: 1 }] },
    { name: 'ranking', deadline: '40ms' },
  ]);
  const [problem, ...rest] = problemsOf(system, 'deadline-budget');
  assert.equal(rest.length, 0);
  assert.equal(
    problem!.message,
    'its calls, one after another, can take 950ms, more than its 800ms deadline: rooms 250ms ×2 + 25ms backoff = 525ms + identity 200ms ×2 + 25ms backoff = 425ms; slowest chain: gateway 800ms → rooms 250ms ×2 → ranking 40ms ×2',
  );

  // identity overruns its own deadline: it is reported, and the gateway's tries to it are cut at
  // the 250ms timeout, which still fits the gateway's 600ms.
  const chain = (gatewayDeadline: string) =>
    callModel([
      { name: 'gateway', deadline: gatewayDeadline, calls: [{ to: 'identity', timeout: '250ms', retries: 1 }] },
      { name: 'identity', deadline: '200ms', calls: [{ to: 'jwt-signer', timeout: '150ms', retries: 1 }] },
      { name: 'jwt-signer', deadline: '150ms' },
    ]);
  assert.deepEqual(
    problemsOf(chain('600ms'), 'deadline-budget').map((p) => `${p.path}: ${p.message}`),
    ['m/d/identity: its calls, one after another, can take 325ms, more than its 200ms deadline: jwt-signer 150ms ×2 + 25ms backoff = 325ms; slowest chain: identity 200ms → jwt-signer 150ms ×2'],
  );
  const top = problemsOf(chain('500ms'), 'deadline-budget').find((p) => p.path === 'm/d/gateway');
  assert.match(top!.message, /525ms, more than its 500ms deadline: identity 250ms \(timeout\) ×2/);
  assert.match(top!.message, /slowest chain: gateway 500ms → identity 250ms \(timeout\) ×2 → jwt-signer 150ms ×2$/);
});
