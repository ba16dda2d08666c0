// The output Kubernetes and its usual gatekeepers accept, on the reference system (examples/jvn)
// and on a generated 100-service system (bench/generate.ts): kubeconform strict, kube-linter's
// default checks, kube-score's default checks and the upstream Pod Security "restricted"
// evaluator, all with zero findings. The checks deliberately turned off are listed, with their
// reasons, in test/validators/ignored-checks.yaml and nowhere else.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { generateSystem } from '../../bench/generate.js';
import { JVN, REPO, polyglot, readTree, tempDir } from '../support/cli.js';
import { runKubeconform, runKubeLinter, runKubeScore, toolPath } from '../support/tools.js';

interface IgnoredChecks {
  'kube-linter': { check: string; reason: string }[];
  'kube-score': { check: string; reason: string }[];
}
const ignored = parse(readFileSync(join(REPO, 'test/validators/ignored-checks.yaml'), 'utf8')) as IgnoredChecks;

test('every ignored check has a reason', () => {
  for (const tool of ['kube-linter', 'kube-score'] as const) {
    assert.ok(Array.isArray(ignored[tool]), `${tool} is listed`);
    for (const entry of ignored[tool]) assert.ok(entry.check && entry.reason.length > 80, `${tool}: ${entry.check} has a reason`);
  }
  assert.deepEqual(ignored['kube-linter'], [], 'kube-linter runs with its default checks and no exception (no .kube-linter.yaml either)');
});

const systems: { name: string; synthesize: () => string }[] = [
  {
    name: 'examples/jvn',
    synthesize: () => {
      const out = join(tempDir('linters-jvn-'), 'out'); // synth keeps its versions beside the outdir: inside the temp folder
      const result = polyglot(['synth', JVN, '--outdir', out]);
      assert.equal(result.code, 0, result.stderr);
      return out;
    },
  },
  {
    name: 'a generated 100-service system',
    synthesize: () => {
      const out = tempDir('linters-generated-');
      const { system } = generateSystem({ services: 100 });
      // Synthesized in memory (the generator builds the model only); its manifests are linted.
      for (const [path, content] of system.files()) {
        if (!path.endsWith('.k8s.yaml')) continue;
        mkdirSync(dirname(join(out, path)), { recursive: true });
        writeFileSync(join(out, path), content);
      }
      return out;
    },
  },
];

for (const { name, synthesize } of systems) {
  describe(name, () => {
    let manifests: string[] = [];
    before(() => {
      const out = synthesize();
      manifests = [...readTree(out).keys()].filter((f) => f.endsWith('.k8s.yaml')).map((f) => join(out, f));
      assert.ok(manifests.length >= 5, `${manifests.length} manifest files`);
    });

    test('kubeconform (strict, the target version\'s schemas and the NACK CRDs): every object valid, none skipped', async () => {
      const result = await runKubeconform(manifests);
      assert.ok(result.ok, result.output);
      assert.equal(result.summary.skipped, 0);
      console.log(`# ${name}: kubeconform ${result.summary.valid} objects valid, 0 invalid`);
    });

    test('kube-linter (default checks): no finding', async () => {
      const result = await runKubeLinter(manifests);
      assert.ok(result.ok, result.reports.map((r) => `${r.kind}/${r.namespace}/${r.name}: ${r.check}: ${r.message}`).join('\n') || result.output);
      console.log(`# ${name}: kube-linter 0 findings`);
    });

    test('kube-score (default checks, minus ignored-checks.yaml): no critical, no warning', async () => {
      const result = await runKubeScore(manifests, ignored['kube-score'].map((entry) => entry.check));
      assert.ok(result.ok, result.findings.join('\n') || result.output);
      console.log(`# ${name}: kube-score ${result.objects} objects, 0 findings (${ignored['kube-score'].length} checks ignored)`);
    });

    test('Pod Security "restricted" (the upstream evaluator): no violation', () => {
      const result = spawnSync(toolPath('psa-check'), ['--level', 'restricted', ...manifests], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /psa-check: \d+ workloads checked, 0 violations/);
      console.log(`# ${name}: ${/psa-check: .*/.exec(result.stdout)?.[0]}`);
    });
  });
}
