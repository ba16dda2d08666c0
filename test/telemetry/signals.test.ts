// Per-signal routing: each exporter gets only the signals it declares, a signal nobody takes is
// switched off end to end, and bad signal lists are problems. The real collector's verdict on
// these configs is in telemetry.integ.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { System, TsApi, type TelemetryProps } from '../../constructs/index.js';
import { allObjects, find } from '../support/synth.js';

function configs(telemetry: TelemetryProps) {
  const rebuilt = new System({ name: 'obs', telemetry });
  rebuilt.domain('a');
  const files = rebuilt.files();
  return { gateway: parse(files.get('otel/gateway.yml')!), agent: parse(files.get('otel/agent.yml')!) };
}

test('a traces-only exporter (the docs’ Tempo) gets traces only; metrics and logs are switched off end to end', () => {
  const { gateway, agent } = configs({ exporters: [{ name: 'tempo', endpoint: 'tempo.observability.svc.cluster.local:4317', insecure: true, signals: ['traces'] }] });
  assert.deepEqual(Object.keys(gateway.service.pipelines), ['traces']);
  assert.deepEqual(gateway.service.pipelines.traces.exporters, ['otlp/tempo']);
  assert.deepEqual(Object.keys(agent.service.pipelines), ['traces']);
  assert.deepEqual(Object.keys(agent.exporters), ['loadbalancing'], 'no gateway exporter for signals nobody takes');
});

test('each exporter gets exactly the signals it declares; the default is all three', () => {
  const { gateway, agent } = configs({
    exporters: [
      { name: 'tempo', endpoint: 'tempo:4317', signals: ['traces'] },
      { name: 'mimir', endpoint: 'mimir:4317', signals: ['metrics'] },
      { name: 'vendor', endpoint: 'otlp.vendor.example:443' },
    ],
  });
  assert.deepEqual(gateway.service.pipelines.traces.exporters, ['otlp/tempo', 'otlp/vendor']);
  assert.deepEqual(gateway.service.pipelines.metrics.exporters, ['otlp/mimir', 'otlp/vendor']);
  assert.deepEqual(gateway.service.pipelines.logs.exporters, ['otlp/vendor']);
  assert.deepEqual(Object.keys(agent.service.pipelines), ['traces', 'metrics', 'logs']);
});

test('workloads are told not to send a signal no exporter takes, and only then', () => {
  const env = (telemetry: TelemetryProps) => {
    const system = new System({ name: 'obs', telemetry });
    new TsApi(system.domain('edge'), 'api', { ingress: { host: 'api.obs.example' } });
    const container = find(allObjects(system), 'Deployment', 'api').spec.template.spec.containers[0];
    return Object.fromEntries(container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
  };
  const tracesOnly = env({ exporters: [{ name: 'tempo', endpoint: 'tempo:4317', signals: ['traces'] }] });
  assert.equal(tracesOnly.OTEL_METRICS_EXPORTER, 'none');
  assert.equal(tracesOnly.OTEL_LOGS_EXPORTER, 'none');
  assert.equal(tracesOnly.OTEL_TRACES_EXPORTER, undefined);
  const all = env({});
  for (const name of ['OTEL_TRACES_EXPORTER', 'OTEL_METRICS_EXPORTER', 'OTEL_LOGS_EXPORTER']) assert.equal(all[name], undefined, name);
});

test('an empty or repeated signal list, and two exporters of one name, are problems with a fix', () => {
  const problems = (telemetry: unknown) => new System({ name: 'obs', telemetry: telemetry as TelemetryProps }).check();
  const empty = problems({ exporters: [{ name: 'tempo', endpoint: 'tempo:4317', signals: [] }] });
  assert.ok(empty.some((p) => p.code === 'invalid-props' && /at least one signal/.test(p.message)), JSON.stringify(empty));
  const twice = problems({ exporters: [{ name: 'tempo', endpoint: 'tempo:4317', signals: ['traces', 'traces'] }] });
  assert.ok(twice.some((p) => /signal twice/.test(p.message)), JSON.stringify(twice));
  const unknown = problems({ exporters: [{ name: 'tempo', endpoint: 'tempo:4317', signals: ['profiles'] }] });
  assert.ok(unknown.some((p) => p.code === 'invalid-props' && /signals/.test(p.message)), JSON.stringify(unknown));
  const names = problems({ exporters: [{ name: 'a', endpoint: 'a:4317' }, { name: 'a', endpoint: 'b:4317' }] });
  assert.ok(names.some((p) => /used twice/.test(p.message)), JSON.stringify(names));
});

test('the docs example (docs/telemetry.md) builds: Tempo gets traces only, the vendor every signal', async () => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(new URL('../../docs/telemetry.md', import.meta.url), 'utf8');
  const code = /<!-- docs-example: telemetry-exporters -->\n```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(code, 'the example is in the docs');
  let built: System | undefined;
  // The example is a plain `new System({...})` expression; evaluate it with System in scope.
  new Function('System', 'capture', `capture(${code.trim().replace(/;$/, '')});`)(System, (system: System) => (built = system));
  assert.deepEqual(built!.check().filter((p) => p.severity === 'error'), []);
  const gateway = parse(built!.files().get('otel/gateway.yml')!);
  assert.deepEqual(gateway.service.pipelines.traces.exporters, ['otlp/tempo', 'otlp/vendor']);
  assert.deepEqual(gateway.service.pipelines.metrics.exporters, ['otlp/vendor']);
  assert.deepEqual(gateway.service.pipelines.logs.exporters, ['otlp/vendor']);
});
