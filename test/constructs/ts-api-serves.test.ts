// A TypeScript service that serves a gRPC contract gets what a Go or Rust server gets: the gRPC
// port in its Deployment and Service, gRPC health probes on it, its callers admitted to it, the
// contract in its service config and its callers' targets; one that serves nothing keeps HTTP only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ElixirFanout, GoService, GrpcContract, serviceConfigSchema, System, TsApi, TYPESCRIPT_PROFILE, type TsApiProps } from '../../constructs/index.js';
import { allObjects, find, type KubeObject } from '../support/synth.js';

/** `gateway` (TypeScript, edge) serves `billing`; `orders` (Go, sales) calls it; `web` (TypeScript)
 * serves nothing. */
function servingSystem(gateway: Partial<TsApiProps> = {}) {
  const system = new System({ name: 'shop' });
  const billing = new GrpcContract(system, 'billing', { proto: 'contracts/shop/billing/v1/billing.proto', service: 'shop.billing.v1.BillingService' });
  new TsApi(system.domain('edge'), 'gateway', { serves: [billing], ingress: { host: 'api.shop.example' }, ...gateway });
  new TsApi(system.domain('edge'), 'web', { ingress: { host: 'www.shop.example' } });
  new GoService(system.domain('sales'), 'orders', { calls: [{ contract: billing, timeout: '1s', retries: 0 }], deadline: '2s' });
  return system;
}

const container = (objects: KubeObject[], name: string) => find(objects, 'Deployment', name).spec.template.spec.containers[0];
const config = (objects: KubeObject[], name: string) => serviceConfigSchema.parse(JSON.parse(find(objects, 'ConfigMap', `${name}-config`).data!['service.json']!));

test('the TypeScript profile opens gRPC 50051 and probes gRPC health only for a service that serves', () => {
  assert.deepEqual(TYPESCRIPT_PROFILE.ports, { http: 3000 });
  assert.deepEqual(TYPESCRIPT_PROFILE.whenServingGrpc, { grpcPort: 50051, probe: { kind: 'grpc', port: 'grpc' } });
});

test('a serving TypeScript service: gRPC and HTTP ports in the Deployment and Service, gRPC health probes', () => {
  const system = servingSystem();
  assert.deepEqual(system.check().filter((p) => p.severity === 'error'), []);
  const objects = allObjects(system);
  const gateway = container(objects, 'gateway');
  assert.deepEqual(gateway.ports, [
    { name: 'grpc', containerPort: 50051, protocol: 'TCP' },
    { name: 'http', containerPort: 3000, protocol: 'TCP' },
  ]);
  assert.deepEqual(
    find(objects, 'Service', 'gateway').spec.ports.map((p: any) => [p.name, p.port, p.targetPort]),
    [
      ['grpc', 50051, 'grpc'],
      ['http', 3000, 'http'],
    ],
  );
  // As Go and Rust: `liveness` for the liveness and startup probes, the server ('') for readiness.
  assert.deepEqual(gateway.startupProbe.grpc, { port: 50051, service: 'liveness' });
  assert.deepEqual(gateway.livenessProbe.grpc, { port: 50051, service: 'liveness' });
  assert.deepEqual(gateway.readinessProbe.grpc, { port: 50051 });
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) assert.equal(gateway[probe].httpGet, undefined, probe);
  // The TypeScript start-up window, not Go's.
  assert.equal(gateway.startupProbe.periodSeconds * gateway.startupProbe.failureThreshold, 30);

  const web = container(objects, 'web');
  assert.deepEqual(web.ports.map((p: any) => p.name), ['http'], 'a TypeScript service that serves nothing opens no gRPC port');
  assert.equal(web.readinessProbe.httpGet.path, '/readyz');
  assert.equal(web.livenessProbe.grpc, undefined);
});

test('its network policy admits its callers to the gRPC port and the ingress controller to HTTP; callers may reach it', () => {
  const objects = allObjects(servingSystem());
  const policy = find(objects, 'NetworkPolicy', 'gateway', 'shop-edge');
  assert.deepEqual(policy.spec.ingress, [
    {
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop-sales' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } } }],
      ports: [{ port: 'grpc', protocol: 'TCP' }],
    },
    { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
  ]);
  const callerEgress = find(objects, 'NetworkPolicy', 'orders', 'shop-sales').spec.egress;
  assert.ok(
    callerEgress.some((rule: any) => rule.to[0].podSelector?.matchLabels['app.kubernetes.io/name'] === 'gateway' && rule.ports[0].port === 50051),
    `the caller may reach the gRPC port: ${JSON.stringify(callerEgress)}`,
  );
});

test('its service config lists the served contract and its ports; callers target its gRPC port', () => {
  const objects = allObjects(servingSystem());
  const gateway = config(objects, 'gateway');
  assert.deepEqual(gateway.ports, { grpc: 50051, http: 3000 });
  assert.deepEqual(gateway.serves, [{ contract: 'billing', grpcService: 'shop.billing.v1.BillingService', proto: 'contracts/shop/billing/v1/billing.proto' }]);
  assert.equal(config(objects, 'orders').calls[0]!.target, 'dns:///gateway.shop-edge.svc.cluster.local:50051');
  assert.deepEqual(config(objects, 'web').ports, { http: 3000 });
});

test('its own ports override the profile: the probes and the callers follow', () => {
  const objects = allObjects(servingSystem({ ports: { grpc: 9090 } }));
  assert.deepEqual(container(objects, 'gateway').readinessProbe.grpc, { port: 9090 });
  assert.equal(config(objects, 'orders').calls[0]!.target, 'dns:///gateway.shop-edge.svc.cluster.local:9090');
});

test('a gRPC port that clashes with HTTP is reported with the defaults of a serving service', () => {
  const problems = servingSystem({ ports: { http: 50051 } }).check();
  const clash = problems.find((p) => p.code === 'port-clash');
  assert.ok(clash, JSON.stringify(problems));
  assert.equal(clash.path, 'shop/edge/gateway');
  assert.match(clash.message, /ports http and grpc are both 50051/);
  assert.match(clash.fix, /the typescript defaults are \{"http":3000,"grpc":50051\}/);
});

test('a runtime that opens no gRPC port cannot serve: the problem names the path and the fix', () => {
  const system = new System({ name: 'shop' });
  const billing = new GrpcContract(system, 'billing', { proto: 'contracts/shop/billing/v1/billing.proto', service: 'shop.billing.v1.BillingService' });
  new ElixirFanout(system.domain('live'), 'feed', { serves: [billing] });
  const problem = system.check().find((p) => p.code === 'serves-without-grpc-port');
  assert.ok(problem);
  assert.equal(problem.severity, 'error');
  assert.equal(problem.path, 'shop/live/feed');
  assert.equal(problem.message, "serves 'billing', but the Elixir runtime opens no gRPC port");
  assert.match(problem.fix, /'go', 'rust', 'typescript'/);
  assert.match(problem.fix, /ports: \{ grpc: 50051 \} \(see ElixirFanoutProps\)/);
});
