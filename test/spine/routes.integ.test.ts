// The cluster routes authenticate. Two servers booted from a generated config form a cluster
// with the route password; a rogue nats-server that joins their route port without it (or with
// a wrong one) is refused, and a client of the rogue reads nothing of what the system publishes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { EventContract, GoService, System, TsApi } from '../../constructs/index.js';
import { tempDir } from '../support/cli.js';
import { freePorts, parseConf, startLocalCluster, startServer, type LocalCluster } from './support/local-cluster.js';
import { Probe } from './support/probe.js';

const system = new System({ name: 'guarded' });
const secret = new EventContract(system, 'salary-paid', { subject: 'guarded.pay.{employee}', schema: z.object({}) });
new GoService(system.domain('payroll'), 'payer', { publishes: [secret] });
new TsApi(system.domain('hr'), 'ledger', { subscribes: [secret] });
const conf = system.files().get('nats/nats.conf')!;
const account = Object.keys(parseConf(conf).accounts).find((name) => name !== '$SYS')!;

let cluster: LocalCluster | undefined;
const rogues: { stop(): Promise<void> }[] = [];
const connections: NatsConnection[] = [];

before(async () => {
  cluster = await startLocalCluster(conf, { dir: tempDir('nats-routes-'), nodes: 2 });
});
after(async () => {
  await Promise.allSettled(connections.map((c) => c.close()));
  await Promise.allSettled(rogues.map((r) => r.stop()));
  await cluster?.stop();
});

const routez = async (monitorUrl: string) => (await (await fetch(`${monitorUrl}/routez`)).json()) as { num_routes: number; routes?: { remote_name?: string }[] };

test('the generated config requires a route user and password, and takes the routes from the environment', () => {
  const generated = parseConf(conf);
  assert.deepEqual(generated.cluster.authorization, { user: 'route', password: '$NATS_ROUTE_PASSWORD', timeout: 2 });
  assert.equal(generated.cluster.routes, '$NATS_ROUTES');
});

test('the two servers route to each other with the route password', async () => {
  for (const node of cluster!.nodes) {
    const routes = await routez(node.monitorUrl);
    assert.ok(routes.num_routes >= 1, `${node.name} has a route: ${JSON.stringify(routes)}`);
    assert.ok(routes.routes!.every((r) => r.remote_name && r.remote_name.startsWith('nats-')), `${node.name} routes only to its peer`);
  }
});

for (const [label, route] of [
  ['without credentials', (port: number) => `nats://127.0.0.1:${port}`],
  ['with a wrong password', (port: number) => `nats://route:guessed@127.0.0.1:${port}`],
] as const) {
  test(`a rogue server joining the route port ${label} is refused and reads nothing`, async () => {
    const [client, cluster_, monitor] = await freePorts(3);
    const target = cluster!.nodes[0]!;
    // Same cluster name, same account name, a user of its own with every right: all a rogue
    // needs to read the account's messages once its route is accepted.
    const rogue = await startServer(
      'rogue',
      {
        server_name: 'rogue',
        host: '127.0.0.1',
        port: client,
        cluster: { name: system.name, host: '127.0.0.1', port: cluster_, routes: [route(target.clusterPort)] },
        accounts: { [account]: { users: [{ user: 'spy', password: 'spy' }] } },
      },
      tempDir('nats-rogue-'),
      monitor!,
    );
    rogues.push(rogue);
    await until(async () => /authentication error|Authorization Violation/i.test(target.log() + rogue.log()), 'the route attempt was answered');

    const spy = await connect({ servers: rogue.clientUrl, user: 'spy', pass: 'spy', reconnect: false });
    connections.push(spy);
    const stolen: string[] = [];
    spy.subscribe('>', { callback: (_, m) => void stolen.push(m.subject) });
    await spy.flush();

    const ledger = await Probe.open(cluster!.servers, 'hr-ledger', cluster!.passwords['hr-ledger']!);
    const payer = await Probe.open(cluster!.servers, 'payroll-payer', cluster!.passwords['payroll-payer']!);
    connections.push(ledger.nc, payer.nc);
    const delivered = new Promise<string>((resolve) => ledger.nc.subscribe('guarded.pay.*', { queue: 'ledger', max: 1, callback: (_, m) => resolve(m.subject) }));
    await ledger.nc.flush();
    payer.nc.publish('guarded.pay.ada', '{}');
    await payer.nc.flush();
    assert.equal(await delivered, 'guarded.pay.ada', 'the system itself still works');
    // A round trip through the rogue: had anything been routed to it, it would be here by now.
    await spy.flush();

    assert.deepEqual(stolen, [], 'the rogue read nothing');
    assert.equal((await routez(rogue.monitorUrl)).num_routes, 0, 'the rogue has no route');
    for (const node of cluster!.nodes) {
      const routes = await routez(node.monitorUrl);
      assert.ok(!routes.routes?.some((r) => r.remote_name === 'rogue'), `${node.name} took no route from the rogue`);
    }
    assert.match(target.log(), /authentication error/i, 'the cluster refused the route');
    await rogue.stop();
  });
}

async function until(condition: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
