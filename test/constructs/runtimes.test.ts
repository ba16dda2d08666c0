import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ELIXIR_PROFILE, ElixirFanout, GO_PROFILE, GoService, RUST_PROFILE, System, TYPESCRIPT_PROFILE, knownRuntimes } from '../../constructs/index.js';
import { smallSystem } from '../support/fixtures.js';
import { allObjects, containersOf, find } from '../support/synth.js';

const deploymentOf = (name: string) => find(allObjects(smallSystem().system), 'Deployment', name);
const containerOf = (name: string) => deploymentOf(name).spec.template.spec.containers[0];

test('the four runtimes are registered with their radar status', () => {
  assert.deepEqual(knownRuntimes(), ['elixir', 'go', 'rust', 'typescript']);
  for (const profile of [GO_PROFILE, RUST_PROFILE, ELIXIR_PROFILE, TYPESCRIPT_PROFILE]) assert.equal(profile.radar, 'use');
});

test('Go and Rust use gRPC health probes on the gRPC port', () => {
  for (const name of ['orders', 'pricer']) {
    const container = containerOf(name);
    assert.equal(container.livenessProbe.grpc.port, 50051);
    assert.equal(container.livenessProbe.grpc.service, 'liveness');
    assert.equal(container.readinessProbe.grpc.port, 50051);
    assert.equal(container.startupProbe.grpc.port, 50051);
    assert.deepEqual(container.ports.map((p: any) => p.name), ['grpc', 'http']);
  }
});

test('Elixir and TypeScript use HTTP probes', () => {
  for (const name of ['feed', 'api']) {
    const container = containerOf(name);
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.equal(container.startupProbe.httpGet.port, 'http');
  }
});

test('the BEAM gets a longer startup window and drain than a Go binary', () => {
  const window = (c: any) => c.startupProbe.periodSeconds * c.startupProbe.failureThreshold;
  const go = containerOf('orders');
  const elixir = containerOf('feed');
  assert.ok(window(elixir) >= 60, `BEAM startup window ${window(elixir)}s`);
  assert.ok(window(go) <= 20, `Go startup window ${window(go)}s`);
  assert.deepEqual(elixir.lifecycle.preStop, { sleep: { seconds: 45 } }, "the kubelet's sleep action: distroless images have no sleep binary to exec");
  const grace = (name: string) => deploymentOf(name).spec.template.spec.terminationGracePeriodSeconds;
  assert.ok(grace('feed') > grace('orders'));
  assert.ok(grace('feed') > 45, 'grace outlasts the preStop drain');
});

test('no service container execs a program in its preStop hook (the runtime images are distroless)', () => {
  const services = containersOf(allObjects(smallSystem().system)).filter(({ container }) => ['orders', 'pricer', 'feed', 'api'].includes(container.name));
  assert.equal(services.length, 4);
  for (const { owner, container } of services) {
    assert.equal(container.lifecycle.preStop.exec, undefined, owner);
    assert.ok(container.lifecycle.preStop.sleep.seconds > 0, owner);
  }
});

test('before Kubernetes 1.30 there is no sleep action: no preStop hook, the service drains on SIGTERM', () => {
  const system = new System({ name: 'old', kubernetesVersion: '1.29' });
  new GoService(system.domain('core'), 'svc', {});
  const container = find(allObjects(system), 'Deployment', 'svc').spec.template.spec.containers[0];
  assert.equal(container.lifecycle, undefined);
  assert.throws(() => new System({ name: 'older', kubernetesVersion: '1.27' }).files(), /kubernetesVersion: polyglot writes output for Kubernetes 1\.28 and later/);
});

test('ElixirFanout derives replicas and autoscaler bounds from connections and perPod', () => {
  const objects = allObjects(smallSystem().system);
  const hpa = find(objects, 'HorizontalPodAutoscaler', 'feed');
  assert.equal(hpa.spec.minReplicas, 3); // 120k / 40k
  assert.equal(hpa.spec.maxReplicas, 6); // headroom 2
  assert.equal(hpa.spec.scaleTargetRef.name, 'feed');
  assert.equal(find(objects, 'Deployment', 'feed').spec.replicas, undefined, 'an autoscaled Deployment leaves replicas to the HPA');
  assert.equal(find(objects, 'Deployment', 'orders').spec.replicas, 2);
});

test('TsApi with ingress gets an Ingress routed to its http port', () => {
  const ingress = find(allObjects(smallSystem().system), 'Ingress', 'api');
  const rule = ingress.spec.rules[0];
  assert.equal(rule.host, 'api.shop.example');
  assert.deepEqual(rule.http.paths[0].backend.service, { name: 'api', port: { name: 'http' } });
  assert.equal(ingress.spec.ingressClassName, 'nginx');
});

test('every container meets Pod Security restricted', () => {
  for (const { owner, container, pod } of containersOf(allObjects(smallSystem().system))) {
    const sc = container.securityContext;
    assert.equal(sc.allowPrivilegeEscalation, false, owner);
    assert.deepEqual(sc.capabilities.drop, ['ALL'], owner);
    assert.equal(sc.runAsNonRoot, true, owner);
    assert.ok(Number.isInteger(sc.runAsUser) && sc.runAsUser > 0, owner);
    assert.equal(sc.seccompProfile.type, 'RuntimeDefault', owner);
    assert.equal(sc.readOnlyRootFilesystem, true, owner);
    assert.ok(container.volumeMounts.some((m: any) => m.mountPath === '/tmp'), `${owner} has a writable /tmp`);
    assert.ok(pod.volumes.some((v: any) => v.name === 'tmp' && v.emptyDir), owner);
    assert.ok(container.resources.limits.memory && container.resources.requests.cpu, owner);
  }
});

test('the ConfigMap carries the service contract config with timeouts and retries', () => {
  const objects = allObjects(smallSystem().system);
  const config = JSON.parse(find(objects, 'ConfigMap', 'orders-config').data!['service.json']!);
  assert.equal(config.schema, 'polyglot.dev/service-config/v1');
  assert.equal(config.deadline, '150ms');
  assert.deepEqual(config.calls, [
    {
      contract: 'pricing',
      grpcService: 'shop.pricing.v1.Pricing',
      retries: 2,
      target: 'dns:///pricer.shop-sales.svc.cluster.local:50051',
      timeout: '20ms',
      timeoutMs: 20,
    },
  ]);
  assert.deepEqual(config.publishes.map((p: any) => p.subject), ['shop.orders.placed.{region}']);
  const feed = JSON.parse(find(objects, 'ConfigMap', 'feed-config').data!['service.json']!);
  assert.deepEqual(feed.subscribes[0], {
    consumer: 'shop-live-feed',
    delivery: 'queue',
    durable: true,
    event: 'order-placed',
    queueGroup: 'feed',
    stream: 'ORDERS',
    subject: 'shop.orders.placed.*',
    version: 1,
  });
  const hash = find(objects, 'Deployment', 'orders').spec.template.metadata.annotations['polyglot.dev/config-hash'];
  assert.match(hash, /^[0-9a-f]{16}$/, 'a config change rolls the pods');
});

test('an ElixirFanout without websocket clients keeps its replicas, opens no listener and gets no autoscaler', () => {
  const system = new System({ name: 'shop' });
  const tracker = new ElixirFanout(system.domain('live'), 'tracker', { replicas: 3 });
  assert.equal(tracker.websocket, undefined);
  assert.deepEqual(tracker.listeners, []);
  const all = allObjects(system);
  assert.equal(find(all, 'Deployment', 'tracker', 'shop-live').spec.replicas, 3);
  assert.equal(all.filter((o) => o.kind === 'HorizontalPodAutoscaler').length, 0);
  // No ingress rule under policy type Ingress: nothing may connect to it (an empty list is left out).
  const policy = find(all, 'NetworkPolicy', 'tracker', 'shop-live');
  assert.equal(policy.spec.ingress, undefined, 'nothing may connect to it');
  assert.ok(policy.spec.policyTypes.includes('Ingress'));
});
