import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { EventContract, GoService, System } from '../../constructs/index.js';

function eventModel(subjects: Record<string, string>, wiring: { publishes?: string[]; subscribes?: string[] } = {}) {
  const system = new System({ name: 'ev', telemetry: { enabled: false } });
  const events = Object.fromEntries(
    Object.entries(subjects).map(([name, subject]) => [name, new EventContract(system, name, { subject, schema: z.object({ id: z.string() }) })]),
  );
  const all = Object.keys(subjects);
  new GoService(system.domain('d'), 'svc', {
    publishes: (wiring.publishes ?? all).map((n) => events[n]!),
    subscribes: (wiring.subscribes ?? all).map((n) => events[n]!),
  });
  return system.check();
}

test('an event nobody subscribes to is a warning', () => {
  const problems = eventModel({ orphan: 'ev.orphan.{id}', unused: 'ev.unused', used: 'ev.used' }, { publishes: ['orphan', 'used'], subscribes: ['used'] });
  const warnings = problems.filter((p) => p.code === 'unsubscribed-event');
  assert.deepEqual(
    warnings.map((p) => `${p.severity} ${p.path}: ${p.message}`),
    [
      "warning ev/contracts/orphan: event 'orphan' (ev.orphan.{id}) has no subscriber in the system",
      "warning ev/contracts/unused: event 'unused' (ev.unused) has no subscriber and no publisher in the system",
    ],
  );
});

test('two events whose subjects can be the same clash', () => {
  const problems = eventModel({
    'room-message': 'ev.rooms.{room}.message',
    'general-room': 'ev.rooms.general.{kind}',
    'room-joined': 'ev.rooms.{room}.joined',
    twin: 'ev.rooms.{other}.joined',
    longer: 'ev.rooms.general.message.extra',
  }).filter((p) => p.code === 'subject-clash');
  assert.deepEqual(
    problems.map((p) => `${p.path}: ${p.message}`),
    [
      "ev/contracts/general-room: subject 'ev.rooms.general.{kind}' and the subject 'ev.rooms.{other}.joined' of event 'twin' can be the same, e.g. 'ev.rooms.general.joined'",
      "ev/contracts/general-room: subject 'ev.rooms.general.{kind}' and the subject 'ev.rooms.{room}.joined' of event 'room-joined' can be the same, e.g. 'ev.rooms.general.joined'",
      "ev/contracts/general-room: subject 'ev.rooms.general.{kind}' and the subject 'ev.rooms.{room}.message' of event 'room-message' can be the same, e.g. 'ev.rooms.general.message'",
      "ev/contracts/room-joined: subject 'ev.rooms.{room}.joined' and the subject 'ev.rooms.{other}.joined' of event 'twin' can be the same, e.g. 'ev.rooms.other.joined'",
    ],
  );
  assert.ok(problems.every((p) => p.severity === 'error'));
});

test('subjects that differ in a literal or in length do not clash', () => {
  const problems = eventModel({ a: 'ev.a.{id}', b: 'ev.b.{id}', c: 'ev.a.{id}.more', d: 'ev.a' });
  assert.deepEqual(problems.filter((p) => p.code === 'subject-clash'), []);
});
