// The synthesized output against a real Kubernetes API server (etcd + kube-apiserver built by
// scripts/tools.d/20-kube-control-plane.sh, started by test/support/kube-api.ts): every object of
// jvn and of a generated 100-service system is accepted by `kubectl apply --server-side`, a
// second apply changes nothing, and every pod template meets PodSecurity "restricted" as the API
// server's own admission enforces it.
//
// There are no nodes and no controller-manager: Deployments, StatefulSets and DaemonSets are
// stored but never make Pods, and PodSecurity only warns about workload objects. So each pod
// template is also submitted as a Pod with a server-side dry run, where "enforce: restricted"
// (a label of every synthesized namespace) admits or refuses it; a privileged Pod proves that
// refusal happens.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { generateSystem } from '../../bench/generate.js';
import { jvn } from '../../examples/jvn/system.js';
import { startKubeApi, type KubeApi } from '../support/kube-api.js';
import { REPO_ROOT } from '../support/tools.js';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: any;
  items?: Obj[];
}

const NACK_CRDS = join(REPO_ROOT, 'test', 'fixtures', 'crds', 'nack-crds.yaml');
const WORK = mkdtempSync(join(tmpdir(), 'polyglot-kube-apply-'));
let api: KubeApi;

before(async () => {
  api = await startKubeApi();
});
after(async () => {
  await api?.stop();
  rmSync(WORK, { recursive: true, force: true });
});

const key = (o: Obj) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Every object of a YAML stream; `kind: List` is flattened (kubectl prints one for several objects). */
function objectsOf(yaml: string): Obj[] {
  return parseAllDocuments(yaml)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null)
    .flatMap((o) => (o.kind === 'List' ? (o.items ?? []) : [o]));
}

function kubectl(args: string[], input?: string) {
  const run = api.kubectl(args, input);
  assert.equal(run.code, 0, `kubectl ${args.join(' ')} failed:\n${run.stderr}`);
  return run;
}

/** Writes the system's output to a folder of its own, as `polyglot synth` would. */
function writeOutput(name: string, files: ReadonlyMap<string, string>): { dir: string; objects: Obj[] } {
  const dir = join(WORK, name);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const objects = [...files].filter(([path]) => path.endsWith('.k8s.yaml')).flatMap(([, content]) => objectsOf(content));
  return { dir, objects };
}

/** The pod a workload's template would make, with StatefulSet claims as emptyDirs (no storage here). */
function podOf(workload: Obj): Obj {
  const template = workload.spec.template;
  const claims: Obj[] = workload.spec.volumeClaimTemplates ?? [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${workload.metadata.name}-probe`, namespace: workload.metadata.namespace, labels: template.metadata?.labels },
    spec: { ...template.spec, volumes: [...(template.spec.volumes ?? []), ...claims.map((c) => ({ name: c.metadata.name, emptyDir: {} }))] },
  };
}

test('the NACK CRDs are established first', () => {
  kubectl(['apply', '--server-side', '-f', NACK_CRDS]);
  kubectl(['wait', '--for=condition=Established', '--timeout=120s', 'crd', 'streams.jetstream.nats.io', 'consumers.jetstream.nats.io']);
});

const systems = [
  { name: 'jvn', files: () => jvn().files() },
  { name: 'generated 100-service system', files: () => generateSystem({ services: 100, name: 'gen' }).system.files() },
];

for (const system of systems) {
  test(`${system.name}: every object is accepted by kubectl apply --server-side, a second apply is a no-op, and every pod template passes PodSecurity "restricted"`, () => {
    const { dir, objects } = writeOutput(system.name.replace(/\W+/g, '-'), system.files());
    assert.ok(objects.length > 0);

    // 1. The kustomization, as a user applies it (kubectl orders Namespaces first).
    const first = kubectl(['apply', '--server-side', '--field-manager=polyglot', '-k', dir, '-o', 'yaml']);
    const applied = objectsOf(first.stdout);
    assert.deepEqual(applied.map(key).sort(), objects.map(key).sort(), 'every synthesized object, once');
    assert.doesNotMatch(first.stderr, /would violate PodSecurity/, 'PodSecurity warned about a workload');
    console.log(`# ${system.name}: ${applied.length} objects accepted (${[...new Set(applied.map((o) => o.kind))].length} kinds)`);

    // 2. The same again: server-side apply of identical objects stores nothing new.
    const second = objectsOf(kubectl(['apply', '--server-side', '--field-manager=polyglot', '-k', dir, '-o', 'yaml']).stdout);
    const versions = (list: Obj[]) => Object.fromEntries(list.map((o) => [key(o), o.metadata.resourceVersion]));
    assert.deepEqual(versions(second), versions(applied), 'a second apply changed an object');

    // 3. Each pod template as a Pod, admitted (dry run) in its namespace's "enforce: restricted".
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    for (const ns of namespaces) assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted', key(ns));
    // No controller-manager makes the `default` ServiceAccount the ServiceAccount admission wants.
    const serviceAccounts = namespaces.map((ns) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns.metadata.name } }));
    kubectl(['apply', '--server-side', '--field-manager=test-controller-stand-in', '-f', '-'], stringify({ apiVersion: 'v1', kind: 'List', items: serviceAccounts }));
    const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
    assert.ok(workloads.length > 0);
    const pods = workloads.map(podOf);
    const dryRun = api.kubectl(['create', '--dry-run=server', '-o', 'name', '-f', '-'], stringify({ apiVersion: 'v1', kind: 'List', items: pods }));
    assert.equal(dryRun.code, 0, `a pod template was refused:\n${dryRun.stderr}`);
    assert.equal(dryRun.stdout.trim().split('\n').length, pods.length, dryRun.stdout);
    console.log(`# ${system.name}: ${pods.length} pod templates admitted as Pods under "restricted"`);
  });
}

test('a privileged Pod is refused in a synthesized namespace (enforcement is on, not just warnings)', () => {
  const namespace = 'jvn-identity';
  // Without its `default` ServiceAccount the Pod would be refused for that, before PodSecurity.
  kubectl(['apply', '--server-side', '--field-manager=test-controller-stand-in', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }));
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'privileged', namespace },
    spec: { containers: [{ name: 'c', image: 'registry.example/x:1', securityContext: { privileged: true } }] },
  };
  const run = api.kubectl(['create', '--dry-run=server', '-f', '-'], JSON.stringify(pod));
  assert.notEqual(run.code, 0, 'the privileged pod was admitted');
  assert.match(run.stderr, /violates PodSecurity "restricted:v1\.28": .*privileged/);
  // Not privileged, only unhardened (what "baseline" allows): refused by "restricted" too.
  const plain = { ...pod, metadata: { name: 'unhardened', namespace }, spec: { containers: [{ name: 'c', image: 'registry.example/x:1' }] } };
  const second = api.kubectl(['create', '--dry-run=server', '-f', '-'], JSON.stringify(plain));
  assert.notEqual(second.code, 0, 'the unhardened pod was admitted');
  assert.match(second.stderr, /violates PodSecurity "restricted:v1\.28": allowPrivilegeEscalation != false/);
});

test('the objects are stored as synthesized: a Deployment read back keeps its hardened pod template', () => {
  const deployment = JSON.parse(kubectl(['get', 'deployment', '-n', 'jvn-identity', 'identity', '-o', 'json']).stdout) as Obj;
  const synthesized = objectsOf(readFileSync(join(WORK, 'jvn', 'jvn-identity.k8s.yaml'), 'utf8')).find((o) => key(o) === 'Deployment jvn-identity/identity')!;
  assert.deepEqual(deployment.spec.template.spec.securityContext, synthesized.spec.template.spec.securityContext);
  assert.equal(deployment.spec.template.spec.containers[0].image, synthesized.spec.template.spec.containers[0].image);
});
