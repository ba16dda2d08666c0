import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { Domain, ElixirFanout, EventContract, GoService, NatsSpine, RustHotPath, System, TsApi, type SystemProps } from '../../constructs/index.js';
import { jvn } from '../../examples/jvn/system.js';
import { tempDir } from '../support/cli.js';
import { allObjects, find, type KubeObject } from '../support/synth.js';
import { runKubeconform } from '../support/tools.js';

const jvnFiles = jvn().files();
const natsObjects = (): KubeObject[] => parseAllDocuments(jvnFiles.get('jvn-nats.k8s.yaml')!).map((d) => d.toJS() as KubeObject);
const jvnObjects = (): KubeObject[] =>
  [...jvnFiles].filter(([file]) => file.endsWith('.k8s.yaml')).flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS() as KubeObject));

/** A system with one publisher and one subscriber, with the given spine props. */
function tiny(nats?: SystemProps['nats'], events = true) {
  const system = new System({ name: 'tiny', nats });
  const ticked = new EventContract(system, 'ticked', { subject: 'tiny.ticks.{id}', schema: z.object({}), stream: { name: 'TICKS', replicas: 1 } });
  new GoService(system.domain('clock'), 'ticker', { publishes: events ? [ticked] : [] });
  new TsApi(system.domain('edge'), 'api', { subscribes: events ? [ticked] : [] });
  return system;
}

test('the spine is one file in its own namespace, and its config is also dist/nats/nats.conf', () => {
  const objects = natsObjects();
  assert.equal(objects[0]!.kind, 'Namespace');
  assert.equal(objects[0]!.metadata.name, 'jvn-nats');
  assert.equal(objects[0]!.metadata.labels!['pod-security.kubernetes.io/enforce'], 'restricted');
  for (const object of objects.slice(1)) assert.equal(object.metadata.namespace, 'jvn-nats', `${object.kind}/${object.metadata.name}`);
  assert.equal(find(objects, 'ConfigMap', 'nats-config').data!['nats.conf'], jvnFiles.get('nats/nats.conf'));
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
    [
      'ConfigMap/nats-config',
      'Consumer/billing-jvn-identity-identity',
      'Consumer/catalog-jvn-catalog-ranking',
      'Consumer/media-ready-jvn-catalog-catalog',
      'Consumer/media-uploads-jvn-media-transcode',
      'Consumer/presence-jvn-catalog-catalog',
      'Consumer/sessions-jvn-realtime-presence',
      'Namespace/jvn-nats',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/nats',
      'PodDisruptionBudget/nats',
      'Service/nats',
      'Service/nats-headless',
      'ServiceAccount/nats',
      'StatefulSet/nats',
      'Stream/billing',
      'Stream/catalog',
      'Stream/dead-letters',
      'Stream/media-ready',
      'Stream/media-uploads',
      'Stream/presence',
      'Stream/rooms',
      'Stream/sessions',
    ],
  );
});

test('every spine object, Streams and Consumers included, validates with kubeconform (strict, NACK CRD schemas)', async () => {
  const file = join(tempDir('spine-kubeconform-'), 'jvn-nats.k8s.yaml');
  writeFileSync(file, jvnFiles.get('jvn-nats.k8s.yaml')!);
  const result = await runKubeconform([file]);
  assert.ok(result.ok, result.output);
  assert.equal(result.summary.valid, 24, "23 objects and the DEAD_LETTERS stream");
  assert.equal(result.summary.skipped, 0);
});

test('the servers run as a 3-node StatefulSet shaped like the NATS Helm chart', () => {
  const objects = natsObjects();
  const sts = find(objects, 'StatefulSet', 'nats');
  assert.equal(sts.spec.replicas, 3);
  assert.equal(sts.spec.serviceName, 'nats-headless');
  assert.equal(sts.spec.podManagementPolicy, 'Parallel');
  assert.equal(find(objects, 'Service', 'nats-headless').spec.clusterIP, 'None');
  assert.equal(find(objects, 'Service', 'nats-headless').spec.publishNotReadyAddresses, true);
  assert.deepEqual(find(objects, 'Service', 'nats').spec.ports.map((p: { port: number }) => p.port), [4222]);
  assert.equal(find(objects, 'PodDisruptionBudget', 'nats').spec.maxUnavailable, 1);

  const pod = sts.spec.template.spec;
  const [container] = pod.containers;
  assert.equal(pod.containers.length, 1);
  assert.deepEqual(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, [
    { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: sts.spec.selector.matchLabels } },
  ]);
  assert.equal(container.startupProbe.httpGet.path, '/healthz');
  assert.equal(container.readinessProbe.httpGet.path, '/healthz?js-server-only=true');
  assert.equal(container.livenessProbe.httpGet.path, '/healthz?js-enabled-only=true');
  assert.deepEqual(container.ports.map((p: { containerPort: number }) => p.containerPort), [4222, 6222, 8222]);
  assert.deepEqual(container.lifecycle.preStop.exec.command, ['nats-server', '--signal', 'ldm=/tmp/nats.pid']);
  const env = new Map<string, any>(container.env.map((e: { name: string }) => [e.name, e]));
  assert.equal(env.get('SERVER_NAME').value, '$(POD_NAME)');
  assert.deepEqual(env.get('POD_NAME').valueFrom, { fieldRef: { fieldPath: 'metadata.name' } });

  // Pod Security "restricted", with the only writable paths the JetStream volume and /tmp.
  assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'] });
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.runAsNonRoot, true);
  assert.ok(Number.isInteger(container.securityContext.runAsUser) && container.securityContext.runAsUser > 0);
  assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
  assert.deepEqual(
    container.volumeMounts.filter((m: { readOnly?: boolean }) => !m.readOnly).map((m: { mountPath: string }) => m.mountPath),
    ['/data', '/tmp'],
  );
  const [claim] = sts.spec.volumeClaimTemplates;
  assert.equal(claim.metadata.name, 'data');
  assert.equal(claim.spec.resources.requests.storage, '10Gi');

  const labels = sts.spec.template.metadata.labels;
  assert.equal(labels['app.kubernetes.io/name'], 'nats');
  assert.equal(labels['app.kubernetes.io/part-of'], 'jvn');
  assert.equal(labels['app.kubernetes.io/version'], '2.11.17');
  assert.equal(labels['polyglot.dev/domain'], 'nats');
});

test('the routes name every pod through the headless Service, with the route password from its Secret', () => {
  const conf = jvnFiles.get('nats/nats.conf')!;
  assert.match(conf, /"routes": \$NATS_ROUTES/);
  const env = find(natsObjects(), 'StatefulSet', 'nats').spec.template.spec.containers[0].env;
  const byName = new Map(env.map((e: { name: string }) => [e.name, e]));
  assert.deepEqual((byName.get('NATS_ROUTE_SECRET') as any).valueFrom, { secretKeyRef: { name: 'nats-route', key: 'password' } });
  assert.equal((byName.get('NATS_ROUTE_PASSWORD') as any).value, '"$(NATS_ROUTE_SECRET)"');
  const routes = JSON.parse((byName.get('NATS_ROUTES') as any).value);
  assert.deepEqual(routes, [0, 1, 2].map((i) => `nats://route:$(NATS_ROUTE_SECRET)@nats-${i}.nats-headless.jvn-nats.svc.cluster.local:6222`));
  // Kubernetes expands $(VAR) only from variables defined before it.
  const names = env.map((e: { name: string }) => e.name);
  assert.ok(names.indexOf('NATS_ROUTE_SECRET') < names.indexOf('NATS_ROUTES'));
});

test('clients get in from exactly the services that use events; routes and monitoring stay inside', () => {
  const policy = find(natsObjects(), 'NetworkPolicy', 'nats');
  const [clients, routes, monitoring, ...rest] = policy.spec.ingress;
  assert.equal(rest.length, 0, 'no websocket rule without a websocket listener');
  assert.deepEqual(clients.ports, [{ protocol: 'TCP', port: 4222 }]);
  assert.deepEqual(
    clients.from.map((peer: any) => `${peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}/${peer.podSelector?.matchLabels['app.kubernetes.io/name'] ?? '*'}`),
    [
      'jvn-billing/billing',
      'jvn-catalog/catalog',
      'jvn-catalog/ranking',
      'jvn-edge/gateway',
      'jvn-identity/identity',
      'jvn-media/transcode',
      'jvn-realtime/broadcast',
      'jvn-realtime/presence',
      'nack/*',
    ],
  );
  const servers = { podSelector: { matchLabels: policy.spec.podSelector.matchLabels } };
  assert.deepEqual(routes, { from: [servers], ports: [{ protocol: 'TCP', port: 6222 }] });
  assert.deepEqual(monitoring, { from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 8222 }] });
  assert.deepEqual(policy.spec.egress, [{ to: [servers], ports: [{ protocol: 'TCP', port: 6222 }] }]);
});

test('passwords come only from Secrets: the server from nats-users, each service from its own', () => {
  const objects = jvnObjects();
  const sts = find(objects, 'StatefulSet', 'nats', 'jvn-nats');
  const passwords = sts.spec.template.spec.containers[0].env.filter((e: { name: string }) => e.name.startsWith('NATS_PASSWORD_'));
  assert.deepEqual(
    passwords.map((e: any) => `${e.name}=${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`),
    [
      'NATS_PASSWORD_BILLING_BILLING=nats-users/billing-billing',
      'NATS_PASSWORD_CATALOG_CATALOG=nats-users/catalog-catalog',
      'NATS_PASSWORD_CATALOG_RANKING=nats-users/catalog-ranking',
      'NATS_PASSWORD_EDGE_GATEWAY=nats-users/edge-gateway',
      'NATS_PASSWORD_IDENTITY_IDENTITY=nats-users/identity-identity',
      'NATS_PASSWORD_MEDIA_TRANSCODE=nats-users/media-transcode',
      'NATS_PASSWORD_NACK=nats-users/nack',
      'NATS_PASSWORD_REALTIME_BROADCAST=nats-users/realtime-broadcast',
      'NATS_PASSWORD_REALTIME_PRESENCE=nats-users/realtime-presence',
      'NATS_PASSWORD_SYSTEM=nats-users/system',
    ],
  );
  for (const [service, namespace, usesEvents] of [
    ['gateway', 'jvn-edge', true],
    ['presence', 'jvn-realtime', true],
    ['jwt-signer', 'jvn-identity', false],
  ] as const) {
    const env = find(objects, 'Deployment', service, namespace).spec.template.spec.containers[0].env;
    const password = env.find((e: { name: string }) => e.name === 'NATS_PASSWORD');
    if (!usesEvents) {
      assert.equal(password, undefined, `${service} uses no events and gets no NATS password`);
      continue;
    }
    assert.deepEqual(password.valueFrom, { secretKeyRef: { name: `${service}-nats`, key: 'password' } });
  }
  assert.ok(!objects.some((o) => o.kind === 'Secret'), 'no Secret is generated');
  assert.doesNotMatch(jvnFiles.get('nats/nats.conf')!, /"password": "/, 'no password value in the config');
});

test('streams and durable consumers are NACK resources with storage and ackPolicy always set', () => {
  const objects = natsObjects();
  const streams = objects.filter((o) => o.kind === 'Stream');
  assert.deepEqual(
    streams.filter((s) => s.spec.name !== 'DEAD_LETTERS').map((s) => [s.spec.name, s.spec.subjects, s.spec.storage, s.spec.replicas, s.spec.maxAge]),
    [
      ['BILLING', ['jvn.billing.entitlement.*'], 'file', 3, '168h'],
      ['CATALOG', ['jvn.catalog.room.*'], 'file', 3, '24h'],
      ['MEDIA_READY', ['jvn.media.transcoded.*'], 'file', 3, '72h'],
      ['MEDIA_UPLOADS', ['jvn.media.uploaded.*'], 'file', 3, '72h'],
      ['PRESENCE', ['jvn.presence.changed.*'], 'file', 3, '1h'],
      ['ROOMS', ['jvn.rooms.message.*'], 'file', 3, '24h'],
      ['SESSIONS', ['jvn.realtime.session.*'], 'file', 3, '1h'],
    ],
  );
  const consumers = objects.filter((o) => o.kind === 'Consumer');
  assert.deepEqual(
    consumers.map((c) => [c.spec.streamName, c.spec.durableName, c.spec.filterSubject, c.spec.ackPolicy, c.spec.deliverSubject]),
    [
      ['BILLING', 'jvn-identity-identity', 'jvn.billing.entitlement.*', 'explicit', undefined],
      ['CATALOG', 'jvn-catalog-ranking', 'jvn.catalog.room.*', 'explicit', undefined],
      ['MEDIA_READY', 'jvn-catalog-catalog', 'jvn.media.transcoded.*', 'explicit', undefined],
      ['MEDIA_UPLOADS', 'jvn-media-transcode', 'jvn.media.uploaded.*', 'explicit', undefined],
      ['PRESENCE', 'jvn-catalog-catalog', 'jvn.presence.changed.*', 'explicit', undefined],
      ['SESSIONS', 'jvn-realtime-presence', 'jvn.realtime.session.*', 'explicit', undefined],
    ],
  );
  // The durable name is the consumer the service is told to read.
  const catalog = JSON.parse(find(jvnObjects(), 'ConfigMap', 'catalog-config', 'jvn-catalog').data!['service.json']!);
  assert.equal(catalog.subscribes[0].consumer, 'jvn-catalog-catalog');
});

test('one server has no cluster block; a websocket listener opens a port to the ingress controller', () => {
  const single = tiny({ replicas: 1, websocket: {} }).files();
  const conf = single.get('nats/nats.conf')!;
  assert.doesNotMatch(conf, /"cluster"/);
  assert.match(conf, /"websocket": \{\n\s+"no_tls": true,\n\s+"port": 8080\n\s+\}/);
  const objects = parseAllDocuments(single.get('tiny-nats.k8s.yaml')!).map((d) => d.toJS() as KubeObject);
  assert.equal(find(objects, 'StatefulSet', 'nats').spec.replicas, 1);
  assert.deepEqual(find(objects, 'Service', 'nats').spec.ports.map((p: { port: number }) => p.port), [4222, 8080]);
  const websocketRule = find(objects, 'NetworkPolicy', 'nats').spec.ingress[3];
  assert.deepEqual(websocketRule, {
    from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
    ports: [{ protocol: 'TCP', port: 8080 }],
  });
});

test('no spine without events; with the spine disabled the services still get their credentials', () => {
  const quiet = tiny(undefined, false).files();
  assert.ok(![...quiet.keys()].some((f) => f.includes('nats')), [...quiet.keys()].join(', '));

  const disabled = tiny({ enabled: false });
  const files = disabled.files();
  assert.ok(![...files.keys()].some((f) => f.includes('nats')), [...files.keys()].join(', '));
  const env = find(allObjects(disabled), 'Deployment', 'api', 'tiny-edge').spec.template.spec.containers[0].env;
  assert.ok(env.some((e: { name: string }) => e.name === 'NATS_PASSWORD'));
});

test('the spine is deterministic, and NatsSpine.isNatsSpine and Domain.isDomain tell the two charts apart', () => {
  const system = new System({ name: 'det' });
  const e = new EventContract(system, 'e', { subject: 'det.e', schema: z.object({}) });
  new RustHotPath(system.domain('a'), 'pub', { publishes: [e] });
  new ElixirFanout(system.domain('b'), 'sub', { subscribes: [e], websocket: { connections: 10, perPod: 10 } });
  const spine = system.node.children.find((c) => NatsSpine.isNatsSpine(c))!;
  assert.ok(spine);
  assert.ok(!Domain.isDomain(spine));
  assert.ok(!NatsSpine.isNatsSpine(system.domain('a')));
  assert.ok(Domain.isDomain(system.domain('a')));
  assert.deepEqual([...jvn().files()], [...jvnFiles]);
});
