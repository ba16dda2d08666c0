// What a user deploys: `kubectl kustomize` (the real kubectl, offline) renders the output's
// kustomization.yml into every object synth wrote, the spine and telemetry before the domains;
// secrets.json lists the Secrets the output needs and `polyglot secrets` fills them, never on disk.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { parseAllDocuments } from 'yaml';
import { natsPasswordHash } from '../../constructs/index.js';
import { JVN, polyglot, readTree, tempDir } from '../support/cli.js';

const scratch = tempDir('polyglot-deploy-');
after(() => rmSync(scratch, { recursive: true, force: true }));
const out = join(scratch, 'dist');
const synth = polyglot(['synth', JVN, '--outdir', out]);

test('kubectl kustomize renders every synthesized object, spine and telemetry first', () => {
  assert.equal(synth.code, 0, synth.stderr);
  const rendered = spawnSync('kubectl', ['kustomize', out], { encoding: 'utf8' });
  assert.equal(rendered.error, undefined, 'kubectl is on the machine (scripts/install-tools.sh checks it)');
  assert.equal(rendered.status, 0, rendered.stderr);
  const objects = parseAllDocuments(rendered.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } });
  const written = [...readTree(out)].filter(([path]) => path.endsWith('.k8s.yaml')).flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean));
  assert.equal(objects.length, written.length, 'one rendered object per synthesized object');
  const kustomization = readFileSync(join(out, 'kustomization.yml'), 'utf8');
  const resources = [...kustomization.matchAll(/^ {2}- (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(resources.slice(0, 2), ['jvn-nats.k8s.yaml', 'jvn-telemetry.k8s.yaml']);
  assert.deepEqual(resources.slice(2), ['billing', 'catalog', 'edge', 'identity', 'media', 'realtime'].map((d) => `jvn-${d}.k8s.yaml`));
  const firstNonNamespace = objects.findIndex((o) => o.kind !== 'Namespace');
  assert.ok(objects.slice(firstNonNamespace).every((o) => o.kind !== 'Namespace'), 'namespaces come first');
  assert.match(synth.stdout, /next:\n {2}1\. .*prerequisites.*\n {2}2\. polyglot secrets .* --apply.*\n {2}3\. kubectl apply -k /);
});

test('secrets.json lists the Secrets the manifests reference, with no values', () => {
  const plan = JSON.parse(readFileSync(join(out, 'secrets.json'), 'utf8')) as { secrets: { namespace: string; name: string; type: string; keys: Record<string, string> }[] };
  const manifests = [...readTree(out)].filter(([path]) => path.endsWith('.k8s.yaml')).map(([, text]) => text).join('\n');
  const referenced = new Set([...manifests.matchAll(/secretKeyRef:\n\s+key: \S+\n\s+name: (\S+)/g)].map((m) => m[1]));
  for (const name of referenced) assert.ok(plan.secrets.some((s) => s.name === name), `${name} is in secrets.json`);
  assert.ok(plan.secrets.some((s) => s.type === 'tls'), 'the Ingress TLS secret is listed as one to bring');
  assert.doesNotMatch(readFileSync(join(out, 'secrets.json'), 'utf8'), /[0-9a-f]{32}/, 'no values');
});

test('polyglot secrets prints fresh random Secrets whose shared values agree, and writes nothing', () => {
  const before = [...readTree(JVN).keys()].filter((p) => !p.startsWith('dist') && !p.startsWith('.dist'));
  const first = polyglot(['secrets', JVN]);
  const second = polyglot(['secrets', JVN]);
  assert.equal(first.code, 0, first.stderr);
  const secrets = parseAllDocuments(first.stdout).map((d) => d.toJS() as { metadata: { name: string; namespace: string }; stringData: Record<string, string> });
  const users = secrets.find((s) => s.metadata.name === 'nats-users')!;
  const identity = secrets.find((s) => s.metadata.name === 'identity-nats' && s.metadata.namespace === 'jvn-identity')!;
  assert.match(identity.stringData.password!, /^[0-9a-f]{64}$/);
  // nats-users holds the bcrypt hash of each service's password (quoted for nats-server), never the plaintext.
  const hash = users.stringData['identity-identity']!;
  assert.match(hash, /^"\$2b\$11\$[./A-Za-z0-9]{53}"$/);
  assert.ok(bcrypt.compareSync(identity.stringData.password!, hash.slice(1, -1)), "nats-users holds the hash of the service's password");
  assert.equal(hash, natsPasswordHash(identity.stringData.password!), 'one password, one hash: re-applying changes nothing');
  assert.doesNotMatch(JSON.stringify(users.stringData), new RegExp(identity.stringData.password!), 'no plaintext in nats-users');
  assert.match(secrets.find((s) => s.metadata.name === 'nats-route')!.stringData.password!, /^[0-9a-f]{64}$/, 'a URL-safe route password');
  assert.notEqual(first.stdout, second.stdout, 'fresh values every run');
  assert.match(first.stderr, /kubectl -n jvn-edge create secret tls/);
  // The datastores' credentials exist already: never made up, only the command to bring them.
  assert.match(first.stderr, /kubectl -n jvn-billing create secret generic billing-billing-db --from-literal=password=<password> --from-literal=username=<username>/);
  assert.ok(!secrets.some((s) => s.metadata.name === 'billing-billing-db'), 'no random value for a provided Secret');
  assert.deepEqual([...readTree(JVN).keys()].filter((p) => !p.startsWith('dist') && !p.startsWith('.dist')), before, 'nothing written');
});
