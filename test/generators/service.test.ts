// `yo polyglot:service` / `polyglot new service`: every runtime, the prompt path, the model it
// registers (read back by running the system's main.ts), and the system passing `polyglot check`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { checkSystem } from '../../cli/check.js';
import { locateApp, runApp } from '../../cli/run-app.js';
import { bufBinary, readModel } from '../../generators/lib/system.js';
import { REPO_ROOT } from '../support/tools.js';
import { addService, FIXTURE_TEMPLATES, newSystem, yoRun } from './support.js';

afterEach(() => process.chdir(REPO_ROOT));

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const stored = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-polyglot'];

let system: { dir: string; remove(): void };
before(async () => {
  system = await newSystem();
});
after(() => system.remove());

test('a go service with nothing to serve gets a contract of its own name, buf lint clean', async () => {
  await addService(system.dir, { runtime: 'go', name: 'billing', domain: 'billing' });
  const proto = 'contracts/shop/billing/v1/billing.proto';
  assert.match(read(system.dir, proto), /package shop\.billing\.v1;[\s\S]*service BillingService/);
  assert.equal(read(system.dir, `services/billing/proto/shop/billing/v1/billing.proto`), read(system.dir, proto));
  const readme = read(system.dir, 'services/billing/README.md');
  assert.match(readme, /Namespace shop-billing, image registry\.example\.com\/shop\/billing:0\.1\.0, uid 65532, grace 30s, drain 5s, http 8080/);
  assert.match(readme, /serves billing = shop\.billing\.v1\.BillingService in shop\/billing\/v1\/billing\.proto: Ping\(PingRequest\) -> PingResponse/);
  assert.equal(read(system.dir, 'services/billing/src/billing.txt'), 'Billing / billing / billing\n', 'path segments and files are rendered');
  assert.equal(read(system.dir, 'services/billing/src/static.txt'), 'binary-ish copy, not rendered {{untouched}}\n');
  assert.ok(!existsSync(join(system.dir, 'services/billing/post-render.txt')), '--skip-install skips postRender');
  assert.ok(!existsSync(join(system.dir, 'services/billing/template.json')));
  assert.match(read(system.dir, 'model/services/billing.ts'), /new GoService\(system\.domain\('billing'\), 'billing', \{\n {4}serves: \[grpcContract\(system, 'billing'\)\]/);
  assert.deepEqual(stored(system.dir).services.billing, { runtime: 'go', domain: 'billing', serves: ['billing'], calls: [], publishes: [], subscribes: [], deadline: '1s' });
  assert.deepEqual(stored(system.dir).contracts.billing, { kind: 'grpc', proto, service: 'shop.billing.v1.BillingService' });
  const lint = spawnSync(bufBinary(), ['lint'], { cwd: system.dir, encoding: 'utf8' });
  assert.equal(lint.status, 0, `buf lint: ${lint.stdout}${lint.stderr}`);
  const model = await readModel(system.dir);
  assert.deepEqual(model.services, [{ name: 'billing', domain: 'billing', runtime: 'go', language: 'go', deadlineMs: 1000 }]);
  assert.deepEqual(model.grpcContracts, [{ name: 'billing', service: 'shop.billing.v1.BillingService', proto }]);
});

test('contracts for the next services: one gRPC (identity) and two events', async () => {
  await yoRun('contract', system.dir).withOptions({ yes: true, kind: 'grpc', name: 'identity' } as never);
  await yoRun('contract', system.dir).withOptions({ yes: true, kind: 'event', name: 'invoice-issued', subject: 'shop.billing.invoice-issued.{customer}' } as never);
  await yoRun('contract', system.dir).withOptions({ yes: true, kind: 'event', name: 'user-signed-in', subject: 'shop.identity.signed-in.{user}' } as never);
  const model = await readModel(system.dir);
  assert.deepEqual(model.grpcContracts.map((c) => c.name).sort(), ['billing', 'identity']);
  assert.deepEqual(model.eventContracts.map((c) => c.name).sort(), ['invoice-issued', 'user-signed-in']);
});

test('a rust service serving an existing contract, with postRender run in its folder', async () => {
  await addService(system.dir, { runtime: 'rust', name: 'signer', domain: 'identity', serves: 'identity', subscribes: 'user-signed-in' }, { skipInstall: false });
  assert.match(read(system.dir, 'services/signer/post-render.txt'), /ran in .*services\/signer$/);
  const readme = read(system.dir, 'services/signer/README.md');
  assert.match(readme, /serves identity = shop\.identity\.v1\.IdentityService in shop\/identity\/v1\/identity\.proto: Ping/);
  assert.match(readme, /subscribes user-signed-in on shop\.identity\.signed-in\.\{user\}/);
  assert.match(readme, /nats: true/);
  assert.match(readme, /grace 20s/, "the rust profile's grace period");
  assert.ok(!existsSync(join(system.dir, 'contracts/shop/signer')), 'no contract of its own: it serves one');
});

test('the prompt path: runtime, name, domain, serves, calls, publishes, subscribes (choices from the model)', async () => {
  const result = await yoRun('service', system.dir)
    .withOptions({ templatesRoot: FIXTURE_TEMPLATES, skipInstall: true } as never)
    .withAnswers({ runtime: 'typescript', name: 'gateway', domain: 'edge', serves: [], calls: ['billing', 'identity'], publishes: ['user-signed-in'], subscribes: ['invoice-issued'] });
  const asked = result.askedQuestions.map((q) => q.name);
  assert.deepEqual(asked, ['runtime', 'name', 'domain', 'serves', 'calls', 'publishes', 'subscribes'], 'a typescript service is asked what it serves, as go and rust are');
  assert.ok(!existsSync(join(system.dir, 'contracts/shop/gateway')), 'a typescript service that serves nothing gets no contract of its own: it is an HTTP API');
  assert.deepEqual(stored(system.dir).services.gateway.serves, []);
  const readme = read(system.dir, 'services/gateway/README.md');
  assert.match(readme, /calls billing = shop\.billing\.v1\.BillingService/);
  assert.match(readme, /calls identity = shop\.identity\.v1\.IdentityService/);
  assert.match(readme, /protos: shop\/billing\/v1\/billing\.proto shop\/identity\/v1\/identity\.proto/);
  assert.ok(existsSync(join(system.dir, 'services/gateway/proto/shop/identity/v1/identity.proto')));
  // Each try may take the callee's whole deadline; the caller's deadline holds both calls with a retry.
  assert.deepEqual(stored(system.dir).services.gateway.calls, [
    { contract: 'billing', timeout: '1s', retries: 1 },
    { contract: 'identity', timeout: '100ms', retries: 1 },
  ]);
  assert.equal(stored(system.dir).services.gateway.deadline, '2500ms');
});

test('an elixir service publishing an event; the whole system passes polyglot check', async () => {
  await addService(system.dir, { runtime: 'elixir', name: 'presence', domain: 'realtime', publishes: 'invoice-issued', calls: 'identity' });
  assert.match(read(system.dir, 'model/services/presence.ts'), /new ElixirFanout\(system\.domain\('realtime'\), 'presence', \{[\s\S]*websocket: \{ connections: 10_000, perPod: 5_000 \}/);
  assert.match(read(system.dir, 'services/presence/README.md'), /http 4000/);
  const report = await checkSystem(system.dir, { quiet: true });
  const errors = report.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, [], JSON.stringify(report.problems, null, 2));
  assert.deepEqual(report.model.services.map((s) => `${s.domain}/${s.name}:${s.runtime}`).sort(), ['billing/billing:go', 'edge/gateway:typescript', 'identity/signer:rust', 'realtime/presence:elixir']);
});

test('a typescript service serving a contract (--serves): ts-api with a gRPC server, wired into the model like go and rust', async () => {
  await yoRun('contract', system.dir).withOptions({ yes: true, kind: 'grpc', name: 'catalog' } as never);
  // The real ts-api template (rendering only: --skip-install, no npm).
  await addService(system.dir, { runtime: 'typescript', name: 'catalog', domain: 'catalog', serves: 'catalog', templatesRoot: undefined });
  // A caller, so the model has an edge into the TypeScript server.
  await addService(system.dir, { runtime: 'go', name: 'cart', domain: 'sales', calls: 'catalog' });

  assert.deepEqual(stored(system.dir).services.catalog, { runtime: 'typescript', domain: 'catalog', serves: ['catalog'], calls: [], publishes: [], subscribes: [], deadline: '1s' });
  assert.match(read(system.dir, 'model/services/catalog.ts'), /new TsApi\(system\.domain\('catalog'\), 'catalog', \{\n {4}serves: \[grpcContract\(system, 'catalog'\)\]/);
  // The caller's timeout is the TypeScript server's deadline, as for a go or rust callee.
  assert.deepEqual(stored(system.dir).services.cart.calls, [{ contract: 'catalog', timeout: '1s', retries: 1 }]);

  // The rendered service serves the contract: its handlers, its health, its port in the image.
  const served = read(system.dir, 'services/catalog/src/grpc/served.ts');
  assert.match(served, /import \{ CatalogService \} from '#proto\/shop\/catalog\/v1\/catalog\.proto'/);
  assert.match(served, /async ping\(\) \{\n\s+throw notImplemented\('shop\.catalog\.v1\.CatalogService\/Ping'\)/);
  assert.match(read(system.dir, 'services/catalog/src/service.ts'), /createGrpcServer\(config, servedContracts/);
  assert.match(read(system.dir, 'services/catalog/Dockerfile'), /^EXPOSE 50051 3000$/m);
  assert.ok(existsSync(join(system.dir, 'services/catalog/proto/shop/catalog/v1/catalog.proto')));

  const report = await checkSystem(system.dir, { quiet: true });
  assert.deepEqual(report.problems.filter((p) => p.severity === 'error'), [], JSON.stringify(report.problems, null, 2));
  assert.ok(report.model.services.some((s) => s.name === 'catalog' && s.runtime === 'typescript'));
  assert.deepEqual(
    report.model.calls.filter((c) => c.contract === 'catalog').map((c) => `${c.caller.name} -> ${c.callee.name}`),
    ['cart -> catalog'],
  );

  // What synth writes for it: the gRPC port, gRPC health probes, its caller admitted, its config.
  const outdir = join(system.dir, 'dist');
  assert.equal(await runApp(locateApp(system.dir, outdir), {}, { stdoutToStderr: true }), 0);
  const objects = parseAllDocuments(read(outdir, 'shop-catalog.k8s.yaml')).map((d) => d.toJS());
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'catalog');
  const container = deployment.spec.template.spec.containers[0];
  assert.deepEqual(container.ports.map((p: { name: string; containerPort: number }) => `${p.name}:${p.containerPort}`), ['grpc:50051', 'http:3000']);
  assert.deepEqual(container.readinessProbe.grpc, { port: 50051 });
  assert.deepEqual(container.livenessProbe.grpc, { port: 50051, service: 'liveness' });
  const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'catalog');
  assert.deepEqual(policy.spec.ingress, [
    {
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop-sales' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cart' } } }],
      ports: [{ port: 'grpc', protocol: 'TCP' }],
    },
  ]);
  const config = JSON.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'catalog-config').data['service.json']);
  assert.deepEqual(config.serves, [{ contract: 'catalog', grpcService: 'shop.catalog.v1.CatalogService', proto: 'contracts/shop/catalog/v1/catalog.proto' }]);
  assert.deepEqual(config.ports, { grpc: 50051, http: 3000 });
});
