// Bad delivery modes and unbounded JetStream settings are problems before anything is written;
// the server's resources are settable. (The real servers' side: delivery/limits/routes.integ.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { ElixirFanout, EventContract, GoService, System, type Problem, type SubscriptionProps, type SystemProps } from '../../constructs/index.js';

const schema = z.object({});

function problems(build: (system: System) => void, props: Partial<SystemProps> = {}): Problem[] {
  const system = new System({ name: 'bad', ...props });
  build(system);
  return system.check();
}

/** Exactly one error with this code and message; it names a construct path and a fix. */
function one(found: Problem[], code: string, message: RegExp): Problem {
  const matching = found.filter((p) => p.code === code && message.test(p.message));
  assert.equal(matching.length, 1, `expected one ${code} ${message}, got:\n${found.map((p) => `${p.code} ${p.path}: ${p.message}`).join('\n')}`);
  const p = matching[0]!;
  assert.equal(p.severity, 'error');
  assert.match(p.path, /^bad(\/|$)/);
  assert.ok(p.fix.length > 10);
  return p;
}

function subscriber(subscription: (events: { core: EventContract; kept: EventContract; pod: EventContract }) => SubscriptionProps) {
  return (system: System) => {
    const core = new EventContract(system, 'core', { subject: 'bad.core.{id}', schema });
    const kept = new EventContract(system, 'kept', { subject: 'bad.kept.{id}', schema, stream: { name: 'KEPT' } });
    const pod = new EventContract(system, 'pod', { subject: 'bad.to.{pod}.{user}', schema });
    new GoService(system.domain('a'), 'src', { publishes: [core, kept, pod] });
    new ElixirFanout(system.domain('b'), 'hub', { subscribes: [subscription({ core, kept, pod })], websocket: { connections: 10, perPod: 5 } });
  };
}

test('delivery modes that do not fit their event or settings are problems with a fix', () => {
  one(problems(subscriber(({ core }) => ({ event: core, delivery: 'pod' }))), 'invalid-delivery', /has no \{pod\} token/);
  one(problems(subscriber(({ kept }) => ({ event: kept, delivery: 'pod' }))), 'invalid-delivery', /has no \{pod\} token/);
  const podStream = problems((system) => {
    const e = new EventContract(system, 'kept-pod', { subject: 'bad.to.{pod}', schema, stream: { name: 'KP' } });
    new ElixirFanout(system.domain('b'), 'hub', { subscribes: [{ event: e, delivery: 'pod' }], websocket: { connections: 10, perPod: 5 } });
  });
  one(podStream, 'invalid-delivery', /keeps a stream/);
  one(problems(subscriber(({ kept }) => ({ event: kept, delivery: 'broadcast', durable: true }))), 'invalid-delivery', /is durable/);
  one(problems(subscriber(({ core }) => ({ event: core, delivery: 'broadcast', queueGroup: 'hub' }))), 'invalid-delivery', /queue group/);
  one(problems(subscriber(({ core }) => ({ event: core, delivery: 'broadcast', replay: 'all' }))), 'invalid-delivery', /sets replay/);
  one(problems(subscriber(({ kept }) => ({ event: kept, replay: 'all' }))), 'invalid-delivery', /sets replay/);
  assert.deepEqual(problems(subscriber(({ kept }) => ({ event: kept, delivery: 'broadcast', replay: 'all' }))).filter((p) => p.severity === 'error'), []);
  one(problems(subscriber(({ core }) => ({ event: core, delivery: 'everyone' as never }))), 'invalid-props', /subscribes\[0\]/);
});

test('stream ages, sizes and the store: huge, zero and overfull are problems', () => {
  const stream = (props: Record<string, unknown>) => (system: System) => {
    const e = new EventContract(system, 'e', { subject: 'bad.e.{id}', schema, stream: { name: 'E', ...props } as never });
    new GoService(system.domain('a'), 'src', { publishes: [e] });
  };
  one(problems(stream({ maxAge: '99999999h' })), 'invalid-props', /87600h/);
  one(problems(stream({ maxAge: '1s' })), 'invalid-props', /at least '1m'/);
  one(problems(stream({ maxAge: '0s' })), 'invalid-props', /positive duration/);
  one(problems(stream({ maxBytes: '0' })), 'invalid-props', /at least '1Mi'/);
  one(problems(stream({ maxMsgs: 0 })), 'invalid-props', /maxMsgs/);
  one(problems(stream({ maxBytes: '20Gi' })), 'stream-store', /more than the 9216Mi each NATS server offers/);
  one(problems(stream({ storage: 'memory', maxBytes: '300Mi' })), 'stream-store', /memory streams want 300Mi/);
  one(problems(stream({}), { nats: { storage: '0Gi' } }), 'invalid-props', /at least '1Gi'/);
  one(problems(stream({}), { nats: { storage: '100Mi' } }), 'invalid-props', /at least '1Gi'/);
  // Two streams, one taking the whole store: the other is left nothing.
  const starved = problems((system) => {
    const big = new EventContract(system, 'big', { subject: 'bad.big.{id}', schema, stream: { name: 'BIG', maxBytes: '9216Mi' } });
    const small = new EventContract(system, 'small', { subject: 'bad.small.{id}', schema, stream: { name: 'SMALL' } });
    new GoService(system.domain('a'), 'src', { publishes: [big, small] });
  });
  one(starved, 'stream-store', /'SMALL' is left less than 1Mi/);
  one(problems((system) => {
    const e = new EventContract(system, 'dl', { subject: 'bad.dl.{id}', schema, stream: { name: 'DEAD_LETTERS' } });
    new GoService(system.domain('a'), 'src', { publishes: [e] });
  }), 'reserved-name', /dead-letter stream/);
});

test('consumer bounds: maxDeliver and ackWait are checked; defaults are derived from the deadline and replicas', () => {
  one(problems(subscriber(({ kept }) => ({ event: kept, maxDeliver: 0 }))), 'invalid-props', /maxDeliver/);
  one(problems(subscriber(({ kept }) => ({ event: kept, ackWait: 'soon' }))), 'invalid-props', /ackWait/);
  const system = new System({ name: 'ok' });
  const e = new EventContract(system, 'e', { subject: 'ok.e.{id}', schema, stream: { name: 'E' } });
  new GoService(system.domain('a'), 'src', { publishes: [e] });
  new GoService(system.domain('b'), 'slow', { subscribes: [e], deadline: '10s', autoscaling: { minReplicas: 2, maxReplicas: 40 } });
  const consumer = parseAllDocuments(system.files().get('ok-nats.k8s.yaml')!).map((d) => d.toJS()).find((o) => o.kind === 'Consumer');
  assert.equal(consumer.spec.ackWait, '100s', '10 × a 10s deadline');
  assert.deepEqual(consumer.spec.backoff, ['100s', '200s', '400s', '800s']);
  assert.equal(consumer.spec.maxAckPending, 4000, '100 for each of up to 40 replicas');
});

test('the NATS server resources are settable, with defaults; a request over its limit is a problem', () => {
  const container = (nats: SystemProps['nats']) => {
    const system = new System({ name: 'res', nats });
    const e = new EventContract(system, 'e', { subject: 'res.e.{id}', schema });
    new GoService(system.domain('a'), 'src', { publishes: [e] });
    const set = parseAllDocuments(system.files().get('res-nats.k8s.yaml')!).map((d) => d.toJS()).find((o) => o.kind === 'StatefulSet');
    return set.spec.template.spec.containers[0];
  };
  assert.deepEqual(container({}).resources, { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } });
  const big = container({ resources: { cpuRequest: '1', cpuLimit: '4', memory: '4Gi' } });
  assert.deepEqual(big.resources, { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '4', memory: '4Gi' } });
  assert.equal(big.env.find((e: { name: string }) => e.name === 'GOMEMLIMIT').value, '3481MiB');
  const nats = (resources: object) => problems(() => {}, { nats: { resources } as never });
  one(nats({ cpuRequest: '3', cpuLimit: '2' }), 'invalid-props', /cpuRequest is above cpuLimit/);
  one(nats({ memory: '256Mi' }), 'invalid-props', /at least '512Mi'/);
  one(nats({ cpuLimit: '0' }), 'invalid-props', /more than 0 CPU/);
});

test('routeTls adds mutual TLS to the routes: the tls block, the mounted Secret, and the Secret listed to bring', () => {
  const system = new System({ name: 'tls', nats: { routeTls: { secretName: 'nats-route-tls' } } });
  const e = new EventContract(system, 'e', { subject: 'tls.e.{id}', schema });
  new GoService(system.domain('a'), 'src', { publishes: [e] });
  const files = system.files();
  const conf = JSON.parse(files.get('nats/nats.conf')!.replace(/: \$([A-Z_]+)/g, ': "$$$1"'));
  assert.deepEqual(conf.cluster.tls, { ca_file: '/etc/nats-route-tls/ca.crt', cert_file: '/etc/nats-route-tls/tls.crt', key_file: '/etc/nats-route-tls/tls.key', timeout: 5, verify: true });
  assert.equal(conf.cluster.authorization.user, 'route', 'the password stays required with TLS');
  const set = parseAllDocuments(files.get('tls-nats.k8s.yaml')!).map((d) => d.toJS()).find((o) => o.kind === 'StatefulSet');
  assert.deepEqual(set.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'route-tls'), { name: 'route-tls', secret: { secretName: 'nats-route-tls' } });
  assert.ok(set.spec.template.spec.containers[0].volumeMounts.some((m: { mountPath: string; readOnly?: boolean }) => m.mountPath === '/etc/nats-route-tls' && m.readOnly));
  const plan = JSON.parse(files.get('secrets.json')!);
  assert.ok(plan.secrets.some((s: { name: string; type: string }) => s.name === 'nats-route-tls' && s.type === 'tls'));
  assert.ok(plan.secrets.some((s: { name: string; type: string }) => s.name === 'nats-route' && s.type === 'generated'));
  const single = new System({ name: 'one', nats: { replicas: 1 } });
  new GoService(single.domain('a'), 'src', { publishes: [new EventContract(single, 'e', { subject: 'one.e.{id}', schema })] });
  assert.ok(!JSON.parse(single.files().get('secrets.json')!).secrets.some((s: { name: string }) => s.name === 'nats-route'), 'one server has no routes and no route Secret');
});
