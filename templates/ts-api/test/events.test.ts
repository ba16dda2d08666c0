// NATS helpers that need no server: subjects from the config, the password from the named env var.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillSubject, natsPassword } from '../src/events.ts';

const nats = { url: 'nats://127.0.0.1:4222', user: 'svc', passwordEnv: 'SVC_NATS_PASSWORD', inboxPrefix: '_INBOX_svc' };

test('named subject tokens are filled in', () => {
  assert.equal(fillSubject('shop.billing.invoice-issued.{customer}', { customer: 'c-1' }), 'shop.billing.invoice-issued.c-1');
  assert.equal(fillSubject('a.{x}.b.{y}', { x: '1', y: '2' }), 'a.1.b.2');
  assert.equal(fillSubject('plain.subject', {}), 'plain.subject');
});

test('a missing or multi-token value is refused', () => {
  assert.throws(() => fillSubject('a.{x}', {}), /needs a value for \{x\}/);
  for (const bad of ['a.b', '*', '>', '', 'a b']) assert.throws(() => fillSubject('a.{x}', { x: bad }), /must be one token/);
});

test('the password comes from the environment variable the config names', () => {
  assert.equal(natsPassword(nats, { SVC_NATS_PASSWORD: 's3cret' }), 's3cret');
  assert.throws(() => natsPassword(nats, {}), /SVC_NATS_PASSWORD \(named by nats.passwordEnv/);
});
