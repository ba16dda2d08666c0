// `yo polyglot:contract` / `polyglot new contract`: a gRPC skeleton in the buf module (buf lint
// clean) or an event contract, declared in model/contracts/, both prompt paths.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { bufBinary, readModel } from '../../generators/lib/system.js';
import { REPO_ROOT } from '../support/tools.js';
import { newSystem, yoRun } from './support.js';

afterEach(() => process.chdir(REPO_ROOT));

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

let system: { dir: string; remove(): void };
before(async () => {
  system = await newSystem();
});
after(() => system.remove());

test('a gRPC contract through the prompts: a buf-lint-clean skeleton and its declaration', async () => {
  const result = await yoRun('contract', system.dir).withAnswers({ kind: 'grpc', name: 'token-signer' });
  assert.deepEqual(result.askedQuestions.map((q) => q.name), ['kind', 'name']);
  const proto = read(system.dir, 'contracts/shop/token_signer/v1/token_signer.proto');
  assert.match(proto, /^syntax = "proto3";\n\npackage shop\.token_signer\.v1;/);
  assert.match(proto, /service TokenSignerService \{\n.*\n {2}rpc Ping\(PingRequest\) returns \(PingResponse\);/);
  assert.match(read(system.dir, 'model/contracts/token-signer.ts'), /new GrpcContract\(system, 'token-signer', \{\n {4}proto: 'contracts\/shop\/token_signer\/v1\/token_signer\.proto',\n {4}service: 'shop\.token_signer\.v1\.TokenSignerService',/);
  const lint = spawnSync(bufBinary(), ['lint'], { cwd: system.dir, encoding: 'utf8' });
  assert.equal(lint.status, 0, `buf lint: ${lint.stdout}${lint.stderr}`);
});

test('an event contract through the prompts: subject and a zod schema with its tokens', async () => {
  const result = await yoRun('contract', system.dir).withAnswers({ kind: 'event', name: 'order-placed', subject: 'shop.orders.placed.{order}' });
  assert.deepEqual(result.askedQuestions.map((q) => q.name), ['kind', 'name', 'subject']);
  const code = read(system.dir, 'model/contracts/order-placed.ts');
  assert.match(code, /subject: 'shop\.orders\.placed\.\{order\}'/);
  assert.match(code, /schema: z\.object\(\{ order: z\.string\(\), at: z\.iso\.datetime\(\) \}\)/);
  assert.match(code, /stream: \{ name: 'ORDER_PLACED', maxAge: '24h' \}/);
});

test('--yes with flags: an event with the default subject; the model declares all three', async () => {
  await yoRun('contract', system.dir).withOptions({ yes: true, kind: 'event', name: 'stock-low', description: 'An item ran low.' } as never);
  assert.match(read(system.dir, 'model/contracts/stock-low.ts'), /subject: 'shop\.stock-low',[\s\S]*description: 'An item ran low\.'/);
  const rc = JSON.parse(read(system.dir, '.yo-rc.json'))['generator-polyglot'];
  assert.deepEqual(Object.keys(rc.contracts).sort(), ['order-placed', 'stock-low', 'token-signer']);
  const model = await readModel(system.dir);
  assert.deepEqual(model.grpcContracts, [{ name: 'token-signer', service: 'shop.token_signer.v1.TokenSignerService', proto: 'contracts/shop/token_signer/v1/token_signer.proto' }]);
  assert.deepEqual(model.eventContracts.map((e) => `${e.name} ${e.subject}`).sort(), ['order-placed shop.orders.placed.{order}', 'stock-low shop.stock-low']);
});
