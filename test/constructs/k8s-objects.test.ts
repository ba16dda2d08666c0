import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { App, Chart, JsonPatch, type ApiObject } from 'cdk8s';
import { k8s as generated } from 'cdk8s-plus-28';
import * as k8s from '../../constructs/kubernetes/k8s.js';

// polyglot writes its objects as plain JSON (constructs/kubernetes/k8s.ts); these tests hold it to
// the bytes cdk8s-plus-28's generated classes write for the same props.

const require = createRequire(import.meta.url);

test('the renamed-field table is every pair the installed cdk8s-plus-28 converters rename', () => {
  const source = readFileSync(require.resolve('cdk8s-plus-28/lib/imports/k8s.js'), 'utf8');
  const renames: Record<string, string> = {};
  for (const [, field, prop] of source.matchAll(/'([A-Za-z0-9$_-]+)': (?:\(\()?obj\.([A-Za-z0-9_]+)/g)) {
    if (field !== prop) renames[prop!] = field!;
  }
  // `$ref` and `$schema` are renamed only inside a CRD's JSONSchemaProps, which no kind polyglot
  // writes holds; elsewhere `schema` is a field of its own name (a CRD version's `schema`).
  assert.deepEqual([renames.ref, renames.schema], ['$ref', '$schema']);
  delete renames.ref;
  delete renames.schema;
  assert.deepEqual(k8s.API_FIELD_NAMES, Object.fromEntries(Object.entries(renames).sort(([a], [b]) => a.localeCompare(b))));
});

const labels = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'shop' };
const metadata = { name: 'api', labels, annotations: { 'z.example/b': '1', 'a.example/a': '2' } };
const probe = { httpGet: { path: '/healthz', port: generated.IntOrString.fromString('http') }, periodSeconds: 5 };
const container = (i: typeof generated.IntOrString | typeof k8s.IntOrString, q: typeof generated.Quantity | typeof k8s.Quantity) => ({
  name: 'api',
  image: 'registry.example/api:1',
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  env: [{ name: 'B', value: '2' }, { name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'EMPTY', value: undefined }],
  resources: { requests: { cpu: q.fromString('100m'), memory: q.fromString('128Mi') }, limits: { cpu: q.fromNumber(1), memory: q.fromString('256Mi') } },
  readinessProbe: { ...probe, httpGet: { path: '/ready', port: i.fromString('http') } },
  livenessProbe: { tcpSocket: { port: i.fromNumber(8080) } },
  securityContext: { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
});

/** Props of every kind polyglot writes, with the generated classes' IntOrString/Quantity or ours. */
function cases(i: typeof generated.IntOrString | typeof k8s.IntOrString, q: typeof generated.Quantity | typeof k8s.Quantity) {
  const selector = { matchLabels: labels };
  const template = { metadata: { labels }, spec: { containers: [container(i, q)], hostPid: false, setHostnameAsFqdn: false, nodeSelector: { clusterIp: 'kept as written' } } };
  return {
    KubeNamespace: { metadata },
    KubeServiceAccount: { metadata, automountServiceAccountToken: false },
    KubeConfigMap: { metadata, data: { 'service.json': '{}\n', clusterIp: 'a key of the user' } },
    KubeService: { metadata, spec: { clusterIp: 'None', selector: labels, ports: [{ name: 'grpc', port: 50051, targetPort: i.fromString('grpc') }] } },
    KubeDeployment: { metadata, spec: { replicas: 2, selector, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: i.fromString('25%'), maxUnavailable: i.fromNumber(0) } }, template } },
    KubeStatefulSet: { metadata, spec: { serviceName: 'api', selector, template, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: q.fromString('10Gi') } } } }] } },
    KubeDaemonSet: { metadata, spec: { selector, template } },
    KubePodDisruptionBudget: { metadata, spec: { selector, maxUnavailable: i.fromNumber(1) } },
    KubeHorizontalPodAutoscalerV2: { metadata, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 9, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } },
    KubeIngress: { metadata, spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }] } }], tls: [{ hosts: ['a.example'], secretName: 'tls' }] } },
    KubeNetworkPolicy: { metadata, spec: { podSelector: selector, policyTypes: ['Ingress', 'Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'TCP', port: i.fromNumber(5432), endPort: 5433 }] }] } },
    KubeClusterRole: { metadata, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, { nonResourceUrLs: ['/metrics'], verbs: ['get'] }] },
    KubeClusterRoleBinding: { metadata, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'api' }, subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }] },
  } as const;
}

test('every kind writes what the generated cdk8s-plus-28 class writes for the same props', () => {
  const theirs = new Chart(new App(), 'theirs', { namespace: 'shop', labels: { chart: 'label' } });
  const ours = new Chart(new App(), 'ours', { namespace: 'shop', labels: { chart: 'label' } });
  const expected = cases(generated.IntOrString, generated.Quantity);
  const actual = cases(k8s.IntOrString, k8s.Quantity);
  for (const kind of Object.keys(expected) as (keyof typeof expected)[]) {
    const Generated = generated[kind] as unknown as new (scope: Chart, id: string, props: unknown) => { toJson(): unknown; addJsonPatch(...ops: JsonPatch[]): void };
    const Ours = k8s[kind] as unknown as new (scope: Chart, id: string, props: unknown) => { toJson(): unknown; addJsonPatch(...ops: JsonPatch[]): void };
    const a = new Generated(theirs, kind, expected[kind]);
    const b = new Ours(ours, kind, actual[kind]);
    assert.equal(JSON.stringify(b.toJson()), JSON.stringify(a.toJson()), kind);
    for (const o of [a, b]) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'), JsonPatch.add('/metadata/annotations/added', 'yes'));
    assert.equal(JSON.stringify(b.toJson()), JSON.stringify(a.toJson()), `${kind} with JSON patches`);
    for (const o of [a, b] as unknown as ApiObject[]) {
      o.metadata.addLabel('added', 'later');
      o.metadata.addAnnotation('note', 'later');
      o.metadata.addFinalizers('example.com/keep');
      o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1' });
      o.metadata.add('generateName', 'x-');
    }
    assert.equal(JSON.stringify(b.toJson()), JSON.stringify(a.toJson()), `${kind} with metadata added after construction`);
  }
});

test("cdk8s-plus-28's own IntOrString and Quantity are written as their value too (extensions pass them)", () => {
  const chart = new Chart(new App(), 'c');
  const policy = new k8s.KubeNetworkPolicy(chart, 'p', {
    metadata: { name: 'p' },
    spec: { podSelector: {}, egress: [{ ports: [{ port: generated.IntOrString.fromNumber(5432) }, { port: generated.IntOrString.fromString('db') }] }] },
  });
  assert.deepEqual((policy.toJson() as { spec: unknown }).spec, { egress: [{ ports: [{ port: 5432 }, { port: 'db' }] }], podSelector: {} });
  const map = new k8s.KubeConfigMap(chart, 'm', { metadata: { name: 'm' }, data: { size: generated.Quantity.fromString('1Gi') as unknown as string } });
  assert.deepEqual((map.toJson() as { data: unknown }).data, { size: '1Gi' });
});

test('anything that is not plain data is refused, not written as {}', () => {
  const chart = new Chart(new App(), 'c');
  const object = new k8s.KubeConfigMap(chart, 'm', { metadata: { name: 'm' }, data: { when: new Date(0) as unknown as string } });
  assert.throws(() => object.toJson(), /cannot write a Date object/);
});
