// A new runtime needs a profile and registerRuntime, nothing else: here a JVM service is added
// from outside the library (no file of constructs/ knows it) and synthesizes like the built-in four.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { GoService, GrpcContract, registerRuntime, System, Workload, type DomainScope, type Listener, type WorkloadProps } from '../../constructs/index.js';

const JVM_PROFILE = registerRuntime({
  runtime: 'jvm',
  displayName: 'JVM',
  component: 'service-plane',
  radar: 'watch',
  sdkLanguage: 'java',
  ports: { grpc: 9090, http: 8081 },
  probe: { kind: 'grpc', port: 'grpc' },
  startupPeriodSeconds: 2,
  startupFailureThreshold: 60,
  resources: { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '768Mi', memoryLimit: '1Gi' },
  preStopDrainSeconds: 10,
  terminationGraceSeconds: 40,
  runAsUser: 10001,
  defaultDeadline: '2s',
});

/** A JVM service with a public HTTP listener: capabilities as data, no class test in kubernetes/. */
class JvmApi extends Workload {
  constructor(scope: DomainScope, id: string, props: WorkloadProps = {}) {
    super(scope, id, { ...props, runtime: JVM_PROFILE.runtime });
  }
  override get listeners(): readonly Listener[] {
    return [{ port: 'http', ingress: { host: 'ledger.example.com', path: '/', className: 'nginx' } }];
  }
}

test('a fifth runtime registered from outside synthesizes with its own profile, listeners and all', () => {
  const system = new System({ name: 'bank' });
  const ledger = new GrpcContract(system, 'ledger', { proto: 'contracts/bank/ledger/v1/ledger.proto', service: 'bank.ledger.v1.Ledger' });
  const domain = system.domain('ledger');
  new JvmApi(domain, 'ledger', { serves: [ledger], deadline: '500ms' });
  new GoService(domain, 'payments', { calls: [{ contract: ledger, timeout: '600ms' }], deadline: '2s' });
  const errors = system.check().filter((p) => p.severity === 'error');
  assert.deepEqual(errors, []);
  const objects = parseAllDocuments(system.files().get('bank-ledger.k8s.yaml')!).map((d) => d.toJS());
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'ledger');
  assert.equal(deployment.metadata.labels['polyglot.dev/runtime'], 'jvm');
  const container = deployment.spec.template.spec.containers[0];
  assert.equal(container.startupProbe.grpc.port, 9090);
  assert.equal(container.securityContext.runAsUser, 10001);
  assert.equal(deployment.spec.template.spec.terminationGracePeriodSeconds, 50);
  const ingress = objects.find((o) => o.kind === 'Ingress');
  assert.equal(ingress.spec.rules[0].host, 'ledger.example.com');
  const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'ledger');
  assert.ok(
    policy.spec.ingress.some((rule: { from: { namespaceSelector?: unknown }[] }) => rule.from.some((peer) => peer.namespaceSelector)),
    'the ingress controller may reach its listener',
  );
  const config = JSON.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'payments-config').data['service.json']);
  assert.equal(config.calls[0].target, 'dns:///ledger.bank-ledger.svc.cluster.local:9090');
});
