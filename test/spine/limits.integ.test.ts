// JetStream bounds against a real nats-server: the NACK resources' limits are what the server
// enforces, and a message nacked until maxDeliver lands in the dead-letter stream, from where
// the original can still be read.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { EventContract, GoService, System } from '../../constructs/index.js';
import { tempDir } from '../support/cli.js';
import type { KubeObject } from '../support/synth.js';
import { startLocalCluster, type LocalCluster } from './support/local-cluster.js';
import { consumerConfig, streamConfig } from './support/nack.js';
import { Probe } from './support/probe.js';

const system = new System({ name: 'jobs', nats: { replicas: 1, storage: '2Gi' } });
const queued = new EventContract(system, 'job-queued', { subject: 'jobs.queued.{kind}', schema: z.object({}), stream: { name: 'JOBS', replicas: 1, maxAge: '2h' } });
const audit = new EventContract(system, 'audited', { subject: 'jobs.audit.{kind}', schema: z.object({}), stream: { name: 'AUDIT', replicas: 1, maxBytes: '100Mi' } });
new GoService(system.domain('front'), 'submit', { publishes: [queued, audit] });
new GoService(system.domain('back'), 'runner', { subscribes: [{ event: queued, maxDeliver: 3, ackWait: '1s' }, audit] });
const files = system.files();
const objects: KubeObject[] = [...files].filter(([f]) => f.endsWith('.k8s.yaml')).flatMap(([, t]) => parseAllDocuments(t).map((d) => d.toJS() as KubeObject));
const config = (name: string, ns: string) => JSON.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${name}-config` && o.metadata.namespace === ns)!.data!['service.json']!);
const runner = config('runner', 'jobs-back');
const submit = config('submit', 'jobs-front');

let cluster: LocalCluster | undefined;
let jsm: JetStreamManager;
const open: Probe[] = [];

before(async () => {
  cluster = await startLocalCluster(files.get('nats/nats.conf')!, { dir: tempDir('nats-limits-'), nodes: 1 });
  const nack = await Probe.open(cluster.servers, 'nack', cluster.passwords.nack!);
  open.push(nack);
  jsm = await jetstreamManager(nack.nc);
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

test('the server holds every stream and consumer to the bounds the resources declare', async () => {
  const jobs = await jsm.streams.info('JOBS');
  const auditInfo = await jsm.streams.info('AUDIT');
  const store = Math.floor(2 * 2 ** 30 * 0.9);
  assert.equal(auditInfo.config.max_bytes, 100 * 2 ** 20, 'a stream that sets maxBytes keeps it');
  assert.equal(jobs.config.max_bytes, Math.floor((store - 64 * 2 ** 20 - 100 * 2 ** 20) / 2 ** 20) * 2 ** 20, 'the others share what is left');
  assert.equal(jobs.config.max_msgs, Math.floor(jobs.config.max_bytes / 64));
  const consumer = await jsm.consumers.info('JOBS', runner.subscribes[0].consumer);
  assert.equal(consumer.config.max_deliver, 3);
  assert.deepEqual(consumer.config.backoff, [1e9, 2e9]);
  assert.equal(consumer.config.max_ack_pending, 200, '100 per replica, 2 replicas');
  const defaults = await jsm.consumers.info('AUDIT', runner.subscribes[1].consumer);
  assert.equal(defaults.config.max_deliver, 5);
  assert.equal(defaults.config.ack_wait, 30e9, '10 × a 100ms deadline is under the 30s floor');
  const dead = await jsm.streams.info('DEAD_LETTERS');
  assert.deepEqual(dead.config.subjects, ['$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.AUDIT.*', '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.JOBS.*']);
});

test('a message nacked until maxDeliver lands in the dead-letter stream, pointing at the original', async () => {
  const publisher = await Probe.open(cluster!.servers, submit.nats.user, cluster!.passwords[submit.nats.user]!, submit.nats.inboxPrefix);
  const worker = await Probe.open(cluster!.servers, runner.nats.user, cluster!.passwords[runner.nats.user]!, runner.nats.inboxPrefix);
  open.push(publisher, worker);
  const ack = await jetstream(publisher.nc).publish('jobs.queued.poison', JSON.stringify({ kind: 'poison' }));

  const consumer = await jetstream(worker.nc).consumers.get('JOBS', runner.subscribes[0].consumer);
  let deliveries = 0;
  for (let i = 0; i < 3; i++) {
    // Redelivery waits out the backoff (1s, then 2s); a generous expiry, not a timing assertion.
    const message = await consumer.next({ expires: 10_000 });
    assert.ok(message, `delivery ${i + 1} arrived`);
    assert.equal(message.info.deliveryCount, i + 1);
    deliveries++;
    message.nak();
  }
  await worker.nc.flush();
  assert.equal(await consumer.next({ expires: 3_000 }), null, 'no fourth delivery');
  assert.equal(deliveries, 3);

  let dead: { stream: string; consumer: string; stream_seq: number; deliveries: number } | undefined;
  const deadline = Date.now() + 10_000;
  while (!dead && Date.now() < deadline) {
    const info = await jsm.streams.info('DEAD_LETTERS');
    if (info.state.messages > 0) dead = (await jsm.streams.getMessage('DEAD_LETTERS', { seq: info.state.first_seq }))!.json();
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(dead, 'the MAX_DELIVERIES advisory was kept in DEAD_LETTERS');
  assert.deepEqual({ stream: dead.stream, consumer: dead.consumer, seq: dead.stream_seq, deliveries: dead.deliveries }, { stream: 'JOBS', consumer: runner.subscribes[0].consumer, seq: ack.seq, deliveries: 3 });
  const original = await jsm.streams.getMessage('JOBS', { seq: dead.stream_seq });
  assert.equal(original?.subject, 'jobs.queued.poison', 'the original is still in its stream');
  publisher.assertNoViolations();
  worker.assertNoViolations();
});
