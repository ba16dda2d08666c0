import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateSystem, planSystem } from '../../bench/generate.js';
import { buildHandwritten } from '../../bench/handwritten.js';

// The bench judges polyglot against cdk8s-plus written by hand (bench/handwritten.ts); that is
// only fair while both write the same objects. No timings here: bench/ is not part of the suite.

function kinds(manifests: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const text of manifests) for (const [, kind] of text.matchAll(/^kind: (\w+)$/gm)) counts[kind!] = (counts[kind!] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

for (const services of [20, 60]) {
  test(`the hand-written baseline writes the kinds and counts of objects polyglot writes (${services} services)`, () => {
    const { system } = generateSystem({ services, seed: 3 });
    const polyglot = kinds([...system.files()].filter(([path]) => path.endsWith('.k8s.yaml')).map(([, text]) => text));

    const outdir = mkdtempSync(join(tmpdir(), 'polyglot-handwritten-'));
    try {
      buildHandwritten(planSystem({ services, seed: 3 }), outdir).synth();
      const handwritten = kinds(readdirSync(outdir).map((file) => readFileSync(join(outdir, file), 'utf8')));
      assert.deepEqual(handwritten, polyglot);
      // One NetworkPolicy per service, plus default-deny and DNS per namespace and the platform's.
      assert.ok(polyglot.NetworkPolicy! < services * 2 + 3 * 25, `${polyglot.NetworkPolicy} policies`);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
}
