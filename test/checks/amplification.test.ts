import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callModel, problemsOf } from './models.js';

const chainOfRetries = [
  { name: 'a', deadline: '10s', calls: [{ to: 'b', timeout: '3s', retries: 2 }] },
  { name: 'b', deadline: '3s', calls: [{ to: 'c', timeout: '900ms', retries: 2 }] },
  { name: 'c', deadline: '900ms', calls: [{ to: 'd', timeout: '250ms', retries: 2 }] },
  { name: 'd', deadline: '250ms' },
];

test('retries multiplying past the limit are an error at the start of the path, with the path', () => {
  const problems = problemsOf(callModel(chainOfRetries), 'retry-amplification');
  assert.deepEqual(
    problems.map((p) => `${p.path}: ${p.message}`),
    ['m/d/a: one request can cause 27 tries on d, more than the limit of 10: a → b ×3 → c ×3 → d ×3'],
    'reported once, where the storm starts, not again at b (9 ≤ 10)',
  );
  assert.equal(problems[0]!.severity, 'error');
  assert.match(problems[0]!.fix, /retries: 0/);
});

test('the limit is configurable', () => {
  assert.deepEqual(problemsOf(callModel(chainOfRetries, { callPolicy: { maxRetryAmplification: 27 } }), 'retry-amplification'), []);
  const strict = problemsOf(callModel(chainOfRetries, { callPolicy: { maxRetryAmplification: 2 } }), 'retry-amplification');
  assert.deepEqual(strict.map((p) => p.path), ['m/d/a'], 'b (9) and c (3) exceed 2 too, but their caller already reports the path');
});

test('each entry point whose paths exceed the limit is reported; a path within the limit is not', () => {
  const problems = problemsOf(
    callModel([
      { name: 'web', calls: [{ to: 'api', timeout: '500ms', retries: 3 }] },
      { name: 'worker', calls: [{ to: 'api', timeout: '500ms', retries: 3 }] },
      { name: 'cron', calls: [{ to: 'db', timeout: '50ms', retries: 1 }] },
      { name: 'api', deadline: '500ms', calls: [{ to: 'db', timeout: '50ms', retries: 2 }] },
      { name: 'db', deadline: '50ms' },
    ]),
    'retry-amplification',
  );
  assert.deepEqual(problems.map((p) => p.path), ['m/d/web', 'm/d/worker']);
  assert.match(problems[0]!.message, /12 tries on db/);
});
