// Proves that every external tool installed by scripts/install-tools.sh really works, including
// that the validators REJECT bad input (a validator that accepts everything proves nothing).
// A missing tool fails these tests (toolPath throws); nothing is skipped.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { runKubeconform, runKubeLinter, runTool, toolPath } from './support/tools.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'polyglot-tools-test-'));
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function fixture(name: string, content: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

// A Deployment hardened the way the project emits them (PSS "restricted" + resources + probes).
const deployment = (extraSpec = '', replicas = '2'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
  labels:
    app.kubernetes.io/name: orders
spec:
  replicas: ${replicas}${extraSpec}
  selector:
    matchLabels:
      app.kubernetes.io/name: orders
  template:
    metadata:
      labels:
        app.kubernetes.io/name: orders
    spec:
      automountServiceAccountToken: false
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    app.kubernetes.io/name: orders
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: orders
          image: registry.example.com/shop/orders:1.4.2
          ports:
            - name: http
              containerPort: 8080
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: "1", memory: 256Mi }
          readinessProbe:
            httpGet: { path: /ready, port: http }
          livenessProbe:
            httpGet: { path: /healthz, port: http }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: orders
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: orders
  ports:
    - name: http
      port: 80
      targetPort: http
`;

const stream = (extra = ''): string => `apiVersion: jetstream.nats.io/v1beta2
kind: Stream
metadata:
  name: orders
  namespace: shop
spec:
  name: ORDERS
  subjects: ["orders.>"]
  storage: file
  retention: limits
  replicas: 3${extra}
`;

const consumer = `apiVersion: jetstream.nats.io/v1beta2
kind: Consumer
metadata:
  name: orders-billing
  namespace: shop
spec:
  streamName: ORDERS
  durableName: billing
  ackPolicy: explicit
  deliverPolicy: all
  filterSubject: orders.created
`;

describe('nats-server', () => {
  test('--version reports v2.11', async () => {
    const { code, stdout, stderr } = await runTool('nats-server', ['--version']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /v2\.11\.\d+/);
  });
});

describe('kubeconform (strict, default Kubernetes version + NACK CRDs)', () => {
  test('accepts a valid Deployment and Service', async () => {
    const result = await runKubeconform([
      await fixture('deployment.yaml', deployment()),
      await fixture('service.yaml', service),
    ]);
    assert.ok(result.ok, result.output);
    assert.equal(result.summary.valid, 2, result.output);
  });

  test('rejects a Deployment with an unknown field (strict)', async () => {
    const result = await runKubeconform([
      await fixture('deployment-unknown-field.yaml', deployment('\n  replicaz: 3')),
    ]);
    assert.equal(result.ok, false, result.output);
    assert.equal(result.summary.invalid, 1, result.output);
    assert.match(result.output, /replicaz/);
  });

  test('rejects a Deployment with a wrongly typed field', async () => {
    const result = await runKubeconform([
      await fixture('deployment-wrong-type.yaml', deployment('', '"two"')),
    ]);
    assert.equal(result.ok, false, result.output);
    assert.equal(result.summary.invalid, 1, result.output);
    assert.match(result.output, /replicas/);
  });

  test('fails on a kind it has no schema for (never skips silently)', async () => {
    const result = await runKubeconform([
      await fixture('unknown-kind.yaml', 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: x\n'),
    ]);
    assert.equal(result.ok, false, result.output);
    assert.equal(result.summary.errors, 1, result.output);
  });

  test('accepts a valid jetstream.nats.io/v1beta2 Stream and Consumer', async () => {
    const result = await runKubeconform([
      await fixture('stream.yaml', stream()),
      await fixture('consumer.yaml', consumer),
    ]);
    assert.ok(result.ok, result.output);
    assert.equal(result.summary.valid, 2, result.output);
  });

  test('rejects a Stream with an unknown field', async () => {
    const result = await runKubeconform([await fixture('stream-unknown.yaml', stream('\n  maxAgee: 1h'))]);
    assert.equal(result.ok, false, result.output);
    assert.match(result.output, /maxAgee/);
  });

  test('rejects a Stream with an invalid enum value', async () => {
    const result = await runKubeconform([
      await fixture('stream-bad-storage.yaml', stream().replace('storage: file', 'storage: disk')),
    ]);
    assert.equal(result.ok, false, result.output);
    assert.match(result.output, /storage/);
  });
});

describe('kube-linter', () => {
  test('passes a hardened Deployment + Service', async () => {
    const file = await fixture('lint-good.yaml', `${deployment()}---\n${service}`);
    const result = await runKubeLinter([file]);
    assert.deepEqual(
      result.reports.map((r) => `${r.check}: ${r.message}`),
      [],
      result.output,
    );
    assert.ok(result.ok, result.output);
  });

  test('reports a privileged, root, unbounded container', async () => {
    const bad = deployment()
      .replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true\n            privileged: true')
      .replace(/ {10}resources:\n.*\n.*\n/, '');
    const result = await runKubeLinter([await fixture('lint-bad.yaml', bad)]);
    assert.equal(result.ok, false, result.output);
    const checks = new Set(result.reports.map((r) => r.check));
    for (const check of ['privileged-container', 'privilege-escalation-container', 'unset-cpu-requirements']) {
      assert.ok(checks.has(check), `expected ${check} in ${[...checks].join(', ')}`);
    }
  });
});

describe('otelcol-polyglot', () => {
  const goodConfig = (): string => `extensions:
  health_check:
    endpoint: 0.0.0.0:13133
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
      http:
        endpoint: 0.0.0.0:4318
processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
    spike_limit_percentage: 20
  k8sattributes:
    auth_type: serviceAccount
    extract:
      metadata: [k8s.namespace.name, k8s.pod.name, k8s.deployment.name, k8s.node.name]
    pod_association:
      - sources:
          - from: resource_attribute
            name: k8s.pod.ip
  resourcedetection:
    detectors: [env, system]
    timeout: 2s
    override: false
  tail_sampling:
    decision_wait: 10s
    policies:
      - name: errors
        type: status_code
        status_code:
          status_codes: [ERROR]
      - name: share
        type: probabilistic
        probabilistic:
          sampling_percentage: 10
  probabilistic_sampler:
    sampling_percentage: 25
  batch:
    timeout: 5s
exporters:
  otlp:
    endpoint: otel-gateway.observability:4317
    tls:
      insecure: true
  otlphttp:
    endpoint: http://backend.observability:4318
  debug:
    verbosity: basic
  file:
    path: ${join(dir, 'otel-out.json')}
  loadbalancing:
    routing_key: traceID
    protocol:
      otlp:
        tls:
          insecure: true
    resolver:
      dns:
        hostname: otel-gateway-headless.observability.svc.cluster.local
        port: "4317"
service:
  extensions: [health_check]
  pipelines:
    traces/agent:
      receivers: [otlp]
      processors: [memory_limiter, k8sattributes, resourcedetection, batch]
      exporters: [loadbalancing]
    traces/gateway:
      receivers: [otlp]
      processors: [memory_limiter, tail_sampling, batch]
      exporters: [otlp, debug]
    logs:
      receivers: [otlp]
      processors: [memory_limiter, probabilistic_sampler, batch]
      exporters: [otlphttp, file]
    metrics:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlphttp]
`;

  test('components lists every component the project configures', async () => {
    const { code, stdout, stderr } = await runTool('otelcol', ['components']);
    assert.equal(code, 0, stderr);
    // Since v0.15x the canonical type names are snake_case (k8s_attributes, otlp_grpc…); the
    // old names (k8sattributes, otlp, otlphttp, loadbalancing…) are still accepted in configs.
    for (const name of [
      'otlp',
      'memory_limiter',
      'batch',
      'k8s_attributes',
      'resource_detection',
      'tail_sampling',
      'probabilistic_sampler',
      'otlp_grpc',
      'otlp_http',
      'debug',
      'file',
      'load_balancing',
      'health_check',
    ]) {
      assert.match(stdout, new RegExp(`name: ${name}\\b`), `component ${name} missing:\n${stdout}`);
    }
  });

  test('validate accepts a config using every component', async () => {
    const config = await fixture('otelcol-good.yaml', goodConfig());
    const { code, stdout, stderr } = await runTool('otelcol', ['validate', `--config=${config}`]);
    assert.equal(code, 0, `${stdout}${stderr}`);
  });

  test('validate accepts the canonical snake_case type names too', async () => {
    const renamed = goodConfig()
      .replace(/\bk8sattributes\b/g, 'k8s_attributes')
      .replace(/\bresourcedetection\b/g, 'resource_detection')
      .replace(/\bloadbalancing\b/g, 'load_balancing')
      .replace(/\botlphttp\b/g, 'otlp_http')
      .replace('exporters:\n  otlp:\n', 'exporters:\n  otlp_grpc:\n')
      .replace('exporters: [otlp, debug]', 'exporters: [otlp_grpc, debug]');
    assert.match(renamed, /otlp_grpc:[\s\S]*load_balancing:/);
    const config = await fixture('otelcol-good-snake.yaml', renamed);
    const { code, stdout, stderr } = await runTool('otelcol', ['validate', `--config=${config}`]);
    assert.equal(code, 0, `${stdout}${stderr}`);
  });

  test('validate rejects an unknown component', async () => {
    const config = await fixture(
      'otelcol-unknown.yaml',
      goodConfig().replace('  batch:\n    timeout: 5s\n', '  batch:\n    timeout: 5s\n  spanmangler:\n    level: 3\n'),
    );
    const { code, stdout, stderr } = await runTool('otelcol', ['validate', `--config=${config}`]);
    assert.notEqual(code, 0, `validate accepted an unknown component:\n${stdout}${stderr}`);
    assert.match(`${stdout}${stderr}`, /spanmangler/);
  });

  test('validate rejects an unknown key in a known component', async () => {
    const config = await fixture(
      'otelcol-unknown-key.yaml',
      goodConfig().replace('    timeout: 5s\n', '    timeout: 5s\n    flush_everything: true\n'),
    );
    const { code, stdout, stderr } = await runTool('otelcol', ['validate', `--config=${config}`]);
    assert.notEqual(code, 0, `validate accepted an unknown key:\n${stdout}${stderr}`);
    assert.match(`${stdout}${stderr}`, /flush_everything/);
  });
});

describe('buf', () => {
  test('--version runs', async () => {
    assert.ok(toolPath('buf'));
    const { code, stdout, stderr } = await runTool('buf', ['--version']);
    assert.equal(code, 0, stderr);
    assert.match(stdout.trim(), /^1\.\d+\.\d+/);
  });
});

describe('toolPath', () => {
  test('names every tool and points at an executable', () => {
    for (const name of ['nats-server', 'kubeconform', 'kube-linter', 'otelcol', 'buf'] as const) {
      assert.ok(toolPath(name).startsWith('/'), name);
    }
  });
});
