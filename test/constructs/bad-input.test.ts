import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ElixirFanout, EventContract, GoService, GrpcContract, System, SynthError, type Problem } from '../../constructs/index.js';
import { brokenSystem } from '../support/broken.js';

const byCode = (problems: Problem[], code: string) => problems.filter((p) => p.code === code);

test('a broken model reports every problem at once, each with its path and a fix', () => {
  const problems = brokenSystem().check();
  const expect = (code: string, path: string, text: RegExp) => {
    const match = byCode(problems, code).find((p) => p.path === path && text.test(p.message));
    assert.ok(match, `expected ${code} at ${path} matching ${text}; got:\n${problems.map((p) => `${p.code} ${p.path} ${p.message}`).join('\n')}`);
    assert.ok(match.fix.length > 10, `${code} has a fix hint`);
    assert.equal(match.severity, 'error');
  };
  expect('invalid-name', 'broken/trading/Quote_Engine', /try 'quote-engine'/);
  expect('duplicate-name', 'broken/trading/orders', /two services are named 'orders' in namespace broken-trading/);
  expect('port-clash', 'broken/trading/risk', /ports grpc and http are both 8080/);
  expect('dangling-call', 'broken/trading/settlement', /'ledger' .* which no service serves/);
  expect('dangling-subscription', 'broken/trading/settlement', /'price-moved' .* which no service publishes/);
  expect('unknown-runtime', 'broken/trading/pricing-model', /unknown runtime 'cobol'/);
  expect('invalid-props', 'broken/edge/web', /calls\[0\]\.timeout: expected a positive duration/);
  expect('invalid-props', 'broken/edge/web', /calls\[0\]\.retries/);
  expect('invalid-props', 'broken/edge/web', /ingress\.host/);
  expect('invalid-name', 'broken/Back_Office', /namespace 'broken-Back_Office'/);
  assert.equal(problems.filter((p) => p.severity === 'error').length, 10);
});

test('synth throws one SynthError listing every problem and writes nothing', () => {
  const system = brokenSystem();
  assert.throws(
    () => system.files(),
    (error: unknown) => {
      assert.ok(error instanceof SynthError);
      assert.equal(error.problems.length, 11, "10 errors and the warning that there is no contracts.lock.json");
      assert.match(error.message, /nothing was written/);
      assert.match(error.message, /10 errors, 1 warning/);
      for (const problem of error.problems) assert.ok(error.message.includes(problem.path));
      return true;
    },
  );
});

test('contracts validate their props', () => {
  const system = new System({ name: 'c' });
  new GrpcContract(system, 'unversioned', { proto: 'x.proto', service: 'c.Unversioned' });
  new GrpcContract(system, 'not-proto', { proto: 'x.txt', service: 'c.v1.Thing' });
  new EventContract(system, 'wild', { subject: 'c.things.*', schema: z.object({}) });
  new EventContract(system, 'no-schema', { subject: 'c.things', schema: {} as never });
  new EventContract(system, 'bad-stream', { subject: 'c.things.{id}', schema: z.object({}), stream: { name: 'S', replicas: 2 as never } });
  const messages = system.check().map((p) => `${p.path}: ${p.message}`);
  const has = (text: RegExp) => assert.ok(messages.some((m) => text.test(m)), `expected ${text} in\n${messages.join('\n')}`);
  has(/contracts\/unversioned: service: expected '<package>.v<N>.<Service>'/);
  has(/contracts\/not-proto: proto: expected a path to a \.proto file/);
  has(/contracts\/wild: subject: .*no '\*' or '>' in a published subject/);
  has(/contracts\/no-schema: schema: expected a zod schema/);
  has(/contracts\/bad-stream: stream\.replicas/);
});

test('unknown props are reported, not ignored', () => {
  const system = new System({ name: 'u' });
  new ElixirFanout(system.domain('rt'), 'hub', { websocket: { connections: 10, perPod: 20 }, replica: 3 } as never);
  const messages = system.check().map((p) => p.message);
  assert.ok(messages.some((m) => /unknown prop 'replica'/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /perPod is larger than connections/.test(m)), messages.join('\n'));
});

test('system props are validated', () => {
  const system = new System({ name: 'Not Valid', version: 'v 1' });
  const messages = system.check().map((p) => p.message);
  assert.ok(messages.some((m) => /^name: 'Not Valid'/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /^version:/.test(m)), messages.join('\n'));
});

test('the same contract or event listed twice is an invalid-props problem at that entry, not a crash', () => {
  const system = new System({ name: 'twice' });
  const signer = new GrpcContract(system, 'signer', { proto: 'contracts/a.proto', service: 'twice.a.v1.Signer' });
  const moved = new EventContract(system, 'moved', { subject: 'twice.moved', schema: z.object({ id: z.string() }) });
  const domain = system.domain('core');
  new GoService(domain, 'source', { publishes: [moved, moved] });
  new GoService(domain, 'sink', { subscribes: [moved, { event: moved, durable: false }], calls: [{ contract: signer, timeout: '10ms' }, { contract: signer, timeout: '20ms' }] });
  const problems = byCode(system.check(), 'invalid-props');
  const messages = problems.map((p) => `${p.path}: ${p.message}`);
  assert.ok(messages.includes("twice/core/source: publishes[1]: lists event 'moved' a second time (first at [0]); list each event once"), messages.join('\n'));
  assert.ok(messages.includes("twice/core/sink: subscribes[1]: lists event 'moved' a second time (first at [0]); list each event once"), messages.join('\n'));
  assert.ok(messages.includes("twice/core/sink: calls[1]: lists contract 'signer' a second time (first at [0]); list each contract once"), messages.join('\n'));
  assert.throws(() => system.files(), SynthError, 'synth reports, it does not crash on a duplicate construct id');
});

test('an unknown prop gets the closest known name, also nested', () => {
  const system = new System({ name: 'typo' });
  new GoService(system.domain('core'), 'presence', { deadlin: '1s', resources: { memoryLimt: '1Gi' } } as never);
  new GoService(system.domain('core'), 'other', { zzzzzz: 1 } as never);
  const messages = byCode(system.check(), 'invalid-props').map((p) => p.message);
  assert.ok(messages.includes("unknown prop 'deadlin' ('deadlin': did you mean 'deadline'?)"), messages.join('\n'));
  assert.ok(messages.includes("unknown prop 'memoryLimt' in resources ('memoryLimt': did you mean 'memoryLimit'?)"), messages.join('\n'));
  assert.ok(messages.includes("unknown prop 'zzzzzz'"), 'no suggestion when nothing is close');
});

test('a per-try timeout longer than the caller’s own deadline is a warning', () => {
  const system = new System({ name: 'slow' });
  const signer = new GrpcContract(system, 'signer', { proto: 'contracts/a.proto', service: 'slow.a.v1.Signer' });
  const domain = system.domain('core');
  new GoService(domain, 'callee', { serves: [signer], deadline: '20ms' });
  new GoService(domain, 'caller', { calls: [{ contract: signer, timeout: '500ms' }], deadline: '100ms' });
  const [warning] = byCode(system.check(), 'timeout-above-deadline');
  assert.equal(warning?.severity, 'warning');
  assert.equal(warning?.path, 'slow/core/caller');
  assert.match(warning!.message, /calls\[0\] \('signer'\) has a per-try timeout of 500ms, longer than the 100ms deadline caller itself promises/);
  assert.match(warning!.fix, /lower the timeout to at most 100ms/);
});
