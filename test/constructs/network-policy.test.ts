import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smallSystem } from '../support/fixtures.js';
import { allObjects, find } from '../support/synth.js';

const objects = () => allObjects(smallSystem().system);
const ports = (rule: any) => rule.ports.map((p: any) => p.port);

test('every namespace denies by default and allows DNS', () => {
  const all = objects();
  for (const ns of ['shop-sales', 'shop-live', 'shop-edge']) {
    const deny = find(all, 'NetworkPolicy', 'default-deny', ns);
    assert.deepEqual(deny.spec.podSelector, {});
    assert.deepEqual(deny.spec.policyTypes, ['Ingress', 'Egress']);
    assert.equal(deny.spec.ingress, undefined);
    const dns = find(all, 'NetworkPolicy', 'allow-dns', ns);
    assert.deepEqual(ports(dns.spec.egress[0]), [53, 53]);
  }
});

test('a callee admits exactly its declared callers, across namespaces, on its gRPC port', () => {
  const orders = find(objects(), 'NetworkPolicy', 'orders', 'shop-sales');
  assert.equal(orders.spec.ingress.length, 1);
  assert.deepEqual(orders.spec.ingress[0].from, [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop-edge' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    },
  ]);
  assert.deepEqual(ports(orders.spec.ingress[0]), ['grpc']);
});

test('a caller may reach exactly its callees, and NATS only when it uses events', () => {
  const all = objects();
  const orders = find(all, 'NetworkPolicy', 'orders', 'shop-sales');
  const targets = orders.spec.egress.map((rule: any) => rule.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'] + '/' + rule.to[0].podSelector.matchLabels['app.kubernetes.io/name']);
  assert.deepEqual(targets, ['shop-sales/pricer', 'shop-nats/nats', 'shop-telemetry/otel-agent']);
  const pricer = find(all, 'NetworkPolicy', 'pricer', 'shop-sales');
  const pricerTargets = pricer.spec.egress.map((rule: any) => rule.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
  assert.deepEqual(pricerTargets, ['shop-telemetry'], 'the pricer calls nothing and uses no events: only its telemetry leaves');
  assert.deepEqual(pricer.spec.ingress[0].from[0].podSelector.matchLabels, { 'app.kubernetes.io/name': 'orders' });
});

test('exposed services admit the ingress controller on their public port only', () => {
  const all = objects();
  const api = find(all, 'NetworkPolicy', 'api', 'shop-edge');
  assert.deepEqual(api.spec.ingress, [
    { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
  ]);
  const feed = find(all, 'NetworkPolicy', 'feed', 'shop-live');
  assert.deepEqual(ports(feed.spec.ingress[0]), ['ws']);
});
