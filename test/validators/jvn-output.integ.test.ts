import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { JVN, polyglot, readTree, tempDir } from '../support/cli.js';
import { runKubeconform, runKubeLinter, toolPath } from '../support/tools.js';

/** The reference system's manifests, synthesized once into a temp dir for the real validators. */
let manifests: string[] = [];
before(() => {
  const out = join(tempDir('jvn-validate-'), 'out'); // synth keeps its versions beside the outdir: inside the temp folder
  const result = polyglot(['synth', JVN, '--outdir', out]);
  assert.equal(result.code, 0, result.stderr);
  manifests = [...readTree(out).keys()].filter((f) => f.endsWith('.k8s.yaml')).map((f) => join(out, f));
  assert.ok(manifests.length >= 5);
});

test('every synthesized object validates against the Kubernetes schemas of the default target version (kubeconform, strict)', async () => {
  const result = await runKubeconform(manifests);
  assert.ok(result.ok, result.output);
  assert.ok(result.summary.valid >= 60, `validated ${result.summary.valid} objects`);
  assert.equal(result.summary.skipped, 0, 'no object skipped for lack of a schema');
});

test('kube-linter finds nothing in the synthesized manifests', async () => {
  const result = await runKubeLinter(manifests);
  assert.ok(result.ok, result.reports.map((r) => `${r.kind}/${r.namespace}/${r.name}: ${r.check}: ${r.message}`).join('\n') || result.output);
});

test('every workload passes the upstream Pod Security "restricted" evaluator', () => {
  const result = spawnSync(toolPath('psa-check'), ['--level', 'restricted', ...manifests], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /psa-check: 12 workloads checked, 0 violations/);
});
