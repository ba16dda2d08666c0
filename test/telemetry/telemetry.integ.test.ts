import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { System } from '../../constructs/index.js';
import { tempDir } from '../support/cli.js';
import { smallSystem } from '../support/fixtures.js';
import { allObjects, find } from '../support/synth.js';
import { runTool, toolPath } from '../support/tools.js';

/** Runs the real collector's `validate` on a config; fails the test with its output. */
function validate(config: string, label: string) {
  const dir = tempDir('otel-');
  const file = join(dir, `${label}.yaml`);
  writeFileSync(file, config);
  // The agent DaemonSet sets K8S_NODE_NAME from spec.nodeName; validate checks it is set.
  const result = spawnSync(toolPath('otelcol'), ['validate', `--config=${file}`], { encoding: 'utf8', env: { ...process.env, K8S_NODE_NAME: 'node-a' }, timeout: 60_000 });
  assert.equal(result.status, 0, `${label} config rejected by the collector:\n${result.stderr}${result.stdout}`);
}

test('the real collector accepts the generated agent and gateway configs', async () => {
  const files = smallSystem().system.files();
  validate(files.get('otel/agent.yml')!, 'agent');
  validate(files.get('otel/gateway.yml')!, 'gateway');
});

test('the real collector accepts a gateway with user exporters', async () => {
  const system = new System({
    name: 'obs',
    telemetry: { exporters: [{ name: 'tempo', endpoint: 'tempo.observability.svc.cluster.local:4317', insecure: true }, { name: 'vendor', endpoint: 'otlp.vendor.example:443' }] },
  });
  const gateway = system.files().get('otel/gateway.yml')!;
  validate(gateway, 'gateway-exporters');
  const config = parse(gateway);
  assert.deepEqual(config.service.pipelines.traces.exporters, ['otlp/tempo', 'otlp/vendor']);
  assert.equal(config.exporters.debug, undefined, 'debug is only the default');
});

test('the real collector accepts per-signal routing: a traces-only exporter, one per signal, and a mix', () => {
  const cases: Record<string, NonNullable<ConstructorParameters<typeof System>[0]['telemetry']>> = {
    'traces-only': { exporters: [{ name: 'tempo', endpoint: 'tempo.observability.svc.cluster.local:4317', insecure: true, signals: ['traces'] }] },
    'one-per-signal': {
      exporters: [
        { name: 'tempo', endpoint: 'tempo:4317', signals: ['traces'] },
        { name: 'mimir', endpoint: 'mimir:4317', signals: ['metrics'] },
        { name: 'loki', endpoint: 'loki:4317', signals: ['logs'] },
      ],
    },
    'metrics-and-logs': { exporters: [{ name: 'vendor', endpoint: 'otlp.vendor.example:443', signals: ['metrics', 'logs'] }] },
  };
  for (const [label, telemetry] of Object.entries(cases)) {
    const files = new System({ name: 'obs', telemetry }).files();
    validate(files.get('otel/gateway.yml')!, `gateway-${label}`);
    validate(files.get('otel/agent.yml')!, `agent-${label}`);
  }
});

test('the collector rejects a broken config (the validate step can fail)', async () => {
  const dir = tempDir('otel-');
  const file = join(dir, 'bad.yaml');
  const config = parse(smallSystem().system.files().get('otel/gateway.yml')!);
  config.service.pipelines.traces.processors.push('no_such_processor');
  writeFileSync(file, JSON.stringify(config));
  const result = await runTool('otelcol', ['validate', `--config=${file}`]);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr + result.stdout, /no_such_processor/);
});

test('agent pipeline: memory_limiter, k8sattributes, resourcedetection, batch, routed by trace ID', () => {
  const agent = parse(smallSystem().system.files().get('otel/agent.yml')!);
  assert.deepEqual(agent.service.pipelines.traces.processors, ['memory_limiter', 'k8sattributes', 'resourcedetection', 'batch']);
  assert.deepEqual(agent.service.pipelines.traces.exporters, ['loadbalancing']);
  assert.equal(agent.exporters.loadbalancing.routing_key, 'traceID');
  assert.equal(agent.exporters.loadbalancing.resolver.dns.hostname, 'otel-gateway-headless.shop-telemetry.svc.cluster.local');
  assert.deepEqual(agent.processors.resourcedetection.detectors, ['env', 'system']);
});

test('gateway: tail sampling keeps errors, slow traces and a share of the rest', () => {
  const gateway = parse(smallSystem().system.files().get('otel/gateway.yml')!);
  assert.deepEqual(gateway.service.pipelines.traces.processors, ['memory_limiter', 'tail_sampling', 'batch']);
  const policies = gateway.processors.tail_sampling.policies.map((p: any) => p.type);
  assert.deepEqual(policies, ['status_code', 'latency', 'probabilistic']);
  assert.deepEqual(gateway.service.pipelines.traces.exporters, ['debug']);
});

test('telemetry objects: agent DaemonSet, gateway Deployment with headless Service, RBAC, PDB', () => {
  const objects = allObjects(smallSystem().system);
  const ns = 'shop-telemetry';
  const agent = find(objects, 'DaemonSet', 'otel-agent', ns);
  assert.equal(agent.spec.template.spec.serviceAccountName, 'otel-agent');
  assert.equal(agent.spec.template.spec.containers[0].ports.some((p: any) => p.hostPort), false, 'no hostPort under restricted');
  assert.equal(find(objects, 'Service', 'otel-agent', ns).spec.internalTrafficPolicy, 'Local');
  assert.equal(find(objects, 'Deployment', 'otel-gateway', ns).spec.replicas, 2);
  assert.equal(find(objects, 'Service', 'otel-gateway-headless', ns).spec.clusterIP, 'None');
  find(objects, 'PodDisruptionBudget', 'otel-gateway', ns);
  const role = find(objects, 'ClusterRole', 'shop-otel-agent');
  assert.equal(role.metadata.namespace, undefined);
  assert.deepEqual(role.rules[0].resources, ['pods', 'namespaces', 'nodes']);
  assert.equal(find(objects, 'ClusterRoleBinding', 'shop-otel-agent').subjects[0].namespace, ns);
});

test('every workload gets the same OTEL_* wiring with its own names and SDK language', () => {
  const objects = allObjects(smallSystem().system);
  const env = (name: string) => Object.fromEntries(find(objects, 'Deployment', name).spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
  const feed = env('feed');
  assert.equal(feed.OTEL_SERVICE_NAME, 'feed');
  assert.equal(feed.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-agent.shop-telemetry.svc.cluster.local:4317');
  assert.equal(feed.OTEL_EXPORTER_OTLP_PROTOCOL, 'grpc');
  assert.equal(feed.OTEL_PROPAGATORS, 'tracecontext,baggage');
  assert.equal(feed.OTEL_TRACES_SAMPLER, 'parentbased_traceidratio');
  assert.match(feed.OTEL_RESOURCE_ATTRIBUTES, /^service\.namespace=live,service\.version=2\.3\.0,deployment\.environment\.name=production,/);
  assert.match(feed.OTEL_RESOURCE_ATTRIBUTES, /k8s\.pod\.name=\$\(POD_NAME\)/);
  assert.match(feed.OTEL_RESOURCE_ATTRIBUTES, /telemetry\.sdk\.language=erlang$/);
  assert.match(env('pricer').OTEL_RESOURCE_ATTRIBUTES, /telemetry\.sdk\.language=rust$/);
  assert.match(env('orders').OTEL_RESOURCE_ATTRIBUTES, /telemetry\.sdk\.language=go$/);
  assert.match(env('api').OTEL_RESOURCE_ATTRIBUTES, /telemetry\.sdk\.language=nodejs$/);
  const policy = find(objects, 'NetworkPolicy', 'pricer', 'shop-sales');
  const toAgent = policy.spec.egress.find((r: any) => r.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === 'shop-telemetry');
  assert.deepEqual(toAgent.ports.map((p: any) => p.port), [4317, 4318]);
});

test('telemetry can be disabled, and a domain named telemetry is refused', () => {
  const off = new System({ name: 'quiet', telemetry: { enabled: false } });
  off.domain('a');
  assert.equal([...off.files().keys()].some((f) => f.startsWith('otel/')), false);
  const clash = new System({ name: 'loud' });
  clash.domain('telemetry');
  assert.ok(clash.check().some((p) => p.code === 'reserved-name' && /collides/.test(p.message)));
});
