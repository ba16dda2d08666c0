import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { EventContract, GoService, System } from '../../constructs/index.js';
import { breakingChanges } from '../../constructs/contracts/schema-compat.js';
import { tempDir } from '../support/cli.js';
import { findings, lock } from './buf-module.js';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
const changes = (before: z.ZodType, after: z.ZodType) => breakingChanges(json(before), json(after)).map((c) => `${c.kind}: ${c.detail}`);

const base = z.object({
  id: z.string(),
  kind: z.enum(['created', 'deleted']),
  note: z.string().optional(),
  owner: z.object({ name: z.string(), age: z.number().int().nullable() }),
  tags: z.array(z.object({ key: z.string() })),
});

test('each breaking kind is found, with where it is', () => {
  assert.deepEqual(changes(base, base.omit({ note: true })), ["field-removed: field 'note' was removed"]);
  assert.deepEqual(changes(base, base.extend({ id: z.number() })), ["type-changed: type changed from string to number"]);
  assert.deepEqual(changes(base, base.extend({ owner: z.object({ name: z.string(), age: z.number().int() }) })), [
    'type-changed: type changed from integer | null to integer',
  ]);
  assert.deepEqual(changes(base, base.extend({ note: z.string() })), ["made-required: field 'note' was optional and is now required"]);
  assert.deepEqual(changes(base, base.extend({ id: z.string().optional() })), ["made-optional: field 'id' was required and is now optional"]);
  assert.deepEqual(changes(base, base.extend({ kind: z.enum(['created']) })), ["enum-narrowed: 'kind' no longer allows \"deleted\""]);
  assert.deepEqual(changes(base, base.extend({ region: z.string() })), ["required-added: new field 'region' is required"]);
  assert.deepEqual(changes(base, base.extend({ tags: z.array(z.object({ key: z.number() })) })), ['type-changed: type changed from string to number']);
  assert.deepEqual(breakingChanges(json(base), json(base.extend({ tags: z.array(z.object({ key: z.number() })) })))[0]!.at, 'tags[].key');
  assert.deepEqual(changes(base, base.strict()), ['closed: the message no longer accepts unknown fields']);
});

test('additive changes are not breaking', () => {
  assert.deepEqual(changes(base, base.extend({ region: z.string().optional() })), [], 'new optional field');
  assert.deepEqual(changes(base, base.extend({ kind: z.enum(['created', 'deleted', 'archived']) })), [], 'enum widened');
  assert.deepEqual(changes(base, base.extend({ owner: base.shape.owner.extend({ email: z.string().optional() }) })), [], 'nested optional field');
  assert.deepEqual(changes(base, base.extend({ id: z.string().max(10) })), [], 'constraints are not compared');
  const union = z.discriminatedUnion('k', [z.object({ k: z.literal('a'), x: z.string() }), z.object({ k: z.literal('b') })]);
  const wider = z.discriminatedUnion('k', [z.object({ k: z.literal('a'), x: z.string() }), z.object({ k: z.literal('b') }), z.object({ k: z.literal('c') })]);
  assert.deepEqual(changes(union, wider), [], 'new union variant');
  assert.deepEqual(changes(wider, union), ['variant-removed: 1 of the object variants were removed or changed']);
});

test('recursive schemas are compared without looping', () => {
  const node: z.ZodType = z.object({ name: z.string(), get children() { return z.array(node); } });
  const renamed: z.ZodType = z.object({ title: z.string(), get children() { return z.array(renamed); } });
  assert.deepEqual(changes(node, node), []);
  assert.deepEqual(changes(node, renamed), ["field-removed: field 'name' was removed", "required-added: new field 'title' is required"]);
});

/** A system in a fresh directory with one published and subscribed event. */
function eventSystem(root: string, event: { schema: z.ZodType; version?: number; subject?: string; name?: string }): System {
  const system = new System({ name: 'ev', telemetry: { enabled: false }, contracts: { root } });
  const contract = new EventContract(system, event.name ?? 'order-placed', { subject: event.subject ?? 'ev.orders.placed.{region}', schema: event.schema, version: event.version });
  new GoService(system.domain('d'), 'svc', { publishes: [contract], subscribes: [contract] });
  return system;
}

const LOCK_CODES = ['event-breaking-change', 'contracts-lock-stale', 'event-version-lowered', 'contracts-lock-invalid'];

test('synth fails on a breaking event change against the lock unless the version changes', () => {
  const root = tempDir();
  assert.deepEqual(findings(eventSystem(root, { schema: base }), ...LOCK_CODES), [], 'no lock yet: nothing to compare');
  lock(eventSystem(root, { schema: base }));
  assert.deepEqual(findings(eventSystem(root, { schema: base }), ...LOCK_CODES), []);

  const removed = base.omit({ note: true }).extend({ kind: z.enum(['created']) });
  assert.deepEqual(findings(eventSystem(root, { schema: removed }), ...LOCK_CODES), [
    "event-breaking-change ev/contracts/order-placed: event 'order-placed' changed incompatibly since contracts.lock.json (version 1): 'kind' no longer allows \"deleted\"; field 'note' was removed",
  ]);
  assert.deepEqual(findings(eventSystem(root, { schema: removed, version: 2 }), ...LOCK_CODES), [
    "contracts-lock-stale ev/contracts/order-placed: event 'order-placed' is version 2; contracts.lock.json still has version 1",
  ]);
  assert.deepEqual(findings(eventSystem(root, { schema: base, subject: 'ev.orders.{region}.placed' }), 'event-breaking-change'), [
    "event-breaking-change ev/contracts/order-placed: event 'order-placed' changed incompatibly since contracts.lock.json (version 1): subject changed from 'ev.orders.placed.{region}' to 'ev.orders.{region}.placed'",
  ]);
});

test('an additive change passes and asks for a re-lock; lowered versions, new and removed events are reported', () => {
  const root = tempDir();
  lock(eventSystem(root, { schema: base, version: 2 }));
  assert.deepEqual(findings(eventSystem(root, { schema: base.extend({ region: z.string().optional() }), version: 2 }), ...LOCK_CODES), [
    "contracts-lock-stale ev/contracts/order-placed: event 'order-placed' changed compatibly since contracts.lock.json",
  ]);
  assert.deepEqual(findings(eventSystem(root, { schema: base, version: 1 }), ...LOCK_CODES), [
    "event-version-lowered ev/contracts/order-placed: event 'order-placed' is version 1, lower than the locked version 2",
  ]);
  assert.deepEqual(findings(eventSystem(root, { schema: base, name: 'order-shipped', version: 2 }), ...LOCK_CODES), [
    "contracts-lock-stale ev: event 'order-placed' is in contracts.lock.json but no longer in the model",
    "contracts-lock-stale ev/contracts/order-shipped: event 'order-shipped' is not in contracts.lock.json",
  ]);
  writeFileSync(join(root, 'contracts.lock.json'), '{"schema":"something-else"}');
  assert.match(findings(eventSystem(root, { schema: base }), ...LOCK_CODES)[0]!, /^contracts-lock-invalid ev: contracts.lock.json is not a polyglot.dev\/contracts-lock\/v1 lock file/);
});

test('a schema without a JSON Schema form is an error, not a crash', () => {
  const system = eventSystem(tempDir(), { schema: z.object({ at: z.date() }) });
  assert.deepEqual(findings(system, 'event-schema-unrepresentable'), [
    "event-schema-unrepresentable ev/contracts/order-placed: the schema of event 'order-placed' has no JSON Schema form: Date cannot be represented in JSON Schema",
  ]);
});
