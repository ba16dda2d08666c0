import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExternalEndpoint, GoService, System, serviceConfigSchema, type Problem, type RequiredSecret } from '../../constructs/index.js';
import { allObjects, find } from '../support/synth.js';

/** A service using a database by name (with its CIDR) and a cache by IP address; a neighbour using neither. */
function shop() {
  const system = new System({ name: 'shop' });
  const db = new ExternalEndpoint(system, 'orders-db', {
    protocol: 'postgresql',
    host: 'orders-db.internal.example',
    port: 5432,
    cidr: '10.40.0.0/24',
    secretKeys: ['username', 'password'],
    description: 'PostgreSQL: orders',
  });
  const cache = new ExternalEndpoint(system, 'cache', { protocol: 'redis', host: '10.50.1.7', port: 6379 });
  const sales = system.domain('sales');
  new GoService(sales, 'orders', { uses: [db, { endpoint: cache, secretName: 'orders-cache-auth' }] });
  new GoService(sales, 'reports', {});
  return system;
}

const secretsOf = (system: System): RequiredSecret[] => JSON.parse(system.files().get('secrets.json')!).secrets;

test('a service that uses an endpoint may reach its CIDR block on its port, and nothing else outside', () => {
  const all = allObjects(shop());
  const egress = find(all, 'NetworkPolicy', 'orders', 'shop-sales').spec.egress.filter((rule: any) => rule.to[0].ipBlock);
  assert.deepEqual(egress, [
    { to: [{ ipBlock: { cidr: '10.40.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
    { to: [{ ipBlock: { cidr: '10.50.1.7/32' } }], ports: [{ protocol: 'TCP', port: 6379 }] },
  ]);
  const neighbour = find(all, 'NetworkPolicy', 'reports', 'shop-sales').spec.egress;
  assert.ok(neighbour.every((rule: any) => !rule.to[0].ipBlock), 'a service that declares no endpoint gets no ipBlock');
});

test('the connection Secret reaches the container as <ENDPOINT>_<KEY>, and the service config says where to connect', () => {
  const all = allObjects(shop());
  const container = find(all, 'Deployment', 'orders', 'shop-sales').spec.template.spec.containers[0];
  const fromSecrets = container.env.filter((e: any) => e.valueFrom?.secretKeyRef?.name !== 'orders-nats' && e.valueFrom?.secretKeyRef);
  assert.deepEqual(fromSecrets, [
    { name: 'ORDERS_DB_USERNAME', valueFrom: { secretKeyRef: { name: 'orders-orders-db', key: 'username' } } },
    { name: 'ORDERS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-orders-db', key: 'password' } } },
    { name: 'CACHE_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-cache-auth', key: 'password' } } },
  ]);
  const config = serviceConfigSchema.parse(JSON.parse(find(all, 'ConfigMap', 'orders-config', 'shop-sales').data!['service.json']!));
  assert.deepEqual(config.dependencies, [
    { endpoint: 'orders-db', protocol: 'postgresql', host: 'orders-db.internal.example', port: 5432, secret: 'orders-orders-db', env: { username: 'ORDERS_DB_USERNAME', password: 'ORDERS_DB_PASSWORD' } },
    { endpoint: 'cache', protocol: 'redis', host: '10.50.1.7', port: 6379, secret: 'orders-cache-auth', env: { password: 'CACHE_PASSWORD' } },
  ]);
  const reports = serviceConfigSchema.parse(JSON.parse(find(all, 'ConfigMap', 'reports-config', 'shop-sales').data!['service.json']!));
  assert.equal(reports.dependencies, undefined, 'no block for a service without endpoints');
});

test('each connection Secret is planned in secrets.json as provided (values the operator brings), never in the manifests', () => {
  const system = shop();
  const secrets = secretsOf(system).filter((s) => s.type === 'provided');
  assert.deepEqual(
    secrets.map((s) => [s.namespace, s.name, Object.keys(s.keys)]),
    [
      ['shop-sales', 'orders-cache-auth', ['password']],
      ['shop-sales', 'orders-orders-db', ['password', 'username']],
    ],
  );
  assert.match(secrets[1]!.purpose, /credentials of orders for orders-db \(postgresql:\/\/orders-db\.internal\.example:5432\), as \$ORDERS_DB_USERNAME, \$ORDERS_DB_PASSWORD/);
  for (const [path, content] of system.files()) if (path.endsWith('.k8s.yaml')) assert.doesNotMatch(content, /kind: Secret\b/, `${path} holds no Secret`);
});

test('bad endpoint props are problems with the construct path and a fix, and nothing is synthesized', () => {
  const system = new System({ name: 'shop' });
  const byName = new ExternalEndpoint(system, 'orders-db', { protocol: 'postgresql', host: 'orders-db.internal.example', port: 5432 });
  new ExternalEndpoint(system, 'cache', { protocol: 'Redis!', host: 'cache', port: 70000, cidr: '10.0.0.0/33', secretKeys: [] } as never);
  new ExternalEndpoint(system, 'Bad_Name', { protocol: 'redis', host: '10.0.0.1', port: 6379, secretKeys: ['password', 'password'] });
  new ExternalEndpoint(system, 'typo', { protocol: 'redis', host: '10.0.0.1', port: 6379, secretkeys: ['password'] } as never);
  new GoService(system.domain('sales'), 'orders', { uses: [byName, byName] });
  new GoService(system.domain('sales'), 'reports', { uses: ['orders-db'] } as never);
  const problems = system.check();
  const at = (path: string, text: RegExp): Problem => {
    const found = problems.find((p) => p.path === path && text.test(p.message));
    assert.ok(found, `expected a problem at ${path} matching ${text}; got:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
    assert.equal(found.severity, 'error');
    assert.ok(found.fix.length > 10, 'with a fix');
    return found;
  };
  at('shop/endpoints/orders-db', /cidr: host 'orders-db\.internal\.example' is a DNS name and a NetworkPolicy cannot match names/);
  at('shop/endpoints/cache', /protocol: expected a protocol name/);
  at('shop/endpoints/cache', /port/);
  at('shop/endpoints/cache', /cidr: expected a CIDR block/);
  at('shop/endpoints/cache', /secretKeys: list at least one key/);
  at('shop/endpoints/Bad_Name', /endpoint name 'Bad_Name'/);
  at('shop/endpoints/Bad_Name', /secretKeys: lists a key twice/);
  at('shop/endpoints/typo', /unknown prop 'secretkeys'.*did you mean 'secretKeys'/);
  at('shop/sales/orders', /uses\[1\]: lists endpoint 'orders-db' a second time/);
  at('shop/sales/reports', /uses\[0\]: expected an ExternalEndpoint/);
  assert.throws(() => system.files(), /nothing was written/);
});

test('an endpoint given by IPv6 address is allowed as a /128', () => {
  const system = new System({ name: 'shop' });
  const api = new ExternalEndpoint(system, 'partner', { protocol: 'https', host: 'fd00::17', port: 443, secretKeys: ['token'] });
  assert.equal(api.cidr, 'fd00::17/128');
  assert.equal(api.envName('token'), 'PARTNER_TOKEN');
});
