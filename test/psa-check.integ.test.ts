// tools/psa-check: the upstream Pod Security Admission evaluator (k8s.io/pod-security-admission)
// run over manifest files. These tests pin its behaviour on small hand-written manifests, so that
// the suite's "every synthesized workload meets restricted" checks can rely on it.
// The binary is installed by scripts/install-tools.sh (npm test's pretest); when it is missing
// these tests fail, they do not skip.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { toolPath } from './support/tools.js';

const DIR = mkdtempSync(join(tmpdir(), 'polyglot-psa-check-'));
after(() => rmSync(DIR, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function psaCheck(...args: string[]): Run {
  const psaCheckPath = toolPath('psa-check'); // throws, naming the tool, when it is missing
  const result = spawnSync(psaCheckPath, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.error, undefined, `could not run ${psaCheckPath}: ${result.error?.message}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes manifest objects as one multi-document YAML file and returns its path. */
function writeManifests(name: string, ...docs: unknown[]): string {
  const path = join(DIR, name);
  writeFileSync(path, docs.map((doc) => `---\n${stringify(doc)}`).join(''));
  return path;
}

/** Violation lines: `<file>: <Kind>/<namespace>/<name>: <reason>: <detail>`. */
function violations(run: Run): string[] {
  return run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('psa-check: '));
}

function summary(run: Run): string | undefined {
  return run.stdout.trimEnd().split('\n').at(-1);
}

/** A Deployment that meets the "restricted" Pod Security Standard. */
function hardenedDeployment(name = 'web') {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'app',
              image: 'registry.example/web:1.0.0',
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };
}

type Deployment = ReturnType<typeof hardenedDeployment>;

/** The hardened Deployment with one change applied, written to its own file. */
function variant(name: string, change: (d: Deployment) => void): string {
  const deployment = hardenedDeployment(name);
  change(deployment);
  return writeManifests(`${name}.yaml`, deployment);
}

/** Asserts that the file fails with exactly one violation, for the given check reason. */
function assertSingleViolation(file: string, name: string, reason: string, detail: RegExp) {
  const run = psaCheck(file);
  assert.equal(run.code, 1, `expected exit 1, got ${run.code}\n${run.stdout}${run.stderr}`);
  const lines = violations(run);
  assert.equal(lines.length, 1, `expected one violation:\n${run.stdout}`);
  const prefix = `${file}: Deployment/shop/${name}: ${reason}: `;
  assert.ok(lines[0]!.startsWith(prefix), `expected a line starting with '${prefix}', got:\n${lines[0]}`);
  assert.match(lines[0]!.slice(prefix.length), detail);
  assert.equal(summary(run), 'psa-check: 1 workloads checked, 1 violations');
}

test('psa-check: the binary is installed', () => {
  assert.ok(existsSync(toolPath('psa-check')));
});

test('psa-check: a hardened Deployment meets restricted', () => {
  const file = writeManifests('hardened.yaml', hardenedDeployment());
  const run = psaCheck('--level', 'restricted', '--version', 'latest', file);
  assert.equal(run.code, 0, `expected exit 0, got ${run.code}\n${run.stdout}${run.stderr}`);
  assert.deepEqual(violations(run), []);
  assert.equal(summary(run), 'psa-check: 1 workloads checked, 0 violations');
});

test('psa-check: without capabilities.drop ALL it fails with "unrestricted capabilities"', () => {
  const file = variant('no-drop', (d) => {
    delete (d.spec.template.spec.containers[0]!.securityContext as { capabilities?: unknown }).capabilities;
  });
  assertSingleViolation(file, 'no-drop', 'unrestricted capabilities', /container "app" must set securityContext\.capabilities\.drop=\["ALL"\]/);
});

test('psa-check: runAsUser 0 fails with "runAsUser=0"', () => {
  const file = variant('root-user', (d) => {
    d.spec.template.spec.securityContext.runAsUser = 0;
  });
  assertSingleViolation(file, 'root-user', 'runAsUser=0', /must not set runAsUser=0/);
});

test('psa-check: without a seccomp profile it fails with "seccompProfile"', () => {
  const file = variant('no-seccomp', (d) => {
    delete (d.spec.template.spec.securityContext as { seccompProfile?: unknown }).seccompProfile;
  });
  assertSingleViolation(file, 'no-seccomp', 'seccompProfile', /securityContext\.seccompProfile\.type to "RuntimeDefault" or "Localhost"/);
});

test('psa-check: every pod-bearing kind is checked, other kinds are ignored', () => {
  const podSpec = hardenedDeployment().spec.template.spec;
  const rootSpec = { ...podSpec, securityContext: { ...podSpec.securityContext, runAsUser: 0 } };
  const template = { metadata: { labels: { app: 'x' } }, spec: rootSpec };
  const file = writeManifests(
    'kinds.yaml',
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: rootSpec },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'sts', namespace: 'ns' }, spec: { serviceName: 'sts', selector: {}, template } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'ns' }, spec: { selector: {}, template } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'ns' }, spec: { selector: {}, template } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job', namespace: 'ns' }, spec: { template } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cron', namespace: 'ns' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'ns' }, spec: { ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { runAsUser: '0' } },
  );
  const run = psaCheck(file);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.deepEqual(
    violations(run).map((line) => line.split(': ').slice(1, 3).join(': ')),
    ['Pod/ns/p', 'StatefulSet/ns/sts', 'DaemonSet/ns/ds', 'ReplicaSet/ns/rs', 'Job/ns/job', 'CronJob/ns/cron'].map(
      (workload) => `${workload}: runAsUser=0`,
    ),
  );
  assert.equal(summary(run), 'psa-check: 6 workloads checked, 6 violations');
});

test('psa-check: an unparsable file exits 2', () => {
  const file = join(DIR, 'broken.yaml');
  writeFileSync(file, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: [broken}\n');
  const run = psaCheck(file);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /broken\.yaml: document 1:/);
});
