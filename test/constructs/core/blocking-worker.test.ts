import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBlockingWorker } from '../../../constructs/core/blocking-worker.js';

test("a worker's asynchronous result is waited for synchronously, and kept", () => {
  const worker = startBlockingWorker<number[]>('await new Promise((resolve) => setTimeout(resolve, 20));\nreturn data.map((n) => n * 2);', [1, 2, 3], 10_000);
  assert.deepEqual(worker.wait(), { result: [2, 4, 6] });
  assert.deepEqual(worker.wait(), { result: [2, 4, 6] }, 'a second wait gives the same outcome');
});

test('what the work throws comes back as an error with its message', () => {
  const outcome = startBlockingWorker('throw new Error(`no ${data.what}`);', { what: 'graphviz' }, 10_000).wait();
  assert.ok('error' in outcome);
  assert.match(outcome.error, /^Error: no graphviz/);
});

test('work that does not finish in time is reported as timed out', () => {
  const outcome = startBlockingWorker('await new Promise(() => {});', null, 200).wait();
  assert.deepEqual(outcome, { timedOut: true });
});
