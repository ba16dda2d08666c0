// The generated NATS config against a real nats-server: syntax check, a 3-node JetStream cluster
// on loopback, the JetStream round trip, and the permission matrix over examples/jvn.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { EventContract, GoService, System, TsApi, type SystemProps } from '../../constructs/index.js';
import { jvn } from '../../examples/jvn/system.js';
import { tempDir } from '../support/cli.js';
import type { KubeObject } from '../support/synth.js';
import { toolPath } from '../support/tools.js';
import { parseConf, startLocalCluster, testEnvironment, type LocalCluster } from './support/local-cluster.js';
import { consumerConfig, streamConfig } from './support/nack.js';
import { Probe } from './support/probe.js';

const system = jvn();
const files = system.files();
const conf = files.get('nats/nats.conf')!;
const objects: KubeObject[] = [...files]
  .filter(([file]) => file.endsWith('.k8s.yaml'))
  .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS() as KubeObject));

/** What each service that uses events is told in its config, and what the model declares for it. */
interface Client {
  readonly label: string;
  readonly user: string;
  readonly inboxPrefix: string;
  readonly publishes: readonly { subject: string; pattern: string; stream?: string }[];
  readonly core: readonly { pattern: string; queueGroup: string }[];
  readonly durable: readonly { event: string; stream: string; consumer: string; pattern: string }[];
  /** Broadcast subscriptions to a stream: an ordered consumer per pod. */
  readonly ordered: readonly { event: string; stream: string; pattern: string }[];
}

const concrete = (subject: string) => subject.replace(/\{[^}]+\}/g, 'probe');

const clients: Client[] = system.model().services.flatMap((service) => {
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${service.name}-config` && o.metadata.namespace === service.namespace)!;
  const config = JSON.parse(configMap.data!['service.json']!);
  if (!config.nats) return [];
  return [
    {
      label: `${service.namespace}/${service.name}`,
      user: config.nats.user,
      inboxPrefix: config.nats.inboxPrefix,
      publishes: service.publishes.map((e) => ({ subject: concrete(e.subject), pattern: e.subjectPattern, stream: e.stream?.name })),
      core: service.subscribes.filter((s) => s.delivery === 'queue' && !s.durable).map((s) => ({ pattern: s.event.subjectPattern, queueGroup: s.queueGroup })),
      ordered: service.subscribes
        .filter((s) => s.delivery === 'broadcast' && s.event.stream)
        .map((s) => ({ event: s.event.name, stream: s.event.stream!.name, pattern: s.event.subjectPattern })),
      durable: service.subscribes
        .filter((s) => s.durable)
        .map((s) => ({
          event: s.event.name,
          stream: s.event.stream!.name,
          consumer: config.subscribes.find((c: { event: string }) => c.event === s.event.name).consumer,
          pattern: s.event.subjectPattern,
        })),
    },
  ];
});
const events = system.model().eventContracts.map((e) => ({ name: e.name, subject: concrete(e.subject), pattern: e.subjectPattern, stream: e.stream?.name }));

/** Every user of every account of a generated config. */
function parseConfUsers(text: string): { user: string; password: string }[] {
  return Object.values(parseConf(text).accounts as Record<string, { users: { user: string; password: string }[] }>).flatMap((a) => a.users);
}

/** `nats-server -t -c` with every variable of the config set, as the pods set them. */
function checkConfig(text: string, label: string) {
  const file = join(tempDir('nats-conf-'), `${label}.conf`);
  writeFileSync(file, text);
  const env = { ...testEnvironment(text, ['nats://route:test@127.0.0.1:6222']).env, SERVER_NAME: 'nats-0' };
  const result = spawnSync(toolPath('nats-server'), ['-t', '-c', file], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 10_000 });
  assert.equal(result.status, 0, `${label}: ${result.stderr}${result.stdout}`);
  assert.match(result.stderr + result.stdout, /configuration file .* is valid/);
}

let cluster: LocalCluster | undefined;
const open: Probe[] = [];
const connectAs = async (user: string, inboxPrefix?: string) => {
  const probe = await Probe.open(cluster!.servers, user, cluster!.passwords[user]!, inboxPrefix);
  open.push(probe);
  return probe;
};

before(async () => {
  cluster = await startLocalCluster(conf, { dir: tempDir('nats-cluster-'), nodes: 3 });
});
after(async () => {
  await Promise.allSettled(open.map((p) => p.close()));
  await cluster?.stop();
});

/** The config of a small system with the given spine props. */
function variantConfig(nats: SystemProps['nats']): string {
  const variant = new System({ name: 'variant', nats });
  const event = new EventContract(variant, 'ticked', { subject: 'variant.ticks.{id}', schema: z.object({}), stream: { name: 'TICKS', replicas: 1 } });
  new GoService(variant.domain('clock'), 'ticker', { publishes: [event] });
  new TsApi(variant.domain('edge'), 'api', { subscribes: [event] });
  return variant.files().get('nats/nats.conf')!;
}

test('nats-server -t accepts every generated config: jvn, one server with websocket, five servers', () => {
  checkConfig(conf, 'jvn');
  checkConfig(variantConfig({ replicas: 1, websocket: {} }), 'single-websocket');
  checkConfig(variantConfig({ replicas: 5 }), 'five');
});

test('one server with a websocket listener boots (the start-up checks -t skips)', async () => {
  const single = await startLocalCluster(variantConfig({ replicas: 1, websocket: {} }), { dir: tempDir('nats-single-'), nodes: 1 });
  try {
    const varz = (await (await fetch(`${single.nodes[0]!.monitorUrl}/varz`)).json()) as { websocket?: { port: number } };
    assert.ok(varz.websocket?.port, 'the websocket listener is up');
  } finally {
    await single.stop();
  }
});

test('the jvn config boots as a 3-node JetStream cluster: every node healthy, one meta group of 3', async () => {
  for (const node of cluster!.nodes) {
    const health = (await (await fetch(`${node.monitorUrl}/healthz`)).json()) as { status: string };
    assert.equal(health.status, 'ok', node.name);
    const jsz = (await (await fetch(`${node.monitorUrl}/jsz`)).json()) as { meta_cluster?: { cluster_size: number } };
    assert.equal(jsz.meta_cluster?.cluster_size, 3, `${node.name} sees a meta group of 3`);
  }
});

test('the NACK user creates every Stream and Consumer exactly as the resources declare them', async () => {
  const nack = await connectAs('nack');
  const jsm = await jetstreamManager(nack.nc);
  for (const stream of objects.filter((o) => o.kind === 'Stream')) {
    const info = await jsm.streams.add(streamConfig(stream.spec));
    assert.equal(info.config.storage, 'file');
    assert.equal(info.config.num_replicas, 3);
  }
  for (const consumer of objects.filter((o) => o.kind === 'Consumer')) {
    const { stream, config } = consumerConfig(consumer.spec);
    const info = await jsm.consumers.add(stream, config);
    assert.equal(info.config.ack_policy, 'explicit');
  }
  nack.assertNoViolations();
});

test('JetStream round trip on MEDIA_UPLOADS: gateway publishes with a PubAck, transcode consumes through its durable and acks', async () => {
  const gateway = clients.find((c) => c.user === 'edge-gateway')!;
  const transcode = clients.find((c) => c.user === 'media-transcode')!;
  const publisher = await connectAs(gateway.user, gateway.inboxPrefix);
  const consumer = await connectAs(transcode.user, transcode.inboxPrefix);

  const ack = await jetstream(publisher.nc).publish('jvn.media.uploaded.lobby', JSON.stringify({ room: 'lobby', media: 'm1' }));
  assert.equal(ack.stream, 'MEDIA_UPLOADS');
  const durable = await jetstream(consumer.nc).consumers.get('MEDIA_UPLOADS', transcode.durable[0]!.consumer);
  const message = await durable.next({ expires: 3_000 });
  assert.ok(message, 'a message was delivered');
  assert.equal(message.subject, 'jvn.media.uploaded.lobby');
  assert.equal(message.json<{ media: string }>().media, 'm1');
  assert.equal(await message.ackAck(), true);

  const nack = await connectAs('nack');
  const info = await (await jetstreamManager(nack.nc)).consumers.info('MEDIA_UPLOADS', transcode.durable[0]!.consumer);
  assert.equal(info.ack_floor.stream_seq, ack.seq, 'the ack reached the stream');
  assert.equal(info.num_pending + info.num_ack_pending, 0);
  publisher.assertNoViolations();
  consumer.assertNoViolations();
});

test('no plaintext password reaches the servers: nats-users holds bcrypt hashes and nats-server does not warn', () => {
  for (const node of cluster!.nodes) assert.doesNotMatch(node.log(), /Plaintext passwords detected/, node.name);
  const users = parseConfUsers(conf);
  assert.ok(users.length >= 6);
  for (const user of users) assert.match(user.password, /^\$NATS_PASSWORD_[A-Z0-9_]+$/, `${user.user}'s password is a variable, filled with a hash`);
});

test('permission matrix over jvn: every declared publish, subscribe and request succeeds, every undeclared one is refused', async (t) => {
  const tally = new Map(clients.map((c) => [c.user, { allowed: 0, refused: 0 }]));

  // Declared: each event's publishers reach its core subscribers (in their queue groups) and its
  // durable subscribers (through their consumers), with the JetStream requests they need.
  const probes = new Map<string, Probe>();
  for (const client of clients) probes.set(client.user, await connectAs(client.user, client.inboxPrefix));
  for (const event of events) {
    const receivers = clients.flatMap((client) =>
      client.core
        .filter((s) => s.pattern === event.pattern)
        .map((s) => {
          const received = new Promise<string>((resolve) => {
            probes.get(client.user)!.nc.subscribe(s.pattern, { queue: s.queueGroup, max: 1, callback: (_, m) => resolve(m.subject) });
          });
          tally.get(client.user)!.allowed++;
          return received;
        }),
    );
    for (const probe of probes.values()) await probe.nc.flush();
    for (const client of clients.filter((c) => c.publishes.some((p) => p.pattern === event.pattern))) {
      const probe = probes.get(client.user)!;
      if (event.stream) assert.equal((await jetstream(probe.nc).publish(event.subject, '{}')).stream, event.stream, `${client.user} gets a PubAck`);
      else probe.nc.publish(event.subject, '{}');
      tally.get(client.user)!.allowed++;
    }
    for (const subject of await within(Promise.all(receivers), `${event.name} reaches its core subscribers`)) assert.equal(subject, event.subject);

    for (const client of clients) {
      for (const durable of client.durable.filter((d) => d.event === event.name)) {
        const nc = probes.get(client.user)!.nc;
        for (const subject of ['$JS.API.INFO', `$JS.API.STREAM.INFO.${durable.stream}`, `$JS.API.CONSUMER.INFO.${durable.stream}.${durable.consumer}`]) {
          const answer = (await nc.request(subject, '', { timeout: 3_000 })).json<{ error?: unknown }>();
          assert.equal(answer.error, undefined, `${client.user}: ${subject}`);
          tally.get(client.user)!.allowed++;
        }
        const message = await pullOnce(() => jetstream(nc).consumers.get(durable.stream, durable.consumer));
        assert.equal(message?.subject, event.subject, `${client.user} pulls ${event.name} from ${durable.stream}`);
        assert.equal(await message!.ackAck(), true, `${client.user} acks on $JS.ACK.${durable.stream}.${durable.consumer}`);
        tally.get(client.user)!.allowed += 2;
      }
      for (const ordered of client.ordered.filter((o) => o.event === event.name)) {
        const nc = probes.get(client.user)!.nc;
        const message = await pullOnce(() => jetstream(nc).consumers.get(ordered.stream, { filter_subjects: ordered.pattern, deliver_policy: DeliverPolicy.Last }));
        assert.equal(message?.subject, event.subject, `${client.user} reads ${event.name} through an ordered consumer on ${ordered.stream}`);
        tally.get(client.user)!.allowed += 2;
      }
    }
  }
  for (const probe of probes.values()) probe.assertNoViolations();

  // Undeclared: other services' subjects, queue groups, inboxes and consumers, and the JetStream admin API.
  const streams = [...new Set(events.flatMap((e) => (e.stream ? [e.stream] : [])))];
  const consumers = clients.flatMap((c) => c.durable.map((d) => ({ ...d, owner: c.user })));
  const queueGroups = clients.flatMap((c) => c.core);
  for (const client of clients) {
    const probe = await connectAs(client.user, client.inboxPrefix);
    const checks: (() => Promise<void>)[] = [];
    for (const event of events) {
      if (!client.publishes.some((p) => p.pattern === event.pattern)) checks.push(() => probe.publishRefused(event.subject));
      checks.push(() => probe.subscribeRefused(event.pattern));
      checks.push(() => probe.subscribeRefused(event.pattern, 'intruders'));
    }
    for (const group of queueGroups.filter((g) => !client.core.some((own) => own.pattern === g.pattern && own.queueGroup === g.queueGroup))) {
      checks.push(() => probe.subscribeRefused(group.pattern, group.queueGroup));
    }
    checks.push(() => probe.subscribeRefused('_INBOX.>'));
    for (const other of clients.filter((c) => c !== client)) {
      checks.push(() => probe.subscribeRefused(`${other.inboxPrefix}.>`));
      checks.push(() => probe.publishRefused(`${other.inboxPrefix}.reply`));
    }
    checks.push(() => probe.requestRefused('$JS.API.STREAM.NAMES'));
    checks.push(() => probe.publishRefused('$JS.API.STREAM.CREATE.INTRUDER'));
    for (const stream of streams) {
      checks.push(() => probe.publishRefused(`$JS.API.STREAM.DELETE.${stream}`));
      checks.push(() => probe.publishRefused(`$JS.API.CONSUMER.CREATE.${stream}`));
    }
    for (const consumer of consumers.filter((c) => c.owner !== client.user)) {
      checks.push(() => probe.requestRefused(`$JS.API.CONSUMER.INFO.${consumer.stream}.${consumer.consumer}`));
      checks.push(() => probe.publishRefused(`$JS.API.CONSUMER.MSG.NEXT.${consumer.stream}.${consumer.consumer}`));
      checks.push(() => probe.publishRefused(`$JS.ACK.${consumer.stream}.${consumer.consumer}.1.1.1.1.0`));
    }
    checks.push(() => probe.publishRefused('$SYS.REQ.SERVER.PING'));
    for (const check of checks) await check();
    tally.get(client.user)!.refused += checks.length;
  }

  // A service without events has no NATS user at all.
  await assert.rejects(connectAs('identity-jwt-signer'), /Authorization Violation/i);

  const rows = [...tally].map(([user, n]) => `${user}: ${n.allowed} allowed, ${n.refused} refused`);
  const total = [...tally.values()].reduce((sum, n) => ({ allowed: sum.allowed + n.allowed, refused: sum.refused + n.refused }), { allowed: 0, refused: 0 });
  t.diagnostic(`${tally.size} users × (declared + undeclared): ${total.allowed} declared operations succeeded, ${total.refused} undeclared were refused`);
  for (const row of rows) t.diagnostic(row);
  for (const [user, n] of tally) assert.ok(n.allowed >= 1 && n.refused >= 20, `${user}: ${n.allowed} allowed, ${n.refused} refused`);
});

function within<T>(promise: Promise<T>, what: string, ms = 3_000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))),
  ]);
}

/**
 * One message from a consumer. A pull answered 503 "no responders" (the consumer's server not
 * answering yet, seen once on a loaded machine) is tried again after a pause, up to three times;
 * a refused permission is a different error and fails at once.
 */
async function pullOnce(open: () => Promise<{ next(options: { expires: number }): Promise<JsMsg | null> }>): Promise<JsMsg | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await open()).next({ expires: 3_000 });
    } catch (error) {
      if (attempt >= 3 || (error as { code?: unknown }).code !== 503) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
