import { ApiObject, App, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { BenchRuntime, PlannedService, SystemPlan } from './plan.js';

/**
 * The honest baseline: the object set polyglot emits for a plan, written by hand in cdk8s-plus-28
 * the way a careful platform engineer would: per domain a Namespace with a default-deny and a
 * DNS-egress policy; per service a ServiceAccount, a ConfigMap with its settings, a Deployment
 * (restricted security context, probes, resources, the config mounted), a Service, a
 * PodDisruptionBudget, ONE NetworkPolicy holding all its ingress and egress peers, an
 * autoscaler for the websocket tier and an Ingress for the edge; the NATS StatefulSet with its
 * JetStream streams and consumers, and the OpenTelemetry agent and gateway. What it leaves out is
 * what polyglot adds beyond objects: the checks, buf, contract documents, diagrams, the catalog.
 * test/bench/handwritten.test.ts holds its kinds and counts to polyglot's.
 */
export function buildHandwritten(plan: SystemPlan, outdir: string): App {
  const app = new App({ outdir });
  const charts = new Map<string, Chart>();
  for (const domain of plan.domains) {
    const namespace = `${plan.name}-${domain}`;
    const chart = new Chart(app, namespace, { namespace, labels: { 'app.kubernetes.io/part-of': plan.name } });
    lockedDownNamespace(chart, namespace);
    charts.set(domain, chart);
  }

  const workloads = plan.services.map((s) => service(charts.get(s.domain)!, plan, s));
  for (const s of plan.services) networkPolicy(charts.get(s.domain)!, plan, s, workloads);
  nats(app, plan);
  telemetry(app, plan);
  return app;
}

const PORTS: Record<BenchRuntime, { name: string; number: number }[]> = {
  go: [
    { name: 'grpc', number: 50051 },
    { name: 'http', number: 8080 },
  ],
  rust: [
    { name: 'grpc', number: 50051 },
    { name: 'http', number: 8080 },
  ],
  elixir: [
    { name: 'http', number: 4000 },
    { name: 'ws', number: 4001 },
  ],
  typescript: [{ name: 'http', number: 3000 }],
};

const restricted = { user: 65532, group: 65532, ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false };

function lockedDownNamespace(chart: Chart, name: string): void {
  const namespace = new kplus.Namespace(chart, 'namespace', {
    metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.28' } },
  });
  // cdk8s stamps the chart's namespace on every object; a Namespace is cluster-scoped.
  ApiObject.of(namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  new kplus.NetworkPolicy(chart, 'default-deny', {
    metadata: { name: 'default-deny' },
    selector: allPods(chart),
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  new kplus.NetworkPolicy(chart, 'allow-dns', {
    metadata: { name: 'allow-dns' },
    selector: allPods(chart),
    egress: {
      rules: [
        {
          peer: kplus.Pods.select(chart, 'kube-dns', { labels: { 'k8s-app': 'kube-dns' }, namespaces: kplus.Namespaces.select(chart, 'kube-system', { names: ['kube-system'] }) }),
          ports: [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)],
        },
      ],
    },
  });
}

interface Handwritten {
  readonly deployment: kplus.Deployment;
  readonly service: PlannedService;
}

function service(chart: Chart, plan: SystemPlan, s: PlannedService): Handwritten {
  const labels = {
    'app.kubernetes.io/name': s.name,
    'app.kubernetes.io/instance': `${plan.name}-${s.domain}-${s.name}`,
    'app.kubernetes.io/version': '1.0.0',
    'app.kubernetes.io/managed-by': 'hand',
  };
  const serviceAccount = new kplus.ServiceAccount(chart, `${s.name}-sa`, { metadata: { name: s.name, labels }, automountToken: false });
  // The settings a team would hand its service: what it calls, with which bounds, which subjects.
  const settings = {
    service: s.name,
    deadlineMs: s.deadlineMs,
    calls: s.calls.map((c) => ({ service: plan.services[c.callee]!.name, timeoutMs: c.timeoutMs, retries: c.retries })),
    publishes: s.publishes.map((e) => plan.events[e]!.subject),
    subscribes: s.subscribes.map((e) => ({ subject: plan.events[e]!.subject, queue: s.name })),
    telemetry: { endpoint: 'http://otel-agent.telemetry:4317' },
  };
  const config = new kplus.ConfigMap(chart, `${s.name}-config`, { metadata: { name: `${s.name}-config`, labels }, data: { 'service.json': JSON.stringify(settings, null, 2) } });

  const ports = PORTS[s.runtime];
  const http = ports.find((p) => p.name === 'http')!;
  const deployment = new kplus.Deployment(chart, s.name, {
    metadata: { name: s.name, labels },
    replicas: s.runtime === 'elixir' ? undefined : 2,
    serviceAccount,
    automountServiceAccountToken: false,
    securityContext: { user: 65532, group: 65532, ensureNonRoot: true },
    spread: true,
    containers: [
      {
        name: s.name,
        image: `registry.example.com/${plan.name}/${s.name}:1.0.0`,
        ports: ports.map((p) => ({ name: p.name, number: p.number })),
        securityContext: restricted,
        resources: {
          cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
        },
        readiness: kplus.Probe.fromHttpGet('/ready', { port: http.number, periodSeconds: Duration.seconds(5) }),
        liveness: kplus.Probe.fromHttpGet('/healthz', { port: http.number, periodSeconds: Duration.seconds(10) }),
        envVariables: {
          SERVICE_CONFIG: kplus.EnvValue.fromValue('/etc/service/service.json'),
          OTEL_SERVICE_NAME: kplus.EnvValue.fromValue(s.name),
          OTEL_EXPORTER_OTLP_ENDPOINT: kplus.EnvValue.fromValue('http://otel-agent.telemetry:4317'),
        },
        volumeMounts: [{ path: '/etc/service', volume: kplus.Volume.fromConfigMap(chart, `${s.name}-config-volume`, config) }],
      },
    ],
  });
  const exposed = new kplus.Service(chart, `${s.name}-service`, {
    metadata: { name: s.name, labels },
    selector: deployment,
    ports: ports.map((p) => ({ name: p.name, port: p.number, targetPort: p.number })),
  });
  new kplus.k8s.KubePodDisruptionBudget(chart, `${s.name}-pdb`, {
    metadata: { name: s.name, labels },
    spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: deployment.matchLabels } },
  });
  if (s.runtime === 'elixir') {
    new kplus.HorizontalPodAutoscaler(chart, `${s.name}-hpa`, {
      metadata: { name: s.name, labels },
      target: deployment,
      minReplicas: 5,
      maxReplicas: 8,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
  }
  if (s.runtime === 'typescript') {
    new kplus.Ingress(chart, `${s.name}-ingress`, {
      metadata: { name: s.name, labels },
      className: 'nginx',
      rules: [{ host: `${s.name}.${plan.name}.example`, path: '/', backend: kplus.IngressBackend.fromService(exposed, { port: http.number }) }],
    });
  }
  return { deployment, service: s };
}

/** One policy per service: every caller may reach its gRPC port, it may reach its callees and NATS. */
function networkPolicy(chart: Chart, plan: SystemPlan, s: PlannedService, all: readonly Handwritten[]): void {
  const self = all[s.index]!;
  const callers = all.filter((w) => w.service.calls.some((c) => c.callee === s.index));
  const nats = kplus.Pods.select(chart, `${s.name}-nats-peer`, { labels: { 'app.kubernetes.io/name': 'nats' }, namespaces: kplus.Namespaces.select(chart, `${s.name}-nats-ns`, { names: [`${plan.name}-nats`] }) });
  new kplus.NetworkPolicy(chart, `${s.name}-policy`, {
    metadata: { name: s.name },
    selector: self.deployment,
    ingress: {
      rules: [
        ...callers.map((caller) => ({ peer: caller.deployment, ports: [kplus.NetworkPolicyPort.tcp(50051)] })),
        ...(s.runtime === 'typescript' || s.runtime === 'elixir' ? [{ peer: allPods(chart), ports: PORTS[s.runtime].map((p) => kplus.NetworkPolicyPort.tcp(p.number)) }] : []),
      ],
    },
    egress: {
      rules: [
        ...s.calls.map((c) => ({ peer: all[c.callee]!.deployment, ports: [kplus.NetworkPolicyPort.tcp(50051)] })),
        { peer: nats, ports: [kplus.NetworkPolicyPort.tcp(4222)] },
      ],
    },
  });
}

function nats(app: App, plan: SystemPlan): void {
  const namespace = `${plan.name}-nats`;
  const chart = new Chart(app, namespace, { namespace });
  lockedDownNamespace(chart, namespace);
  const users = plan.services.map((s) => `    { user: ${s.name}, password: $NATS_PASSWORD_${s.name.toUpperCase().replace(/-/g, '_')}, permissions: { publish: [${s.publishes.map((e) => `"${plan.events[e]!.subject}"`).join(', ')}], subscribe: [${s.subscribes.map((e) => `"${plan.events[e]!.subject}"`).join(', ')}] } }`);
  const config = new kplus.ConfigMap(chart, 'config', { metadata: { name: 'nats-config' }, data: { 'nats.conf': `port: 4222\njetstream { store_dir: /data }\naccounts {\n  APP { users: [\n${users.join('\n')}\n  ] }\n}\n` } });
  const serviceAccount = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'nats' }, automountToken: false });
  const headless = new kplus.Service(chart, 'headless', { metadata: { name: 'nats-headless' }, clusterIP: 'None', ports: [{ name: 'client', port: 4222 }, { name: 'cluster', port: 6222 }] });
  const set = new kplus.StatefulSet(chart, 'nats', {
    metadata: { name: 'nats' },
    service: headless,
    replicas: 3,
    serviceAccount,
    automountServiceAccountToken: false,
    containers: [
      {
        name: 'nats',
        image: 'nats:2.11-alpine',
        ports: [{ name: 'client', number: 4222 }, { name: 'cluster', number: 6222 }, { name: 'monitor', number: 8222 }],
        securityContext: { ...restricted, user: 1000, group: 1000 },
        envVariables: Object.fromEntries(plan.services.map((s) => [`NATS_PASSWORD_${s.name.toUpperCase().replace(/-/g, '_')}`, kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(chart, `secret-${s.name}`, 'nats-users'), key: s.name })])),
        volumeMounts: [{ path: '/etc/nats-config', volume: kplus.Volume.fromConfigMap(chart, 'config-volume', config) }],
      },
    ],
  });
  new kplus.Service(chart, 'client', { metadata: { name: 'nats' }, selector: set, ports: [{ name: 'client', port: 4222 }] });
  new kplus.k8s.KubePodDisruptionBudget(chart, 'pdb', { metadata: { name: 'nats' }, spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: set.matchLabels } } });
  new kplus.NetworkPolicy(chart, 'policy', { metadata: { name: 'nats' }, selector: set, ingress: { rules: [{ peer: allPods(chart), ports: [kplus.NetworkPolicyPort.tcp(4222), kplus.NetworkPolicyPort.tcp(6222)] }] } });
  for (const event of plan.events) {
    if (event.stream) {
      new ApiObject(chart, `stream-${event.stream}`, { apiVersion: 'jetstream.nats.io/v1beta2', kind: 'Stream', metadata: { name: event.stream.toLowerCase() }, spec: { name: event.stream, subjects: [event.subject], maxAge: '24h', replicas: 3, storage: 'file' } });
    }
  }
  // Messages that exhaust their deliveries are kept, not dropped: one dead-letter stream.
  new ApiObject(chart, 'stream-dead-letters', { apiVersion: 'jetstream.nats.io/v1beta2', kind: 'Stream', metadata: { name: 'dead-letters' }, spec: { name: 'DEAD_LETTERS', subjects: ['$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>'], maxAge: '168h', replicas: 3, storage: 'file' } });
  for (const s of plan.services) {
    for (const e of s.subscribes) {
      const event = plan.events[e]!;
      if (!event.stream) continue;
      new ApiObject(chart, `consumer-${s.name}-${event.name}`, { apiVersion: 'jetstream.nats.io/v1beta2', kind: 'Consumer', metadata: { name: `${s.name}-${event.name}` }, spec: { streamName: event.stream, durableName: s.name, filterSubject: event.subject, ackPolicy: 'explicit', deliverPolicy: 'all' } });
    }
  }
}

function telemetry(app: App, plan: SystemPlan): void {
  const namespace = `${plan.name}-telemetry`;
  const chart = new Chart(app, namespace, { namespace });
  lockedDownNamespace(chart, namespace);
  const agentConfig = new kplus.ConfigMap(chart, 'agent-config', { metadata: { name: 'otel-agent-config' }, data: { 'config.yaml': 'receivers: { otlp: { protocols: { grpc: {}, http: {} } } }\nexporters: { otlp: { endpoint: otel-gateway:4317 } }\nservice: { pipelines: { traces: { receivers: [otlp], exporters: [otlp] } } }\n' } });
  const gatewayConfig = new kplus.ConfigMap(chart, 'gateway-config', { metadata: { name: 'otel-gateway-config' }, data: { 'config.yaml': 'receivers: { otlp: { protocols: { grpc: {} } } }\nexporters: { debug: {} }\nservice: { pipelines: { traces: { receivers: [otlp], exporters: [debug] } } }\n' } });
  const serviceAccount = new kplus.ServiceAccount(chart, 'agent-sa', { metadata: { name: 'otel-agent' } });
  const role = new kplus.ClusterRole(chart, 'agent-role', { metadata: { name: 'otel-agent' } });
  role.allowRead(kplus.ApiResource.PODS, kplus.ApiResource.NODES);
  role.bind(serviceAccount);
  const collector = (id: string, volume: kplus.ConfigMap) => ({
    name: 'otelcol',
    image: 'otel/opentelemetry-collector-contrib:0.159.0',
    args: ['--config=/conf/config.yaml'],
    ports: [{ name: 'otlp-grpc', number: 4317 }],
    securityContext: restricted,
    volumeMounts: [{ path: '/conf', volume: kplus.Volume.fromConfigMap(chart, `${id}-volume`, volume) }],
  });
  const agent = new kplus.DaemonSet(chart, 'agent', { metadata: { name: 'otel-agent' }, serviceAccount, containers: [collector('agent', agentConfig)] });
  const gateway = new kplus.Deployment(chart, 'gateway', { metadata: { name: 'otel-gateway' }, replicas: 2, containers: [collector('gateway', gatewayConfig)] });
  new kplus.Service(chart, 'agent-service', { metadata: { name: 'otel-agent' }, selector: agent, ports: [{ name: 'otlp-grpc', port: 4317 }] });
  new kplus.Service(chart, 'gateway-service', { metadata: { name: 'otel-gateway' }, selector: gateway, ports: [{ name: 'otlp-grpc', port: 4317 }] });
  new kplus.Service(chart, 'gateway-headless', { metadata: { name: 'otel-gateway-headless' }, clusterIP: 'None', selector: gateway, ports: [{ name: 'otlp-grpc', port: 4317 }] });
  new kplus.k8s.KubePodDisruptionBudget(chart, 'gateway-pdb', { metadata: { name: 'otel-gateway' }, spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: gateway.matchLabels } } });
  new kplus.NetworkPolicy(chart, 'agent-policy', { metadata: { name: 'otel-agent' }, selector: agent, ingress: { rules: [{ peer: allPods(chart), ports: [kplus.NetworkPolicyPort.tcp(4317)] }] } });
  new kplus.NetworkPolicy(chart, 'gateway-policy', { metadata: { name: 'otel-gateway' }, selector: gateway, ingress: { rules: [{ peer: agent, ports: [kplus.NetworkPolicyPort.tcp(4317)] }] } });
}

const allPodsOf = new WeakMap<Chart, kplus.Pods>();
/** Every pod of the chart's namespace, one selector per chart (construct ids are unique). */
function allPods(chart: Chart): kplus.Pods {
  let pods = allPodsOf.get(chart);
  if (!pods) allPodsOf.set(chart, (pods = kplus.Pods.all(chart, 'all-pods')));
  return pods;
}
