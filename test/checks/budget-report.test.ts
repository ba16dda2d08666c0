import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoService, GrpcContract, System, budgetReport } from '../../constructs/index.js';
import { smallSystem } from '../support/fixtures.js';

test('budgetReport gives the numbers the checks use: per call try × tries + backoff, per service the sum and the amplification', () => {
  const { system } = smallSystem();
  const reports = new Map(budgetReport(system.model()).map((r) => [r.service.name, r]));
  const orders = reports.get('orders')!;
  assert.deepEqual(
    orders.calls.map((c) => [c.contract.name, c.callee.name, c.timeoutMs, c.retries, c.tryMs, c.cappedByTimeout, c.backoffMs, c.totalMs]),
    [['pricing', 'pricer', 20, 2, 15, false, 75, 120]], // pricer promises 15ms < the 20ms timeout; backoff 25 + 50
  );
  assert.equal(orders.callsMs, 120);
  assert.equal(orders.amplification, 3);
  const api = reports.get('api')!;
  assert.deepEqual(api.calls.map((c) => [c.tryMs, c.totalMs]), [[150, 325]]); // orders' 150ms deadline ×2 + 25ms
  assert.equal(api.amplification, 6);
  assert.equal(reports.get('pricer')!.callsMs, 0);
});

test('a service over its budget in the report is exactly a service the deadline-budget check reports', () => {
  const system = new System({ name: 'tight' });
  const slow = new GrpcContract(system, 'slow', { proto: 'a/v1/slow.proto', service: 'a.v1.Slow' });
  const d = system.domain('d');
  new GoService(d, 'leaf', { serves: [slow], deadline: '100ms' });
  new GoService(d, 'caller', { calls: [{ contract: slow, timeout: '120ms', retries: 2 }], deadline: '300ms' });
  const over = budgetReport(system.model()).filter((r) => r.callsMs > r.deadlineMs).map((r) => `tight/${r.service.node.path}`);
  const flagged = system.check().filter((p) => p.code === 'deadline-budget').map((p) => p.path);
  assert.deepEqual(over, ['tight/d/caller']);
  assert.deepEqual(flagged, over);
});
