import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allObjects, find } from '../support/synth.js';
import { callModel } from './models.js';

test("what was checked reaches the service: its calls' timeouts and retries, the backoff, its deadline", () => {
  const system = callModel(
    [
      { name: 'a', deadline: '300ms', calls: [{ to: 'b', timeout: '60ms', retries: 2 }] },
      { name: 'b', deadline: '50ms' },
    ],
    { callPolicy: { initialBackoff: '10ms', maxBackoff: '40ms' } },
  );
  const config = JSON.parse(find(allObjects(system), 'ConfigMap', 'a-config').data!['service.json']!);
  assert.deepEqual(config.backoff, { initial: '10ms', initialMs: 10, max: '40ms', maxMs: 40, multiplier: 2 });
  assert.equal(config.deadline, '300ms');
  assert.equal(config.deadlineMs, 300);
  assert.deepEqual(
    config.calls.map((c: Record<string, unknown>) => [c.contract, c.timeout, c.timeoutMs, c.retries]),
    [['b-api', '60ms', 60, 2]],
  );
});
