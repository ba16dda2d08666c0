import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ElixirFanout, EventContract, GoService, RustHotPath, System, TsApi } from '../../constructs/index.js';
import { allObjects, find } from '../support/synth.js';
import { parseConf } from './support/local-cluster.js';

interface ConfUser {
  user: string;
  password: string;
  permissions?: { publish: { allow?: string[]; deny?: string[] }; subscribe: { allow?: string[]; deny?: string[] } };
}

/** The users of every account in a synthesized config, by name. */
function users(system: System): Map<string, ConfUser & { account: string }> {
  const conf = parseConf(system.files().get('nats/nats.conf')!);
  const result = new Map<string, ConfUser & { account: string }>();
  for (const [account, { users }] of Object.entries(conf.accounts as Record<string, { users: ConfUser[] }>)) {
    for (const user of users) result.set(user.user, { ...user, account });
  }
  return result;
}

/** One publisher and one subscriber of each kind: core, core with a queue group, durable. */
function market() {
  const system = new System({ name: 'market' });
  const quoted = new EventContract(system, 'quote-moved', { subject: 'market.quotes.{symbol}.{venue}', schema: z.object({}) });
  const filled = new EventContract(system, 'order-filled', {
    subject: 'market.orders.filled.{account}',
    schema: z.object({}),
    stream: { name: 'FILLS' },
  });
  new RustHotPath(system.domain('pricing'), 'ticker', { publishes: [quoted] });
  new GoService(system.domain('trading'), 'matcher', { publishes: [filled], subscribes: [{ event: quoted, queueGroup: 'matchers' }] });
  new ElixirFanout(system.domain('live'), 'board', { subscribes: [quoted, filled], websocket: { connections: 1000, perPod: 1000 } });
  new TsApi(system.domain('edge'), 'api', { subscribes: [{ event: filled, durable: false }] });
  new GoService(system.domain('trading'), 'ledger', {});
  return system;
}

test('a core publisher may publish its subjects (tokens as *) and nothing else, and subscribes to nothing', () => {
  const ticker = users(market()).get('pricing-ticker')!;
  assert.deepEqual(ticker.permissions, { publish: { allow: ['market.quotes.*.*'] }, subscribe: { deny: ['>'] } });
});

test('a core subscriber may subscribe only within its queue group', () => {
  const all = users(market());
  assert.deepEqual(all.get('trading-matcher')!.permissions!.subscribe.allow, ['_INBOX_market-trading_matcher.>', 'market.quotes.*.* matchers']);
  assert.deepEqual(all.get('edge-api')!.permissions, {
    publish: { deny: ['>'] },
    subscribe: { allow: ['market.orders.filled.* api'] },
  });
});

test('a JetStream publisher gets its own inbox for PubAcks, never the shared _INBOX.>', () => {
  const matcher = users(market()).get('trading-matcher')!;
  assert.deepEqual(matcher.permissions!.publish, { allow: ['market.orders.filled.*'] });
  assert.ok(matcher.permissions!.subscribe.allow!.includes('_INBOX_market-trading_matcher.>'));
});

test("a durable subscriber gets only its own consumer's JetStream subjects", () => {
  const board = users(market()).get('live-board')!;
  assert.deepEqual(board.permissions, {
    publish: {
      allow: [
        '$JS.ACK.FILLS.market-live-board.>',
        '$JS.API.CONSUMER.INFO.FILLS.market-live-board',
        '$JS.API.CONSUMER.MSG.NEXT.FILLS.market-live-board',
        '$JS.API.INFO',
        '$JS.API.STREAM.INFO.FILLS',
      ],
    },
    subscribe: { allow: ['_INBOX_market-live_board.>', 'market.quotes.*.* board'] },
  });
});

test('no service user is given admin subjects; services without events get no user at all', () => {
  const all = users(market());
  assert.deepEqual([...all.keys()].sort(), ['edge-api', 'live-board', 'nack', 'pricing-ticker', 'system', 'trading-matcher']);
  for (const [name, user] of all) {
    if (name === 'nack' || name === 'system') continue;
    const subjects = [...(user.permissions!.publish.allow ?? []), ...(user.permissions!.subscribe.allow ?? [])];
    for (const admin of ['$JS.API.>', '_INBOX.>', '>', '$SYS.>']) assert.ok(!subjects.includes(admin), `${name} may not have ${admin}`);
    assert.equal(user.account, 'MARKET');
    assert.equal(user.password, `$NATS_PASSWORD_${name.toUpperCase().replace(/-/g, '_')}`);
  }
  assert.equal(all.get('system')!.account, '$SYS');
  assert.deepEqual(all.get('nack')!.permissions, { publish: { allow: ['$JS.API.>'] }, subscribe: { allow: ['_INBOX.>'] } });
});

test('the service config tells each service the user, inbox prefix and consumer the server expects', () => {
  const objects = allObjects(market());
  const board = JSON.parse(find(objects, 'ConfigMap', 'board-config', 'market-live').data!['service.json']!);
  assert.deepEqual(board.nats, {
    inboxPrefix: '_INBOX_market-live_board',
    passwordEnv: 'NATS_PASSWORD',
    url: 'nats://nats.market-nats.svc.cluster.local:4222',
    user: 'live-board',
  });
  assert.deepEqual(
    board.subscribes.map((s: { stream?: string; consumer?: string }) => [s.stream, s.consumer]),
    [[undefined, undefined], ['FILLS', 'market-live-board']],
  );
});
