import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { EventContract, GoService, System, SynthError, type Problem, type SystemProps } from '../../constructs/index.js';
import { tempDir } from '../support/cli.js';

const schema = z.object({ id: z.string() });

/** A system where `publisher` publishes and `reader` subscribes to each of the given events. */
function wired(events: (system: System) => EventContract[], props: Partial<SystemProps> = {}, durable?: boolean) {
  const system = new System({ name: 'bad', ...props });
  const list = events(system);
  const domain = system.domain('orders');
  new GoService(domain, 'publisher', { publishes: list });
  new GoService(domain, 'reader', { subscribes: list.map((event) => ({ event, durable })) });
  return system;
}

/** The one problem with this code; it names a construct path, says why (checks do; props errors say only what and how) and how to fix it. */
function problem(system: System, code: string): Problem {
  const problems = system.check();
  const found = problems.filter((p) => p.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got:\n${problems.map((p) => `${p.code} ${p.path}: ${p.message}`).join('\n')}`);
  const p = found[0]!;
  assert.equal(p.severity, 'error');
  assert.ok(p.path.startsWith('bad'), `path ${p.path} starts with the system`);
  if (code !== 'invalid-props') assert.ok(p.why && p.why.length > 20, `${code} says why`);
  assert.ok(p.fix.length > 20, `${code} says how to fix it`);
  return p;
}

/** Synth fails with a SynthError and leaves the previous output as it was. */
function assertNothingWritten(system: System, outdir: string) {
  const before = readdirSync(outdir);
  assert.throws(() => system.synth(), SynthError);
  assert.deepEqual(readdirSync(outdir), before);
  assert.equal(readFileSync(join(outdir, 'previous.txt'), 'utf8'), 'kept');
}

function outdirWithPreviousOutput(): string {
  const outdir = join(tempDir('spine-bad-'), 'dist');
  mkdirSync(outdir);
  writeFileSync(join(outdir, 'previous.txt'), 'kept');
  // A previous output of polyglot's own: its marker names the file it wrote.
  writeFileSync(join(outdir, '.polyglot-output.json'), JSON.stringify({ schema: 'polyglot.dev/output/v1', system: 'bad', files: ['previous.txt'] }));
  return outdir;
}

test('a wildcard in a published subject is rejected with a message that says so', () => {
  const outdir = outdirWithPreviousOutput();
  const system = wired((s) => [new EventContract(s, 'wild', { subject: 'bad.orders.*', schema })], { outdir });
  const p = problem(system, 'invalid-props');
  assert.equal(p.path, 'bad/contracts/wild');
  assert.match(p.message, /subject 'bad\.orders\.\*' has invalid token '\*'.*named token such as '\{room\}' \(no '\*' or '>' in a published subject\)/);
  assertNothingWritten(system, outdir);
});

test('two streams with one name are rejected, also when they differ only in case', () => {
  const outdir = outdirWithPreviousOutput();
  const system = wired(
    (s) => [
      new EventContract(s, 'placed', { subject: 'bad.orders.placed', schema, stream: { name: 'ORDERS' } }),
      new EventContract(s, 'shipped', { subject: 'bad.orders.shipped', schema, stream: { name: 'ORDERS' } }),
    ],
    { outdir },
  );
  const p = problem(system, 'duplicate-stream');
  assert.equal(p.path, 'bad/contracts/shipped');
  assert.match(p.message, /event 'shipped' declares stream 'ORDERS', and event 'placed' already declares stream 'ORDERS'/);
  assertNothingWritten(system, outdir);

  const cased = wired((s) => [
    new EventContract(s, 'placed', { subject: 'bad.orders.placed', schema, stream: { name: 'ORDERS' } }),
    new EventContract(s, 'shipped', { subject: 'bad.orders.shipped', schema, stream: { name: 'Orders' } }),
  ]);
  assert.match(problem(cased, 'duplicate-stream').message, /the same name once lower-cased/);
});

test('streams with overlapping subjects are rejected', () => {
  const outdir = outdirWithPreviousOutput();
  const system = wired(
    (s) => [
      new EventContract(s, 'by-region', { subject: 'bad.orders.{region}.placed', schema, stream: { name: 'BY_REGION' } }),
      new EventContract(s, 'in-eu', { subject: 'bad.orders.eu.{kind}', schema, stream: { name: 'IN_EU' } }),
      new EventContract(s, 'disjoint', { subject: 'bad.orders.{region}.placed.{id}', schema, stream: { name: 'DISJOINT' } }),
    ],
    { outdir },
  );
  const p = problem(system, 'subject-clash');
  assert.equal(p.path, 'bad/contracts/by-region');
  assert.match(p.message, /subject 'bad\.orders\.\{region\}\.placed' and the subject 'bad\.orders\.eu\.\{kind\}' of event 'in-eu' can be the same/);
  assert.match(p.why!, /streams may not capture overlapping subjects/);
  assertNothingWritten(system, outdir);
});

test('a durable subscription to an event without a stream is rejected', () => {
  const outdir = outdirWithPreviousOutput();
  const system = wired((s) => [new EventContract(s, 'placed', { subject: 'bad.orders.placed', schema })], { outdir }, true);
  const p = problem(system, 'durable-without-stream');
  assert.equal(p.path, 'bad/orders/reader');
  assert.match(p.message, /subscribes\[0\] is durable, but event 'placed' \(bad\.orders\.placed\) keeps no stream/);
  assert.match(p.fix, /stream: \{ name: 'PLACED' \}/);
  assertNothingWritten(system, outdir);
});

test('a stream with more replicas than NATS servers is rejected', () => {
  const system = wired((s) => [new EventContract(s, 'placed', { subject: 'bad.orders.placed', schema, stream: { name: 'ORDERS' } })], {
    nats: { replicas: 1 },
  });
  assert.match(problem(system, 'stream-replicas').message, /stream 'ORDERS' wants 3 replicas, but the NATS cluster has 1 server$/);
});

test("a domain named 'nats' collides with the spine's namespace", () => {
  const system = wired((s) => [new EventContract(s, 'placed', { subject: 'bad.orders.placed', schema })]);
  system.domain('nats');
  assert.equal(problem(system, 'reserved-name').path, 'bad/nats');
  // Without NATS in the system, the name is free.
  const quiet = new System({ name: 'bad' });
  new GoService(quiet.domain('nats'), 'broker', {});
  assert.deepEqual(quiet.check(), []);
});

test('two services that would share a NATS user are rejected', () => {
  const system = new System({ name: 'bad' });
  const placed = new EventContract(system, 'placed', { subject: 'bad.orders.placed', schema });
  new GoService(system.domain('a-b'), 'c', { publishes: [placed] });
  new GoService(system.domain('a'), 'b-c', { subscribes: [placed] });
  assert.match(problem(system, 'duplicate-nats-user').message, /the NATS user of a-b\/c would be 'a-b-c', the same as a\/b-c's/);
});

test('bad nats props are reported with the prop path', () => {
  const system = new System({ name: 'bad', nats: { replicas: 2 as never, storage: '10 GB', websocket: { port: 0 } } });
  const messages = system
    .check()
    .filter((p) => p.code === 'invalid-props')
    .map((p) => `${p.path}: ${p.message}`);
  assert.ok(messages.some((m) => /^bad: nats\.replicas/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /^bad: nats\.storage: expected a storage size such as '10Gi'/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /^bad: nats\.websocket\.port/.test(m)), messages.join('\n'));
});
