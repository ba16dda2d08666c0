import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ElixirFanout, System, TsApi } from '../../constructs/index.js';
import { allObjects, find } from '../support/synth.js';

const controllerNamespaces = (policy: any, port: string) =>
  policy.spec.ingress.filter((rule: any) => rule.ports[0].port === port).flatMap((rule: any) => rule.from.map((peer: any) => peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']));

test('an ElixirFanout can declare an Ingress: routed to its websocket port, its controller admitted there', () => {
  const system = new System({ name: 'chat' });
  new ElixirFanout(system.domain('rt'), 'hub', { websocket: { connections: 100, perPod: 50 }, ingress: { host: 'ws.chat.example', path: '/socket', tlsSecretName: 'ws-tls' } });
  const objects = allObjects(system);
  const ingress = find(objects, 'Ingress', 'hub');
  assert.deepEqual(ingress.spec.rules[0].http.paths[0], { path: '/socket', pathType: 'Prefix', backend: { service: { name: 'hub', port: { name: 'ws' } } } });
  assert.deepEqual(ingress.spec.tls, [{ hosts: ['ws.chat.example'], secretName: 'ws-tls' }]);
  assert.deepEqual(controllerNamespaces(find(objects, 'NetworkPolicy', 'hub'), 'ws'), ['ingress-nginx']);
  assert.ok(system.files().get('secrets.json')!.includes('ws-tls'), 'the TLS secret is in the secrets plan');
});

test('an Ingress of another class admits the namespace of that class\'s controller, not the system-wide one', () => {
  const system = new System({ name: 'shop' });
  new TsApi(system.domain('edge'), 'api', { ingress: { host: 'api.shop.example', className: 'traefik', controllerNamespace: 'traefik-system' } });
  new TsApi(system.domain('edge'), 'www', { ingress: { host: 'www.shop.example' } });
  const objects = allObjects(system);
  assert.equal(find(objects, 'Ingress', 'api').spec.ingressClassName, 'traefik');
  assert.deepEqual(controllerNamespaces(find(objects, 'NetworkPolicy', 'api'), 'http'), ['traefik-system']);
  assert.deepEqual(controllerNamespaces(find(objects, 'NetworkPolicy', 'www'), 'http'), ['ingress-nginx']);
});
