import { Chart, JsonPatch } from 'cdk8s';
import * as k8s from '../kubernetes/k8s.js';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import { NAMESPACE_NAME_LABEL } from '../kubernetes/labels.js';
import { synthesizeLockedDownNamespace } from '../kubernetes/namespace.js';
import { disruptionBudget, restrictedContainerSecurity, restrictedPodSecurity, spreadReplicas } from '../kubernetes/pod.js';
import { agentConfig } from './agent-config.js';
import { gatewayConfig } from './gateway-config.js';
import { AGENT, GATEWAY, GATEWAY_HEADLESS, HEALTH_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT, telemetryNamespace } from './names.js';
import type { TelemetrySettings } from './props.js';
import { routedSignals } from './signals.js';

/** The collector image runs as this numeric user. */
const COLLECTOR_USER = 10001;
const CONFIG_PATH = '/conf/config.yaml';
const int = (n: number) => k8s.IntOrString.fromNumber(n);
const quantity = (q: string) => k8s.Quantity.fromString(q);

/** The rendered collector configs, as written to ConfigMaps and to dist/otel/. */
export interface CollectorConfigs {
  readonly agent: string;
  readonly gateway: string;
}

export function renderCollectorConfigs(system: string, settings: TelemetrySettings): CollectorConfigs {
  return { agent: stringify(agentConfig(system, routedSignals(settings))), gateway: stringify(gatewayConfig(settings)) };
}

/**
 * The telemetry namespace: an agent DaemonSet (reached through a node-local Service), a gateway
 * Deployment behind a headless Service (so agents can route by trace ID), the RBAC k8sattributes
 * needs, a PodDisruptionBudget, and network policies that admit only the system's namespaces.
 */
export function synthesizeTelemetryChart(scope: Construct, system: string, settings: TelemetrySettings, configs: CollectorConfigs): Chart {
  const namespace = telemetryNamespace(system);
  const chart = new Chart(scope, namespace, { namespace, disableResourceNameHashes: true });
  const version = settings.image.split(':').pop() ?? 'latest';
  const labelsOf = (name: string, component: string) => ({
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': `${namespace}-${name}`,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': system,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/managed-by': 'polyglot',
    'polyglot.dev/domain': 'telemetry',
  });
  const selectorOf = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': `${namespace}-${name}` });
  const ns = synthesizeLockedDownNamespace(chart, namespace, { 'app.kubernetes.io/part-of': system, 'app.kubernetes.io/managed-by': 'polyglot', 'polyglot.dev/domain': 'telemetry' }, 'OpenTelemetry agent and gateway collectors.');

  const agentLabels = labelsOf(AGENT, 'telemetry-agent');
  const gatewayLabels = labelsOf(GATEWAY, 'telemetry-gateway');

  // RBAC for k8sattributes: read pods, namespaces, nodes and replicasets. Cluster-scoped names
  // carry the system name, as two systems may share a cluster.
  const clusterRoleName = `${system}-${AGENT}`;
  new k8s.KubeServiceAccount(chart, 'agent-sa', { metadata: { name: AGENT, labels: agentLabels }, automountServiceAccountToken: true });
  const role = new k8s.KubeClusterRole(chart, 'agent-role', {
    metadata: { name: clusterRoleName, labels: agentLabels },
    rules: [
      { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
    ],
  });
  const binding = new k8s.KubeClusterRoleBinding(chart, 'agent-binding', {
    metadata: { name: clusterRoleName, labels: agentLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
    subjects: [{ kind: 'ServiceAccount', name: AGENT, namespace }],
  });
  for (const clusterScoped of [role, binding]) clusterScoped.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

  new k8s.KubeConfigMap(chart, 'agent-config', { metadata: { name: `${AGENT}-config`, labels: agentLabels }, data: { 'config.yaml': configs.agent } });
  new k8s.KubeConfigMap(chart, 'gateway-config', { metadata: { name: `${GATEWAY}-config`, labels: gatewayLabels }, data: { 'config.yaml': configs.gateway } });

  const podSpec = (name: string, labels: Record<string, string>, resources: { cpu: string; memory: string; cpuLimit: string; memoryLimit: string }, serviceAccount?: string, placement: Partial<k8s.PodSpec> = {}): k8s.PodTemplateSpec => ({
    metadata: { labels },
    spec: {
      serviceAccountName: serviceAccount,
      automountServiceAccountToken: serviceAccount !== undefined,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurity(COLLECTOR_USER),
      terminationGracePeriodSeconds: 30,
      ...placement,
      containers: [
        {
          name: 'otelcol',
          image: settings.image,
          imagePullPolicy: 'IfNotPresent',
          args: [`--config=${CONFIG_PATH}`],
          ports: [
            { name: 'otlp-grpc', containerPort: OTLP_GRPC_PORT, protocol: 'TCP' },
            { name: 'otlp-http', containerPort: OTLP_HTTP_PORT, protocol: 'TCP' },
            { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
          ],
          env: [
            { name: 'K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            // Keeps the Go heap under the container limit; memory_limiter acts before the OOM killer.
            { name: 'GOMEMLIMIT', value: `${Math.floor(parseInt(resources.memoryLimit, 10) * 0.8)}MiB` },
          ],
          resources: {
            requests: { cpu: quantity(resources.cpu), memory: quantity(resources.memory) },
            limits: { cpu: quantity(resources.cpuLimit), memory: quantity(resources.memoryLimit) },
          },
          // Readiness asks the health_check extension whether the pipelines run; liveness only
          // whether the process still listens. Were they the same, a collector that is briefly
          // not ready (an exporter backing up) would also be restarted, losing what it buffers.
          livenessProbe: { tcpSocket: { port: int(HEALTH_PORT) }, periodSeconds: 10, failureThreshold: 3 },
          readinessProbe: { httpGet: { path: '/', port: int(HEALTH_PORT) }, periodSeconds: 5, failureThreshold: 2 },
          securityContext: restrictedContainerSecurity(COLLECTOR_USER),
          volumeMounts: [
            { name: 'config', mountPath: '/conf', readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: `${name}-config` } },
        { name: 'tmp', emptyDir: { sizeLimit: quantity('64Mi') } },
      ],
    },
  });

  new k8s.KubeDaemonSet(chart, 'agent', {
    metadata: { name: AGENT, labels: agentLabels },
    spec: {
      selector: { matchLabels: selectorOf(AGENT) },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: int(1) } },
      template: podSpec(AGENT, agentLabels, { cpu: '100m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '512Mi' }, AGENT),
    },
  });
  // internalTrafficPolicy Local: a pod's spans go to the agent on its own node, no hostPort needed.
  new k8s.KubeService(chart, 'agent-service', {
    metadata: { name: AGENT, labels: agentLabels },
    spec: {
      selector: selectorOf(AGENT),
      internalTrafficPolicy: 'Local',
      ports: [
        { name: 'otlp-grpc', port: OTLP_GRPC_PORT, targetPort: k8s.IntOrString.fromString('otlp-grpc'), protocol: 'TCP' },
        { name: 'otlp-http', port: OTLP_HTTP_PORT, targetPort: k8s.IntOrString.fromString('otlp-http'), protocol: 'TCP' },
      ],
    },
  });

  new k8s.KubeDeployment(chart, 'gateway', {
    metadata: { name: GATEWAY, labels: gatewayLabels },
    spec: {
      replicas: settings.gatewayReplicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorOf(GATEWAY) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: int(0), maxSurge: int(1) } },
      template: podSpec(GATEWAY, gatewayLabels, { cpu: '500m', memory: '1Gi', cpuLimit: '2', memoryLimit: '2048Mi' }, undefined, spreadReplicas(selectorOf(GATEWAY))),
    },
  });
  const gatewayPorts = [{ name: 'otlp-grpc', port: OTLP_GRPC_PORT, targetPort: k8s.IntOrString.fromString('otlp-grpc'), protocol: 'TCP' }];
  new k8s.KubeService(chart, 'gateway-service', { metadata: { name: GATEWAY, labels: gatewayLabels }, spec: { selector: selectorOf(GATEWAY), ports: gatewayPorts } });
  new k8s.KubeService(chart, 'gateway-headless', {
    metadata: { name: GATEWAY_HEADLESS, labels: gatewayLabels },
    spec: { clusterIp: 'None', selector: selectorOf(GATEWAY), ports: gatewayPorts },
  });
  new k8s.KubePodDisruptionBudget(chart, 'gateway-pdb', {
    metadata: { name: GATEWAY, labels: gatewayLabels },
    spec: disruptionBudget(selectorOf(GATEWAY)),
  });

  // Only the system's own namespaces may send telemetry; agents talk to gateways and the API server.
  const otlpPorts = [OTLP_GRPC_PORT, OTLP_HTTP_PORT].map((port) => ({ protocol: 'TCP', port: int(port) }));
  new k8s.KubeNetworkPolicy(chart, 'agent-policy', {
    metadata: { name: AGENT, labels: agentLabels },
    spec: {
      podSelector: { matchLabels: selectorOf(AGENT) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'app.kubernetes.io/part-of': system } } }], ports: otlpPorts }],
      egress: [
        { to: [{ podSelector: { matchLabels: selectorOf(GATEWAY) } }], ports: [{ protocol: 'TCP', port: int(OTLP_GRPC_PORT) }] },
        // The API server has no pod labels to select; k8sattributes reaches it on its service port.
        { ports: [{ protocol: 'TCP', port: int(443) }, { protocol: 'TCP', port: int(6443) }] },
      ],
    },
  });
  const exporterPorts = [...new Set(settings.exporters.map((e) => Number(e.endpoint.split(':').pop())))].sort((a, b) => a - b);
  new k8s.KubeNetworkPolicy(chart, 'gateway-policy', {
    metadata: { name: GATEWAY, labels: gatewayLabels },
    spec: {
      podSelector: { matchLabels: selectorOf(GATEWAY) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: selectorOf(AGENT) } }],
          ports: [{ protocol: 'TCP', port: int(OTLP_GRPC_PORT) }],
        },
      ],
      // No exporter: no egress rule (deny all). Left out rather than `[]`, which server-side apply
      // would rewrite on every apply (constructs/kubernetes/network-policy.ts).
      ...(exporterPorts.length > 0 && { egress: [{ ports: exporterPorts.map((port) => ({ protocol: 'TCP', port: int(port) })) }] }),
    },
  });

  for (const child of chart.node.children) if (child !== ns) child.node.addDependency(ns);
  return chart;
}
