// The Node versions polyglot says it supports (package.json engines) are the ones it can run on:
// every installed package's own `engines.node` must admit the lowest version of each range we
// state. A dependency upgrade that drops one of them fails here, not on a user's machine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import semver from 'semver';
import { REPO } from '../support/cli.js';

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }> };

/** The floor of each `||` range of ours: `^20.17.0 || >=24` → 20.17.0, 24.0.0. */
const floors = manifest.engines.node.split('||').map((range) => semver.minVersion(range.trim())!.version);

test('package.json states Node 20 and Node 24 (the machine\'s and the LTS CI also runs)', () => {
  assert.ok(semver.satisfies('20.20.2', manifest.engines.node));
  assert.ok(semver.satisfies('24.19.0', manifest.engines.node));
  assert.ok(!semver.satisfies('18.20.0', manifest.engines.node));
});

test('every installed package admits the lowest version of every Node range we support', () => {
  const excluded: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    if (!path || !range) continue;
    for (const floor of floors) if (!semver.satisfies(floor, range)) excluded.push(`${path.replace(/^node_modules\//, '')} (${range}) excludes Node ${floor}`);
  }
  assert.deepEqual(excluded, [], `raise our engines floor or pin the dependency:\n  ${excluded.join('\n  ')}`);
});
