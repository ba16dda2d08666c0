import assert from 'node:assert/strict';
import { test } from 'node:test';
import { System } from '../../constructs/index.js';
import { smallSystem } from '../support/fixtures.js';
import { allObjects, find, manifests } from '../support/synth.js';

test('each domain is one namespace <system>-<domain> and one file', () => {
  const { system } = smallSystem();
  const files = manifests(system);
  assert.deepEqual([...files.keys()], ['shop-edge.k8s.yaml', 'shop-live.k8s.yaml', 'shop-nats.k8s.yaml', 'shop-sales.k8s.yaml', 'shop-telemetry.k8s.yaml']);
  for (const [file, objects] of files) {
    // the platform namespaces, tested in test/telemetry and test/spine
    if (file === 'shop-telemetry.k8s.yaml' || file === 'shop-nats.k8s.yaml') continue;
    const namespace = file.replace('.k8s.yaml', '');
    assert.equal(objects[0]!.kind, 'Namespace', `${file} starts with its Namespace`);
    assert.equal(objects[0]!.metadata.name, namespace);
    assert.equal(objects[0]!.metadata.namespace, undefined, 'a Namespace is cluster-scoped');
    for (const object of objects.slice(1)) assert.equal(object.metadata.namespace, namespace, `${object.kind}/${object.metadata.name}`);
  }
});

test('system.domain returns the same domain for the same name', () => {
  const system = new System({ name: 'acme' });
  assert.equal(system.domain('billing'), system.domain('billing'));
  assert.equal(system.domain('billing').namespace, 'acme-billing');
});

test('namespaces enforce Pod Security restricted', () => {
  const { system } = smallSystem();
  for (const ns of allObjects(system).filter((o) => o.kind === 'Namespace')) {
    assert.equal(ns.metadata.labels!['pod-security.kubernetes.io/enforce'], 'restricted');
  }
});

test('every object has a readable name and the recommended labels', () => {
  const { system } = smallSystem();
  const platform = ['shop-telemetry', 'shop-nats'];
  const objects = allObjects(system).filter((o) => !platform.includes(o.metadata.namespace!) && !platform.includes(o.metadata.name) && !o.kind.startsWith('Cluster'));
  const serviceNames = new Set(['pricer', 'orders', 'feed', 'api', 'orders-config', 'pricer-config', 'feed-config', 'api-config']);
  for (const object of objects) {
    const labels = object.metadata.labels ?? {};
    assert.equal(labels['app.kubernetes.io/part-of'], 'shop', `${object.kind}/${object.metadata.name}`);
    assert.equal(labels['app.kubernetes.io/managed-by'], 'polyglot');
    assert.ok(labels['polyglot.dev/domain'], `${object.kind}/${object.metadata.name} has polyglot.dev/domain`);
    if (['Namespace', 'NetworkPolicy'].includes(object.kind) && !labels['app.kubernetes.io/name']) {
      assert.ok(['default-deny', 'allow-dns'].includes(object.metadata.name) || object.kind === 'Namespace');
      continue;
    }
    assert.ok(serviceNames.has(object.metadata.name), `no hash suffix: ${object.kind}/${object.metadata.name}`);
    for (const key of ['name', 'instance', 'component', 'version']) {
      assert.ok(labels[`app.kubernetes.io/${key}`], `${object.kind}/${object.metadata.name} has app.kubernetes.io/${key}`);
    }
    assert.ok(labels['polyglot.dev/runtime']);
  }
});

test('each service gets ServiceAccount, ConfigMap, Deployment, Service, PDB and NetworkPolicy', () => {
  const { system } = smallSystem();
  const objects = allObjects(system);
  for (const [name, ns] of [['pricer', 'shop-sales'], ['orders', 'shop-sales'], ['feed', 'shop-live'], ['api', 'shop-edge']] as const) {
    const sa = find(objects, 'ServiceAccount', name, ns);
    assert.equal(sa.automountServiceAccountToken, false);
    find(objects, 'ConfigMap', `${name}-config`, ns);
    const deployment = find(objects, 'Deployment', name, ns);
    assert.equal(deployment.spec.template.spec.automountServiceAccountToken, false);
    assert.equal(deployment.spec.template.spec.serviceAccountName, name);
    find(objects, 'Service', name, ns);
    assert.equal(find(objects, 'PodDisruptionBudget', name, ns).spec.maxUnavailable, 1);
    find(objects, 'NetworkPolicy', name, ns);
  }
});

test('synthesizing the same model twice gives byte-identical files', () => {
  const first = smallSystem().system.files();
  const second = smallSystem().system.files();
  assert.deepEqual([...first.entries()], [...second.entries()]);
});
