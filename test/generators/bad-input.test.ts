// Bad input to `polyglot new service|contract`: a clear message naming the field, and nothing
// written (a hash of the whole tree before and after).
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { runGenerator } from '../../generators/lib/run.js';
import { REPO_ROOT } from '../support/tools.js';
import { addService, FIXTURE_TEMPLATES, newSystem, scratchDir, treeHash } from './support.js';

afterEach(() => process.chdir(REPO_ROOT));

let system: { dir: string; remove(): void };
before(async () => {
  system = await newSystem();
  await addService(system.dir, { runtime: 'go', name: 'billing' });
  await runGenerator('contract', { cwd: system.dir, yes: true, options: { kind: 'event', name: 'order-placed', subject: 'shop.orders.placed.{order}' } });
});
after(() => system.remove());

async function refuses(generator: 'service' | 'contract', options: Record<string, unknown>, field: string, pattern: RegExp, dir = system.dir) {
  const before = treeHash(dir);
  await assert.rejects(runGenerator(generator, { cwd: dir, yes: true, skipInstall: true, options: { templatesRoot: FIXTURE_TEMPLATES, ...options } }), (error: Error) => {
    assert.equal(error.name, 'InputError', error.stack);
    assert.ok(error.message.startsWith(`${field}: `), `names ${field}: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
  assert.deepEqual(treeHash(dir), before, 'nothing was written');
}

const SERVICE_CASES: [string, Record<string, unknown>, string, RegExp][] = [
  ['a name that is not a DNS label', { runtime: 'go', name: 'Billing_V2' }, '--name', /'Billing_V2' must be lower-case letters, digits and dashes.*try 'billing-v2'/],
  ['path traversal in the name', { runtime: 'go', name: '../x' }, '--name', /'\.\.\/x' must be lower-case/],
  ['an absolute path as the name', { runtime: 'go', name: '/etc' }, '--name', /'\/etc'/],
  ['an existing service name', { runtime: 'typescript', name: 'billing' }, '--name', /already has a service named 'billing'/],
  ['an unknown runtime', { runtime: 'cobol', name: 'ledger' }, '--runtime', /'cobol' is not a runtime .* go, rust, elixir, typescript/],
  ['no runtime with --yes', { name: 'ledger' }, '--runtime', /a value is required/],
  ['no name with --yes', { runtime: 'go' }, '--name', /a value is required/],
  ['a domain that is not a DNS label', { runtime: 'go', name: 'ledger', domain: '../billing' }, '--domain', /'\.\.\/billing'/],
  ['serving a contract that does not exist', { runtime: 'go', name: 'ledger', serves: 'ledger-api' }, '--serves', /no gRPC contract named 'ledger-api' \(it has 'billing'\)/],
  ['calling a contract that does not exist', { runtime: 'go', name: 'ledger', calls: 'billing,payments' }, '--calls', /no gRPC contract named 'payments'/],
  ['calling an event', { runtime: 'go', name: 'ledger', calls: 'order-placed' }, '--calls', /'order-placed' is an event contract/],
  ['publishing an event that does not exist', { runtime: 'go', name: 'ledger', publishes: 'order-shipped' }, '--publishes', /no event contract named 'order-shipped' \(it has 'order-placed'\)/],
  ['subscribing to a gRPC contract', { runtime: 'go', name: 'ledger', subscribes: 'billing' }, '--subscribes', /'billing' is a gRPC contract/],
  ['an elixir service serving gRPC', { runtime: 'elixir', name: 'hub', serves: 'billing' }, '--serves', /the elixir runtime does not serve gRPC .*serve gRPC contracts from a go, rust or typescript service/],
  ['a typescript service serving a contract that does not exist', { runtime: 'typescript', name: 'edge-api', serves: 'ledger-api' }, '--serves', /no gRPC contract named 'ledger-api'/],
  ['a bad timeout', { runtime: 'go', name: 'ledger', calls: 'billing', timeout: 'soon' }, '--timeout', /'soon' is not a duration/],
  ['bad retries', { runtime: 'go', name: 'ledger', calls: 'billing', retries: '-1' }, '--retries', /'-1' is not a whole number/],
  ['regenerating a service that was never generated', { regenerate: 'ledger' }, '--regenerate', /no generated service named 'ledger'/],
];

for (const [what, options, field, pattern] of SERVICE_CASES) {
  test(`new service refuses ${what}`, () => refuses('service', options, field, pattern));
}

const CONTRACT_CASES: [string, Record<string, unknown>, string, RegExp][] = [
  ['an unknown kind', { kind: 'soap', name: 'ledger' }, '--kind', /'soap' is not a kind of contract/],
  ['a name that is not a DNS label', { kind: 'grpc', name: '../../etc' }, '--name', /'\.\.\/\.\.\/etc'/],
  ['an existing contract name', { kind: 'event', name: 'billing' }, '--name', /already has a contract named 'billing'/],
  ['a subject with a wildcard', { kind: 'event', name: 'order-shipped', subject: 'shop.orders.*' }, '--subject', /invalid token '\*'/],
  ['a subject that is taken', { kind: 'event', name: 'order-again', subject: 'shop.orders.placed.{order}' }, '--subject', /subject of the event 'order-placed'/],
];

for (const [what, options, field, pattern] of CONTRACT_CASES) {
  test(`new contract refuses ${what}`, () => refuses('contract', options, field, pattern));
}

test('outside a generated system, the generators say how to make one and write nothing', async () => {
  const scratch = scratchDir();
  try {
    const before = treeHash(scratch.dir);
    await assert.rejects(runGenerator('service', { cwd: scratch.dir, yes: true, options: { runtime: 'go', name: 'x' } }), /no polyglot system in .*polyglot init/);
    await assert.rejects(runGenerator('contract', { cwd: scratch.dir, yes: true, options: { kind: 'grpc', name: 'x' } }), /no polyglot system in .*polyglot init/);
    assert.deepEqual(treeHash(scratch.dir), before);
  } finally {
    scratch.remove();
  }
});
