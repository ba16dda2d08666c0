import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoService, GrpcContract, System } from '../../constructs/index.js';

test('a call without a timeout is an error naming the call, and no unbounded call reaches the graph', () => {
  const system = new System({ name: 't', telemetry: { enabled: false } });
  const api = new GrpcContract(system, 'api', { proto: 'contracts/t/api/v1/api.proto', service: 't.api.v1.Api' });
  const domain = system.domain('d');
  new GoService(domain, 'server', { serves: [api] });
  const caller = new GoService(domain, 'caller', { calls: [{ contract: api, retries: 2 } as never] });
  const [problem, ...rest] = system.check().filter((p) => p.severity === 'error');
  assert.equal(rest.length, 0);
  assert.equal(problem!.code, 'invalid-props');
  assert.equal(problem!.path, 't/d/caller');
  assert.match(problem!.message, /^calls\[0\]\.timeout: /);
  assert.match(problem!.fix, /calls\[0\]\.timeout/);
  assert.deepEqual(caller.calls, [], 'the unbounded call is dropped, not defaulted');
});
