import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO, polyglot } from '../support/cli.js';
import { PRICING_PROTO, bufModule } from './buf-module.js';

/** A system repository: the pricing buf module, an event, and a main.ts with the event's schema. */
function writeMain(dir: string, schema: string): void {
  writeFileSync(
    join(dir, 'main.ts'),
    `import { z } from 'zod';
import { EventContract, GoService, GrpcContract, System, TsApi } from ${JSON.stringify(join(REPO, 'constructs/index.ts'))};
const system = new System({ name: 'shop', telemetry: { enabled: false } });
const pricing = new GrpcContract(system, 'pricing', { proto: '${PRICING_PROTO}', service: 'shop.pricing.v1.PricingService' });
const quoted = new EventContract(system, 'quoted', { subject: 'shop.quotes.{sku}', schema: ${schema} });
new GoService(system.domain('sales'), 'pricer', { serves: [pricing], publishes: [quoted], subscribes: [quoted], deadline: '50ms' });
new TsApi(system.domain('edge'), 'api', { calls: [{ contract: pricing, timeout: '60ms' }] });
system.synth();
`,
  );
}

test('polyglot contracts lock writes the lock, refuses a breaking change, and --force accepts it', () => {
  const dir = bufModule();
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  writeMain(dir, 'z.object({ sku: z.string(), cents: z.number() })');

  const first = polyglot(['contracts', 'lock', dir]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /wrote .*contracts\.lock\.json: 1 event, and the gRPC baseline image/);
  const lock = JSON.parse(readFileSync(join(dir, 'contracts.lock.json'), 'utf8'));
  assert.equal(lock.schema, 'polyglot.dev/contracts-lock/v1');
  assert.deepEqual(Object.keys(lock.events), ['quoted']);
  assert.equal(lock.events.quoted.version, 1);
  assert.deepEqual(lock.grpc.image.file.map((f: { name: string }) => f.name), ['shop/pricing/v1/pricing.proto']);
  assert.match(polyglot(['contracts', 'lock', dir]).stdout, /^unchanged /, 'an unchanged model leaves the file alone');

  writeMain(dir, 'z.object({ sku: z.string() })');
  const check = polyglot(['check', dir]);
  assert.equal(check.code, 1);
  assert.match(check.stdout, /\[event-breaking-change\] event 'quoted' changed incompatibly since contracts\.lock\.json \(version 1\): field 'cents' was removed/);
  const refused = polyglot(['contracts', 'lock', dir]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /nothing was locked; .*contracts\.lock\.json is unchanged/);
  assert.equal(JSON.parse(readFileSync(join(dir, 'contracts.lock.json'), 'utf8')).events.quoted.jsonSchema.required.length, 2);

  const forced = polyglot(['contracts', 'lock', dir, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(polyglot(['check', dir]).code, 0);
});
