import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { SynthError } from '../../constructs/index.js';
import { PRICING_PROTO, PRICING_V1, bufModule, editProto, findings, lock, pricingSystem, writeProto } from './buf-module.js';

const GRPC_CODES = ['buf-lint', 'buf-failed', 'proto-compile', 'grpc-breaking-change', 'proto-missing', 'proto-service-missing', 'proto-package-mismatch', 'proto-outside-module', 'buf-module-missing'];

test('a clean buf module passes lint, and breaking against its own lock', () => {
  const root = bufModule();
  lock(pricingSystem(root));
  assert.deepEqual(findings(pricingSystem(root), ...GRPC_CODES), []);
});

test('a changed field type is a breaking change, reported at the contract with file:line', () => {
  const root = bufModule();
  lock(pricingSystem(root));
  editProto(root, PRICING_PROTO, (t) => t.replace('int64 quantity = 2;', 'string quantity = 2;'));
  assert.deepEqual(findings(pricingSystem(root), ...GRPC_CODES), [
    `grpc-breaking-change shop/contracts/pricing: ${PRICING_PROTO}:16:3: Field "2" with name "quantity" on message "QuoteRequest" changed type from "int64" to "string". (FIELD_SAME_TYPE, against the image in contracts.lock.json)`,
  ]);
});

test('a removed rpc is a breaking change at the service declaration', () => {
  const root = bufModule();
  lock(pricingSystem(root));
  editProto(root, PRICING_PROTO, (t) => t.replace('  // Cancel drops a quote.\n  rpc Cancel(CancelRequest) returns (CancelResponse);\n', ''));
  const [finding, ...rest] = findings(pricingSystem(root), ...GRPC_CODES);
  assert.equal(rest.length, 0);
  assert.equal(finding, `grpc-breaking-change shop/contracts/pricing: ${PRICING_PROTO}:6:1: Previously present RPC "Cancel" on service "PricingService" was deleted. (RPC_NO_DELETE, against the image in contracts.lock.json)`);
});

test('a new package version beside the old one is additive', () => {
  const root = bufModule();
  lock(pricingSystem(root));
  const v2 = 'proto/shop/pricing/v2/pricing.proto';
  writeProto(root, v2, PRICING_V1.replace('package shop.pricing.v1;', 'package shop.pricing.v2;').replace('int64 quantity = 2;', 'string quantity = 2;'));
  assert.deepEqual(findings(pricingSystem(root, { proto: v2, service: 'shop.pricing.v2.PricingService' }), ...GRPC_CODES), []);
});

test('the baseline can be a git ref (local, no network)', () => {
  const root = bufModule();
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'v1');
  editProto(root, PRICING_PROTO, (t) => t.replace('int64 cents = 1;', 'string cents = 1;'));
  const [finding] = findings(pricingSystem(root, {}, { breakingAgainst: '.git#branch=main' }), 'grpc-breaking-change');
  assert.match(finding!, new RegExp(`${PRICING_PROTO}:21:3: .*"cents".* \\(FIELD_SAME_TYPE, against \\.git#branch=main\\)$`));
});

test('lint violations and compile errors are reported with file:line; a compile error is not reported twice', () => {
  const root = bufModule();
  lock(pricingSystem(root));
  editProto(root, PRICING_PROTO, (t) => `${t}\n// bad names.\nmessage quote_extra {\n  string X = 1;\n}\n`);
  assert.deepEqual(findings(pricingSystem(root), ...GRPC_CODES), [
    `buf-lint shop/contracts/pricing: ${PRICING_PROTO}:33:9: Message name "quote_extra" should be PascalCase, such as "QuoteExtra". (MESSAGE_PASCAL_CASE)`,
    `buf-lint shop/contracts/pricing: ${PRICING_PROTO}:34:10: Field name "X" should be lower_snake_case, such as "x". (FIELD_LOWER_SNAKE_CASE)`,
  ]);
  editProto(root, PRICING_PROTO, (t) => t.replace('string X = 1;', 'string x = ;'));
  const compile = findings(pricingSystem(root), ...GRPC_CODES);
  assert.ok(compile.length > 0 && compile.every((f) => f.startsWith(`proto-compile shop/contracts/pricing: ${PRICING_PROTO}:34:`)), compile.join('\n'));
});

test('the proto file must exist in the module and declare the package and the service', () => {
  const root = bufModule();
  const check = (contract: { proto?: string; service?: string }) => findings(pricingSystem(root, contract), ...GRPC_CODES);
  assert.deepEqual(check({ proto: 'proto/shop/pricing/v1/missing.proto' }), [
    `proto-missing shop/contracts/pricing: proto 'proto/shop/pricing/v1/missing.proto' does not exist (looked for ${root}/proto/shop/pricing/v1/missing.proto)`,
  ]);
  assert.deepEqual(check({ service: 'shop.pricing.v1.Pricer' }), [
    `proto-service-missing shop/contracts/pricing: ${PRICING_PROTO} declares no service 'Pricer'; it declares 'PricingService' (line 6)`,
  ]);
  assert.deepEqual(check({ service: 'shop.prices.v1.PricingService' }), [
    `proto-package-mismatch shop/contracts/pricing: ${PRICING_PROTO}:3 declares package 'shop.pricing.v1', but the contract names 'shop.prices.v1.PricingService' (package 'shop.prices.v1')`,
  ]);
  writeProto(root, 'elsewhere/pricing.proto', PRICING_V1);
  assert.match(check({ proto: 'elsewhere/pricing.proto' })[0]!, /^proto-outside-module .*outside the buf module \(proto\)/);
});

test('a commented-out service does not count as declared', () => {
  const root = bufModule();
  editProto(root, PRICING_PROTO, (t) => `${t}\n// service Legacy {\n/* service Old { */\n`);
  assert.match(findings(pricingSystem(root, { service: 'shop.pricing.v1.Legacy' }), 'proto-service-missing')[0]!, /declares no service 'Legacy'; it declares 'PricingService'/);
});

test('without a buf module nothing is checked against files; a declared module must exist', () => {
  const root = bufModule();
  const bare = pricingSystem(`${root}/proto`, { proto: 'nowhere.proto' });
  assert.deepEqual(findings(bare, ...GRPC_CODES), []);
  const declared = pricingSystem(root, {}, { bufModule: 'protos' });
  assert.deepEqual(findings(declared, ...GRPC_CODES), [
    `buf-module-missing shop: contracts.bufModule is 'protos', but ${root}/protos/buf.yaml does not exist`,
  ]);
});

test('buf runs while the rest is synthesized: its findings still refuse the synth, and asking again gives the same answer', () => {
  const root = bufModule();
  lock(pricingSystem(root));
  editProto(root, PRICING_PROTO, (t) => t.replace('int64 quantity = 2;', 'string quantity = 2;'));
  const system = pricingSystem(root);
  const refusal = (): string[] => {
    try {
      system.files();
    } catch (error) {
      assert.ok(error instanceof SynthError, String(error));
      return error.problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.path}`);
    }
    assert.fail('files() returned although buf found a breaking change');
  };
  const first = refusal();
  assert.deepEqual(first, ['grpc-breaking-change shop/contracts/pricing']);
  assert.deepEqual(refusal(), first);
  assert.deepEqual(system.warnings, []);
});
