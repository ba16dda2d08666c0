// Delivery modes against a real nats-server: three connections with one service's credentials
// stand in for three replicas. A broadcast subscription reaches every replica (plain subscription
// for core NATS, an ordered consumer per pod for a stream), a queue subscription exactly one, and
// a pod's subject space reaches that pod only and is refused to other services.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { ElixirFanout, EventContract, GoService, System } from '../../constructs/index.js';
import { tempDir } from '../support/cli.js';
import type { KubeObject } from '../support/synth.js';
import { startLocalCluster, type LocalCluster } from './support/local-cluster.js';
import { consumerConfig, streamConfig } from './support/nack.js';
import { Probe } from './support/probe.js';

function fanSystem() {
  const system = new System({ name: 'fan', nats: { replicas: 1 } });
  const tick = new EventContract(system, 'tick', { subject: 'fan.ticks.{id}', schema: z.object({}) });
  const posted = new EventContract(system, 'posted', { subject: 'fan.rooms.{room}', schema: z.object({}), stream: { name: 'ROOMS', replicas: 1 } });
  const forUser = new EventContract(system, 'for-user', { subject: 'fan.deliver.{pod}.{user}', schema: z.object({}) });
  new GoService(system.domain('src'), 'source', { publishes: [tick, posted, forUser] });
  new ElixirFanout(system.domain('rt'), 'hub', {
    subscribes: [
      { event: tick, delivery: 'broadcast' },
      { event: posted, delivery: 'broadcast' },
      { event: forUser, delivery: 'pod' },
    ],
    websocket: { connections: 3_000, perPod: 1_000 },
  });
  // The same events with the default delivery: one replica of the worker gets each.
  new GoService(system.domain('work'), 'worker', { subscribes: [tick, posted] });
  return system;
}

const system = fanSystem();
const files = system.files();
const objects: KubeObject[] = [...files].filter(([f]) => f.endsWith('.k8s.yaml')).flatMap(([, t]) => parseAllDocuments(t).map((d) => d.toJS() as KubeObject));
const serviceConfig = (name: string, namespace: string) =>
  JSON.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${name}-config` && o.metadata.namespace === namespace)!.data!['service.json']!);
const hub = serviceConfig('hub', 'fan-rt');
const worker = serviceConfig('worker', 'fan-work');
const source = serviceConfig('source', 'fan-src');

let cluster: LocalCluster | undefined;
const open: Probe[] = [];
const connect = async (config: { nats: { user: string; inboxPrefix: string } }) => {
  const probe = await Probe.open(cluster!.servers, config.nats.user, cluster!.passwords[config.nats.user]!, config.nats.inboxPrefix);
  open.push(probe);
  return probe;
};
const replicas = (config: { nats: { user: string; inboxPrefix: string } }) => Promise.all([0, 1, 2].map(() => connect(config)));

before(async () => {
  cluster = await startLocalCluster(files.get('nats/nats.conf')!, { dir: tempDir('nats-delivery-'), nodes: 1 });
  const nack = await Probe.open(cluster.servers, 'nack', cluster.passwords.nack!);
  open.push(nack);
  const jsm = await jetstreamManager(nack.nc);
  for (const stream of objects.filter((o) => o.kind === 'Stream')) await jsm.streams.add(streamConfig(stream.spec));
  for (const consumer of objects.filter((o) => o.kind === 'Consumer')) {
    const { stream, config } = consumerConfig(consumer.spec);
    await jsm.consumers.add(stream, config);
  }
});
after(async () => {
  await Promise.allSettled(open.map((p) => p.close()));
  await cluster?.stop();
});

/** Counts what each connection receives on a subscription until `settled` resolves. */
function counters(count: number) {
  return Array.from({ length: count }, () => ({ received: [] as string[] }));
}

test('the service config tells each replica its delivery mode and subjects', () => {
  const by = (event: string) => hub.subscribes.find((s: { event: string }) => s.event === event);
  assert.deepEqual(
    { delivery: by('tick').delivery, queueGroup: by('tick').queueGroup, durable: by('tick').durable },
    { delivery: 'broadcast', queueGroup: undefined, durable: false },
  );
  assert.deepEqual({ delivery: by('posted').delivery, stream: by('posted').stream, replay: by('posted').replay, consumer: by('posted').consumer }, { delivery: 'broadcast', stream: 'ROOMS', replay: 'new', consumer: undefined });
  assert.deepEqual({ delivery: by('for-user').delivery, podSubject: by('for-user').podSubject }, { delivery: 'pod', podSubject: 'fan.deliver.{pod}.*' });
  const tick = worker.subscribes.find((s: { event: string }) => s.event === 'tick');
  assert.deepEqual({ delivery: tick.delivery, queueGroup: tick.queueGroup }, { delivery: 'queue', queueGroup: 'worker' });
});

test('core NATS: a broadcast subscription reaches all 3 replicas, a queue subscription exactly 1', async () => {
  const hubs = await replicas(hub);
  const workers = await replicas(worker);
  const hubSeen = counters(3);
  const workerSeen = counters(3);
  hubs.forEach((probe, i) => probe.nc.subscribe('fan.ticks.*', { callback: (_, m) => void hubSeen[i]!.received.push(m.subject) }));
  workers.forEach((probe, i) => probe.nc.subscribe('fan.ticks.*', { queue: 'worker', callback: (_, m) => void workerSeen[i]!.received.push(m.subject) }));
  for (const probe of [...hubs, ...workers]) await probe.nc.flush();

  const publisher = await connect(source);
  const messages = 20;
  for (let i = 0; i < messages; i++) publisher.nc.publish(`fan.ticks.t${i}`, '{}');
  await publisher.nc.flush();
  await until(() => hubSeen.every((s) => s.received.length === messages) && workerSeen.reduce((n, s) => n + s.received.length, 0) === messages, 'every message delivered');
  // A round trip through every connection: anything still in flight has arrived.
  for (const probe of [...hubs, ...workers]) await probe.nc.flush();

  for (const [i, seen] of hubSeen.entries()) assert.equal(seen.received.length, messages, `hub replica ${i} got every tick`);
  const all = workerSeen.flatMap((s) => s.received).sort();
  assert.equal(all.length, messages, 'the worker group got each tick exactly once');
  assert.equal(new Set(all).size, messages);
  for (const probe of [...hubs, ...workers, publisher]) probe.assertNoViolations();
});

test('JetStream: each replica\'s ordered consumer reads every message; the durable consumer hands each to one replica', async () => {
  const hubs = await replicas(hub);
  const consumers = await Promise.all(hubs.map((probe) => jetstream(probe.nc, { timeout: 20_000 }).consumers.get('ROOMS', { filter_subjects: 'fan.rooms.*', deliver_policy: DeliverPolicy.New })));
  // Fetch once so each ordered consumer exists before the messages are published (replay: new).
  await Promise.all(consumers.map((c) => c.next({ expires: 1_000 })));

  const publisher = await connect(source);
  const js = jetstream(publisher.nc, { timeout: 20_000 });
  const messages = 5;
  for (let i = 0; i < messages; i++) await js.publish(`fan.rooms.r${i}`, '{}');

  for (const [i, consumer] of consumers.entries()) {
    const subjects: string[] = [];
    for (let n = 0; n < messages; n++) subjects.push((await consumer.next({ expires: 3_000 }))!.subject);
    assert.deepEqual(subjects, Array.from({ length: messages }, (_, k) => `fan.rooms.r${k}`), `hub replica ${i} read every message in order`);
  }

  const workers = await replicas(worker);
  const durable = worker.subscribes.find((s: { event: string }) => s.event === 'posted').consumer;
  const taken: string[] = [];
  for (let n = 0; n < messages; n++) {
    const probe = workers[n % workers.length]!;
    const message = await (await jetstream(probe.nc, { timeout: 20_000 }).consumers.get('ROOMS', durable)).next({ expires: 3_000 });
    taken.push(message!.subject);
    assert.equal(await message!.ackAck(), true);
  }
  assert.equal(new Set(taken).size, messages, 'the replicas of the worker shared the durable consumer: each message once');
  for (const probe of [...hubs, ...workers, publisher]) probe.assertNoViolations();
});

test('pod delivery: a message addressed to one pod reaches that pod only; other services cannot hold the space', async () => {
  const pods = ['hub-7d9f-a', 'hub-7d9f-b', 'hub-7d9f-c'];
  const hubs = await replicas(hub);
  const seen = counters(3);
  hubs.forEach((probe, i) => probe.nc.subscribe(hub.subscribes.find((s: { event: string }) => s.event === 'for-user').podSubject.replace('{pod}', pods[i]), { callback: (_, m) => void seen[i]!.received.push(m.subject) }));
  for (const probe of hubs) await probe.nc.flush();

  const publisher = await connect(source);
  publisher.nc.publish(`fan.deliver.${pods[1]}.ada`, '{}');
  publisher.nc.publish(`fan.deliver.${pods[2]}.bob`, '{}');
  await publisher.nc.flush();
  await until(() => seen[1]!.received.length === 1 && seen[2]!.received.length === 1, 'each addressed pod got its message');
  for (const probe of hubs) await probe.nc.flush();
  assert.deepEqual(seen.map((s) => s.received), [[], [`fan.deliver.${pods[1]}.ada`], [`fan.deliver.${pods[2]}.bob`]]);
  for (const probe of [...hubs, publisher]) probe.assertNoViolations();

  const intruder = await connect(worker);
  await intruder.subscribeRefused('fan.deliver.*.*');
  await intruder.subscribeRefused(`fan.deliver.${pods[0]}.*`);
  await intruder.publishRefused(`fan.deliver.${pods[0]}.ada`);
});

test('a broadcast consumer gets exactly its own ordered consumers: other services\' durables and other filters are refused', async () => {
  const probe = await connect(hub);
  const durable = worker.subscribes.find((s: { event: string }) => s.event === 'posted').consumer;
  await probe.requestRefused(`$JS.API.CONSUMER.CREATE.ROOMS.${durable}.fan.rooms.*`);
  await probe.publishRefused(`$JS.API.CONSUMER.MSG.NEXT.ROOMS.${durable}`);
  await probe.requestRefused('$JS.API.CONSUMER.CREATE.ROOMS.mine.>');
  await probe.requestRefused('$JS.API.CONSUMER.DELETE.ROOMS.anything');
  await probe.requestRefused('$JS.API.STREAM.PURGE.ROOMS');
  // The worker, which reads through its durable, may not create consumers at all.
  const other = await connect(worker);
  await other.requestRefused('$JS.API.CONSUMER.CREATE.ROOMS.x.fan.rooms.*');
});

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
