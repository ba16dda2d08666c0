// `pulumi up` for real: the Pulumi CLI and its Kubernetes provider (built from source by
// scripts/tools.d/30-pulumi.sh) deploy jvn through generator-polyglot/pulumi (examples/jvn/
// deployment.ts, what `pulumi up` in examples/jvn runs) to a real kube-apiserver with etcd
// (test/support/kube-api.ts). The Automation API runs the program inline, in this process: no
// Node.js language host binary is involved. State, PULUMI_HOME and the project live in one
// mkdtemp folder (file backend); nothing reaches the network (no update check, no plugin
// download: the provider is found on PATH, in .tools/bin).
//
// Proven: every synthesized object (and every generated Secret) is in the API server after `up`;
// a second `up` changes nothing; a stack config change updates exactly the objects whose
// synthesized form it changes; the Secrets' values are in the state only encrypted; `destroy`
// leaves none of the objects.
//
// No nodes, no controller-manager (see kube-api.ts), so two things differ from a real cluster, and
// both are set here, in the test's program, never in the shipped component (a real cluster must
// wait for readiness, and may keep the defaults):
//   - `pulumi.com/skipAwait: "true"`: the provider would otherwise wait for Deployments,
//     StatefulSets and DaemonSets to become ready, and with no nodes none ever does;
//   - `pulumi.com/deletionPropagationPolicy: background`: the provider deletes in the foreground
//     by default, which leaves a finalizer only the garbage collector (a controller) removes.
// And a deleted Namespace waits in Terminating for the namespace controller to finalize it: once
// it holds none of the objects any more, the test does that controller's one step itself.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import * as pulumi from '@pulumi/pulumi';
import { deployPlan, parseDeploySettings, type DeployPlan, type KubeObject } from 'generator-polyglot/pulumi';
import { jvnDeployment, jvnSystem } from '../../examples/jvn/deployment.js';
import { startKubeApi, type KubeApi } from '../support/kube-api.js';
import { REPO_ROOT, TOOLS_DIR } from '../support/tools.js';

const { LocalWorkspace, PulumiCommand } = pulumi.automation;
type Stack = pulumi.automation.Stack;
type EngineEvent = pulumi.automation.EngineEvent;

const INSTALL = 'scripts/tools.d/30-pulumi.sh (run `npm run tools`, i.e. scripts/install-tools.sh)';
const NACK_CRDS = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'crds', 'nack-crds.yaml'), 'utf8');
/** A test passphrase: it encrypts the Secrets' values in the file backend's state. */
const PASSPHRASE = 'polyglot-test-passphrase';
/** Guards against a hang (a provider waiting on something that cannot happen here), not a speed check. */
const STEP_TIMEOUT = 20 * 60_000;

let api: KubeApi;
let work: string;
let stack: Stack;
/** Everything the CLI printed, over all operations. */
const printed: string[] = [];

/** The objects the plan deploys: CRDs, synthesized objects and generated Secrets, as `Kind ns/name`. */
interface Expected {
  plan: DeployPlan;
  objects: KubeObject[];
  keys: string[];
}

const keyOf = (kind: string, metadata: { namespace?: string; name: string }) => `${kind} ${metadata.namespace ?? ''}/${metadata.name}`;

function expected(settings: unknown = {}): Expected {
  const plan = deployPlan(jvnSystem(parseDeploySettings(settings)), NACK_CRDS);
  const secrets: KubeObject[] = plan.generatedSecrets.map((s) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: s.name, namespace: s.namespace } }));
  const objects = [...plan.foundation, ...plan.platform, ...plan.domains, ...secrets];
  return { plan, objects, keys: objects.map((o) => keyOf(o.kind, o.metadata)).sort() };
}

/** The binary, or a failure that names the script that installs it (never a skip). */
function tool(name: string): string {
  const path = join(TOOLS_DIR, 'bin', name);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${name} is not installed (expected at ${path}): it is built by ${INSTALL}`);
  }
  return path;
}

const execFileAsync = promisify(execFile);
/** kubectl against the test API server, without blocking the event loop (the Automation API's servers run in it). */
async function kubectl(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('kubectl', ['--kubeconfig', api.kubeconfig, '--cache-dir', join(api.dir, 'kube-cache'), ...args], { maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== 'number') throw new Error(`could not run kubectl ${args.join(' ')}: ${e.message}`);
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** `Deployment.v1.apps`, `Namespace`, `Stream.v1beta2.jetstream.nats.io`: one kind, unambiguous. */
function typeArg(object: { apiVersion: string; kind: string }): string {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return group ? `${object.kind}.${version}.${group}` : object.kind;
}

interface Stored {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: any;
}

/** Every object of these objects' kinds in the API server (a kind the server no longer knows has none). */
async function stored(objects: readonly { apiVersion: string; kind: string }[]): Promise<Stored[]> {
  const kinds = [...new Set(objects.map(typeArg))].sort();
  const lists = await Promise.all(
    kinds.map(async (kind) => {
      const run = await kubectl(['get', kind, '--all-namespaces', '-o', 'json']);
      // After destroy the CRDs are gone, and with them the kinds they defined.
      if (run.code !== 0 && /the server doesn't have a resource type|the server could not find the requested resource/.test(run.stderr)) return [];
      assert.equal(run.code, 0, `kubectl get ${kind} failed:\n${run.stderr}`);
      return (JSON.parse(run.stdout) as { items: Stored[] }).items;
    }),
  );
  return lists.flat();
}

/** The custom resources an operation touched, by `Kind ns/name`, with the steps it took for each
 * (one, or for a replacement `create-replacement`, `replace` and `delete-replaced`). */
function opsOf(events: readonly EngineEvent[]): Map<string, string> {
  const ops = new Map<string, Set<string>>();
  for (const event of events) {
    const metadata = event.resOutputsEvent?.metadata;
    if (!metadata || !metadata.type.startsWith('kubernetes:') || metadata.type.startsWith('kubernetes:yaml:')) continue;
    const name = metadata.urn.slice(metadata.urn.lastIndexOf('::') + 2);
    const kind = metadata.type.slice(metadata.type.lastIndexOf(':') + 1);
    const key = name.includes('/') ? `${kind} ${name}` : `${kind} /${name}`;
    ops.set(key, new Set([...(ops.get(key) ?? []), metadata.op]));
  }
  return new Map([...ops].map(([key, steps]) => [key, [...steps].sort().join('+')]));
}

/**
 * The test program's transformation (see the top of the file): no await for readiness and
 * background deletion, because no controller or node ever acts on these objects here.
 */
function noNodesHere(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined {
  if (!args.type.startsWith('kubernetes:') || args.type.startsWith('kubernetes:yaml:')) return undefined;
  const props = args.props as { metadata?: { annotations?: Record<string, string> } };
  if (!props.metadata) return undefined;
  const annotations = { ...props.metadata.annotations, 'pulumi.com/skipAwait': 'true', 'pulumi.com/deletionPropagationPolicy': 'background' };
  return { props: { ...props, metadata: { ...props.metadata, annotations } }, opts: args.opts };
}

async function program(): Promise<Record<string, unknown>> {
  pulumi.runtime.registerStackTransformation(noNodesHere);
  const deployment = jvnDeployment({ crds: NACK_CRDS });
  return { namespaces: deployment.plan.foundation.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name) };
}

/** Runs `pulumi up`; returns the engine's events, the summary and everything the CLI printed. */
async function up(): Promise<{ events: EngineEvent[]; changes: Record<string, number>; output: string; seconds: number }> {
  const events: EngineEvent[] = [];
  let output = '';
  const started = performance.now();
  const result = await stack.up({ onEvent: (e) => events.push(e), onOutput: (s) => (output += s), onError: (s) => (output += s) });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  assert.equal(result.summary.result, 'succeeded', output);
  printed.push(output, result.stdout, result.stderr);
  return { events, changes: { ...result.summary.resourceChanges } as Record<string, number>, output: output + result.stdout + result.stderr, seconds };
}

before(async () => {
  const cli = tool('pulumi');
  tool('pulumi-resource-kubernetes');
  api = await startKubeApi();
  work = mkdtempSync(join(tmpdir(), 'polyglot-pulumi-up-'));
  const home = join(work, 'home');
  const state = join(work, 'state');
  const project = join(work, 'project');
  const scratch = join(work, 'tmp');
  for (const dir of [home, state, project, scratch]) mkdirSync(dir);
  const backend = `file://${state}`;
  // The CLI in .tools/bin; the Automation API puts its folder first on the CLI's PATH, which is
  // where the engine finds pulumi-resource-kubernetes.
  const pulumiCommand = await PulumiCommand.get({ root: TOOLS_DIR });
  assert.equal(pulumiCommand.command, cli);
  stack = await LocalWorkspace.createOrSelectStack(
    { stackName: 'test', projectName: 'jvn', program },
    {
      workDir: project,
      pulumiHome: home,
      pulumiCommand,
      projectSettings: { name: 'jvn', runtime: 'nodejs', backend: { url: backend } },
      envVars: {
        PULUMI_BACKEND_URL: backend,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
        // The provider reads the kubeconfig from the stack config below, never from the user's.
        KUBECONFIG: join(work, 'no-kubeconfig'),
        // The provider writes the kubeconfig it was given to a temp file for each run and leaves
        // it there: it goes into this test's folder, not the machine's temp root.
        TMPDIR: scratch,
      },
    },
  );
  await stack.setConfig('kubernetes:kubeconfig', { value: api.kubeconfig });
});

after(async () => {
  await api?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const jvn = expected();

test('the CLI and the provider are the versions the npm packages pair with', async () => {
  const script = readFileSync(join(REPO_ROOT, 'scripts', 'tools.d', '30-pulumi.sh'), 'utf8');
  const pin = (name: string) => new RegExp(`^${name}=v?(\\S+)`, 'm').exec(script)?.[1];
  const installed = (name: string) => (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')) as { version: string }).version;
  const devDependencies = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
  assert.equal(pin('PULUMI_VERSION'), installed('@pulumi/pulumi'));
  assert.equal(pin('PULUMI_VERSION'), devDependencies['@pulumi/pulumi']);
  assert.equal(pin('PULUMI_KUBERNETES_VERSION'), installed('@pulumi/kubernetes'));
  assert.equal(pin('PULUMI_KUBERNETES_VERSION'), devDependencies['@pulumi/kubernetes']);
  const { stdout } = await execFileAsync(tool('pulumi'), ['version'], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true', PULUMI_HOME: join(work, 'home') } });
  assert.equal(stdout.trim(), `v${installed('@pulumi/pulumi')}`);
});

test('pulumi up deploys every object of jvn, and every generated Secret, to the API server', { timeout: STEP_TIMEOUT }, async () => {
  const run = await up();
  const ops = opsOf(run.events);
  assert.deepEqual([...ops.keys()].sort(), jvn.keys, 'one resource per object, no more');
  assert.deepEqual(new Set(ops.values()), new Set(['create']));
  const inServer = new Set((await stored(jvn.objects)).map((o) => keyOf(o.kind, o.metadata)));
  const missing = jvn.keys.filter((key) => !inServer.has(key));
  assert.deepEqual(missing, [], 'objects the API server does not have');
  console.log(
    `# up: ${jvn.keys.length} objects in the API server (${jvn.plan.foundation.length} foundation incl. ${jvn.plan.foundation.filter((o) => o.kind === 'CustomResourceDefinition').length} CRDs, ` +
      `${jvn.plan.platform.length} platform, ${jvn.plan.domains.length} domains, ${jvn.plan.generatedSecrets.length} generated Secrets), ${run.seconds}s; summary ${JSON.stringify(run.changes)}`,
  );
});

test('a second pulumi up changes nothing', { timeout: STEP_TIMEOUT }, async () => {
  const run = await up();
  assert.deepEqual(Object.keys(run.changes), ['same'], `summary: ${JSON.stringify(run.changes)}`);
  assert.deepEqual(new Set(opsOf(run.events).values()), new Set(['same']));
  console.log(`# second up: ${JSON.stringify(run.changes)}, ${run.seconds}s`);
});

test('a stack config change (one image tag) updates exactly the objects whose synthesized form it changes', { timeout: STEP_TIMEOUT }, async () => {
  const settings = { imageTags: { identity: '1.0.1' } };
  const changed = expected(settings);
  const json = (e: Expected) => new Map(e.objects.map((o) => [keyOf(o.kind, o.metadata), JSON.stringify(o)]));
  const [was, is] = [json(jvn), json(changed)];
  assert.deepEqual([...is.keys()].sort(), [...was.keys()].sort(), 'the change adds or removes no object');
  const differ = [...is.keys()].filter((key) => is.get(key) !== was.get(key)).sort();
  assert.ok(differ.includes('Deployment jvn-identity/identity'), `the plans differ in ${differ.join(', ')}`);

  await stack.setConfig('polyglot:imageTags', { value: JSON.stringify(settings.imageTags) });
  const run = await up();
  const ops = opsOf(run.events);
  const touched = [...ops].filter(([, op]) => op !== 'same');
  assert.deepEqual(touched.map(([key]) => key).sort(), differ, 'updated resources');
  // In place, but for ConfigMaps: the provider replaces a ConfigMap whose data changes (its
  // default, `enableConfigMapMutable: false`), so that the pods reading it restart.
  for (const [key, op] of touched) assert.match(op, key.startsWith('ConfigMap ') ? /(^|\+)create-replacement(\+|$)/ : /^update$/, key);
  const replaced = touched.filter(([key]) => key.startsWith('ConfigMap ')).length;
  // The summary counts components too: the ConfigGroup holding a replaced object records its new
  // child (an update of the component's outputs, nothing in the cluster).
  const components = run.events
    .map((e) => e.resOutputsEvent?.metadata)
    .filter((m) => m && m.op === 'update' && !(m.type.startsWith('kubernetes:') && !m.type.startsWith('kubernetes:yaml:')))
    .map((m) => `${m!.type} ${m!.urn.slice(m!.urn.lastIndexOf('::') + 2)}`);
  assert.deepEqual(run.changes, { same: run.changes.same, update: differ.length - replaced + components.length, ...(replaced > 0 && { replace: replaced }) });
  assert.ok(components.every((c) => /^(kubernetes:yaml:ConfigGroup|polyglot:index:SystemDeployment|pulumi:pulumi:Stack) /.test(c)), components.join(', '));

  const deployment = (await stored(changed.objects)).find((o) => keyOf(o.kind, o.metadata) === 'Deployment jvn-identity/identity')!;
  assert.equal(deployment.spec.template.spec.containers[0].image, 'registry.jvn.example/jvn/identity:1.0.1');
  console.log(`# config change: ${JSON.stringify(run.changes)}; changed: ${touched.map(([key, op]) => `${key} (${op})`).join(', ')}; components: ${components.join(', ')}; ${run.seconds}s`);
});

test('the generated Secrets are in the state only encrypted: no value in any file of the backend, PULUMI_HOME or the output', { timeout: STEP_TIMEOUT }, async () => {
  const secrets = (await stored(jvn.objects)).filter((o) => o.kind === 'Secret' && jvn.plan.generatedSecrets.some((s) => s.name === o.metadata.name && s.namespace === o.metadata.namespace));
  assert.equal(secrets.length, jvn.plan.generatedSecrets.length);
  const values = secrets.flatMap((s) => Object.values(s.data ?? {}).map((b64) => ({ b64, plain: Buffer.from(b64, 'base64').toString('utf8') })));
  assert.ok(values.length > 0 && values.every((v) => /^[0-9a-f]{64}$/.test(v.plain)), 'random 256-bit values');
  assert.ok(secrets.some((s) => s.metadata.namespace === 'jvn-nats'), 'the NATS users are among them');

  const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const everything = files(work);
  const state = everything.filter((f) => /\.pulumi\/stacks\/jvn\/test\.json$/.test(f));
  assert.equal(state.length, 1, `the stack's state file among ${everything.length} files`);
  for (const file of everything) {
    const text = readFileSync(file, 'latin1');
    for (const value of values) {
      assert.ok(!text.includes(value.plain) && !text.includes(value.b64), `${file} holds a Secret's value`);
    }
  }
  const cli = printed.join('\n');
  assert.ok(cli.length > 0);
  for (const value of values) assert.ok(!cli.includes(value.plain) && !cli.includes(value.b64), 'the CLI printed a Secret\'s value');
  // The Secret resources' values are there, as ciphertext.
  const deployment = JSON.parse(readFileSync(state[0]!, 'utf8')) as { checkpoint: { latest: { resources: { type: string; outputs?: Record<string, any> }[] } } };
  const secretResources = deployment.checkpoint.latest.resources.filter((r) => r.type === 'kubernetes:core/v1:Secret');
  assert.equal(secretResources.length, jvn.plan.generatedSecrets.length);
  for (const r of secretResources) assert.equal(typeof r.outputs?.data?.ciphertext, 'string', 'data is a Pulumi secret in the state');
  console.log(`# ${values.length} secret values in ${secrets.length} Secrets, none in plaintext or base64 in ${everything.length} files`);
});

test('pulumi destroy removes everything: none of the objects is left in the API server', { timeout: STEP_TIMEOUT }, async () => {
  const started = performance.now();
  const result = await stack.destroy();
  assert.equal(result.summary.result, 'succeeded');
  assert.deepEqual(Object.keys(result.summary.resourceChanges ?? {}), ['delete']);
  // What the namespace controller finishes after the provider deleted a Namespace (with skipAwait,
  // the provider does not wait for it): the emptied namespaces are finalized.
  const terminating = await finalizeEmptyNamespaces();
  const left = (await stored(jvn.objects)).map((o) => keyOf(o.kind, o.metadata)).filter((key) => jvn.keys.includes(key));
  assert.deepEqual(left, [], 'objects still in the API server');
  console.log(`# destroy: ${JSON.stringify(result.summary.resourceChanges)}, ${terminating} namespaces finalized, ${Math.round((performance.now() - started) / 100) / 10}s`);
});

/**
 * The namespace controller's last step, which nothing runs here: each of jvn's namespaces that is
 * Terminating and holds none of the deployed objects loses its `kubernetes` finalizer, and so
 * goes. A namespace that still holds one of them fails the test. Returns how many were finalized.
 */
async function finalizeEmptyNamespaces(): Promise<number> {
  const namespaces = new Set(jvn.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const all = await stored([...jvn.objects, { apiVersion: 'v1', kind: 'Namespace' }]);
  const holding = new Set(all.filter((o) => o.kind !== 'Namespace' && jvn.keys.includes(keyOf(o.kind, o.metadata))).map((o) => o.metadata.namespace));
  const terminating = all.filter((o) => o.kind === 'Namespace' && namespaces.has(o.metadata.name));
  for (const ns of terminating) {
    assert.ok(ns.metadata.deletionTimestamp, `namespace ${ns.metadata.name} was not deleted`);
    assert.ok(!holding.has(ns.metadata.name), `namespace ${ns.metadata.name} still holds deployed objects`);
    const body = JSON.stringify({ ...ns, spec: { ...ns.spec, finalizers: [] } });
    const run = await kubectlWithInput(['replace', '--raw', `/api/v1/namespaces/${ns.metadata.name}/finalize`, '-f', '-'], body);
    assert.equal(run.code, 0, `finalizing ${ns.metadata.name}: ${run.stderr}`);
  }
  return terminating.length;
}

function kubectlWithInput(args: readonly string[], input: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', ['--kubeconfig', api.kubeconfig, '--cache-dir', join(api.dir, 'kube-cache'), ...args], (error, _stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(new Error(`could not run kubectl ${args.join(' ')}: ${error.message}`));
      else resolve({ code: error ? (error.code as number) : 0, stderr });
    });
    child.stdin!.end(input);
  });
}
