// buf's findings are cached by a digest of its inputs (constructs/contracts/buf-cache.ts). These
// tests run the real buf: a hit is shown by planting a finding under the current digest (buf
// itself would never report it), a miss by that finding disappearing after any input changes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRICING_PROTO, bufModule, editProto, findings, lock, pricingSystem } from './buf-module.js';

const CODES = ['buf-lint', 'grpc-breaking-change', 'proto-compile'];
/** The one cache entry of a command (the system folder is its own package here). */
function cacheFile(root: string, command: 'lint' | 'breaking'): string {
  const folder = join(root, 'node_modules', '.cache', 'polyglot');
  const entries = existsSync(folder) ? readdirSync(folder).filter((name) => name.startsWith(`buf-${command}-`) && name.endsWith('.json')) : [];
  assert.equal(entries.length, 1, `one buf-${command} entry in ${folder}: ${entries.join(', ')}`);
  return join(folder, entries[0]!);
}

/** Adds a finding buf never made to a cache entry, keeping its digest: only a cache hit reports it. */
function plant(root: string, command: 'lint' | 'breaking', message: string): void {
  const file = cacheFile(root, command);
  const entry = JSON.parse(readFileSync(file, 'utf8')) as { violations: unknown[] };
  entry.violations.push({ path: PRICING_PROTO, line: 1, column: 1, type: 'PLANTED', message });
  writeFileSync(file, JSON.stringify(entry));
}

/**
 * A locked buf module in a folder that is a package with a node_modules, as a user's system is,
 * whose proto changed since the lock (a comment), so that buf breaking runs at all.
 */
function lockedModule(): string {
  const root = bufModule();
  writeFileSync(join(root, 'package.json'), '{ "name": "shop-system", "private": true }\n');
  mkdirSync(join(root, 'node_modules'));
  lock(pricingSystem(root));
  editProto(root, PRICING_PROTO, (t) => `${t}\n// Prices are in cents.\n`);
  return root;
}

test('buf cache: the first check runs buf and keeps its findings; an unchanged module reuses them', () => {
  const root = lockedModule();
  assert.deepEqual(findings(pricingSystem(root), ...CODES), []);
  assert.ok(existsSync(cacheFile(root, 'lint')) && existsSync(cacheFile(root, 'breaking')));
  // Every later check replaces its entry: one file per command, however many runs.
  findings(pricingSystem(root), ...CODES);
  plant(root, 'lint', 'planted lint finding');
  plant(root, 'breaking', 'planted breaking finding');
  const found = findings(pricingSystem(root), ...CODES);
  assert.equal(found.length, 2, found.join('\n'));
  assert.match(found.join('\n'), /planted lint finding/);
  assert.match(found.join('\n'), /planted breaking finding/);
});

test('buf cache: a changed proto runs buf again (the planted findings go, the real one comes)', () => {
  const root = lockedModule();
  findings(pricingSystem(root), ...CODES);
  plant(root, 'lint', 'planted lint finding');
  plant(root, 'breaking', 'planted breaking finding');
  editProto(root, PRICING_PROTO, (t) => t.replace('int64 quantity = 2;', 'string quantity = 2;'));
  const found = findings(pricingSystem(root), ...CODES);
  assert.doesNotMatch(found.join('\n'), /planted/);
  assert.deepEqual(
    found.map((f) => f.split(':')[0]),
    ['grpc-breaking-change shop/contracts/pricing'],
  );
});

test('buf cache: a changed buf.yaml, a new proto file or a new lock each run buf again', () => {
  for (const change of [
    (root: string) => writeFileSync(join(root, 'buf.yaml'), `${readFileSync(join(root, 'buf.yaml'), 'utf8')}# a comment\n`),
    (root: string) => {
      mkdirSync(join(root, 'proto/shop/extra/v1'), { recursive: true });
      writeFileSync(join(root, 'proto/shop/extra/v1/extra.proto'), 'syntax = "proto3";\n\npackage shop.extra.v1;\n\n// Extra is extra.\nmessage Extra {\n  string id = 1;\n}\n');
    },
    (root: string) => {
      // A new lock (the proto grew a field, was locked, and went back): only the image changed.
      const proto = readFileSync(join(root, PRICING_PROTO), 'utf8');
      editProto(root, PRICING_PROTO, (t) => t.replace('int64 quantity = 2;', 'int64 quantity = 2;\n  string note = 3;'));
      lock(pricingSystem(root));
      writeFileSync(join(root, PRICING_PROTO), proto);
    },
  ]) {
    const root = lockedModule();
    findings(pricingSystem(root), ...CODES);
    plant(root, 'lint', 'planted lint finding');
    plant(root, 'breaking', 'planted breaking finding');
    change(root);
    const found = findings(pricingSystem(root), ...CODES).join('\n');
    // The lock's image is the breaking input only; buf.yaml and the protos feed both.
    assert.doesNotMatch(found, /planted breaking finding/);
  }
});

test('buf cache: a system folder in no package with a node_modules gets no cache, and buf still runs', () => {
  const root = bufModule();
  mkdirSync(join(root, 'node_modules')); // a node_modules, but no package.json here or above
  lock(pricingSystem(root));
  editProto(root, PRICING_PROTO, (t) => t.replace('int64 quantity = 2;', 'string quantity = 2;'));
  assert.equal(findings(pricingSystem(root), ...CODES).length, 1);
  assert.equal(existsSync(join(root, 'node_modules', '.cache')), false);
});

test('buf breaking is skipped while the protos are those the lock was made from, and runs once they differ', () => {
  const root = bufModule(); // no package: no cache, so only the lock's digest can skip buf
  lock(pricingSystem(root));
  const lockFile = join(root, 'contracts.lock.json');
  const locked = JSON.parse(readFileSync(lockFile, 'utf8'));
  assert.match(locked.grpc.sourcesSha256, /^[0-9a-f]{64}$/);
  // A baseline with one rpc more than the protos: buf would report its deletion.
  const service = locked.grpc.image.file[0].service[0];
  service.method.push({ ...service.method[0], name: 'Refund' });
  writeFileSync(lockFile, JSON.stringify(locked));
  assert.deepEqual(findings(pricingSystem(root), ...CODES), [], 'same sources as the lock: buf breaking does not run');
  locked.grpc.sourcesSha256 = '0'.repeat(64);
  writeFileSync(lockFile, JSON.stringify(locked));
  assert.deepEqual(
    findings(pricingSystem(root), ...CODES).map((f) => f.replace(/:\d+:\d+:/, ':L:C:')),
    [`grpc-breaking-change shop/contracts/pricing: ${PRICING_PROTO}:L:C: Previously present RPC "Refund" on service "PricingService" was deleted. (RPC_NO_DELETE, against the image in contracts.lock.json)`],
  );
});
