import { createHash } from 'node:crypto';
import type { Chart } from 'cdk8s';
import * as k8s from '../kubernetes/k8s.js';
import { disruptionBudget, restrictedContainerSecurity, restrictedPodSecurity } from '../kubernetes/pod.js';
import { NATS, NATS_CONFIG_MAP, NATS_HEADLESS, NATS_ROUTE_SECRET, NATS_USERS_SECRET, passwordVariable, PATHS, PORT_NAMES, PORTS, ROUTE_ENV, ROUTE_TLS_DIR } from './names.js';
import type { NatsSpineSettings } from './props.js';
import { LAME_DUCK } from './server-config.js';
import { parseQuantity } from '../core/units.js';

/**
 * The server runs as this numeric user; fsGroup makes the JetStream volume its own. The nats
 * image names no user of its own, so it gets the high non-root UID every polyglot service runs as
 * (65532, distroless "nonroot"): a low UID can collide with a host user, and linters flag it.
 */
const NATS_USER_ID = 65532;
const int = (n: number) => k8s.IntOrString.fromNumber(n);
const named = (port: string) => k8s.IntOrString.fromString(port);
const quantity = (q: string) => k8s.Quantity.fromString(q);

/** What the cluster's objects are made from. */
export interface NatsClusterSpec {
  readonly settings: NatsSpineSettings;
  /** The rendered server config. */
  readonly config: string;
  /** Every NATS user; each one's password hash is a key of the `nats-users` Secret. */
  readonly users: readonly string[];
  /** The route URLs, with `$(NATS_ROUTE_SECRET)` where the password goes. */
  readonly routes: readonly string[];
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
}

/**
 * The NATS servers, shaped like the upstream Helm chart's: a StatefulSet whose pods find each
 * other through a headless Service, a client Service, the config in a ConfigMap, a
 * PodDisruptionBudget, and one JetStream volume per server.
 */
export function synthesizeNatsCluster(chart: Chart, spec: NatsClusterSpec): void {
  const { settings, labels, selector } = spec;
  const metadata = { name: NATS, labels };
  const websocket = settings.websocket ? [{ name: PORT_NAMES.websocket, port: settings.websocket.port }] : [];
  const clientPorts = [{ name: PORT_NAMES.client, port: PORTS.client }, ...websocket];
  const servicePort = (p: { name: string; port: number }) => ({ name: p.name, port: p.port, targetPort: named(p.name), protocol: 'TCP' });

  new k8s.KubeServiceAccount(chart, 'service-account', { metadata, automountServiceAccountToken: false });
  new k8s.KubeConfigMap(chart, 'config', { metadata: { name: NATS_CONFIG_MAP, labels }, data: { 'nats.conf': spec.config } });
  new k8s.KubeService(chart, 'service', { metadata, spec: { type: 'ClusterIP', selector, ports: clientPorts.map(servicePort) } });
  // Routes need every server's address before it is ready: the cluster forms before readiness.
  new k8s.KubeService(chart, 'headless', {
    metadata: { name: NATS_HEADLESS, labels },
    spec: {
      clusterIp: 'None',
      publishNotReadyAddresses: true,
      selector,
      ports: [
        { name: PORT_NAMES.client, port: PORTS.client },
        { name: PORT_NAMES.cluster, port: PORTS.cluster },
        { name: PORT_NAMES.monitor, port: PORTS.monitor },
      ].map(servicePort),
    },
  });
  new k8s.KubePodDisruptionBudget(chart, 'disruption-budget', { metadata, spec: disruptionBudget(selector) });

  new k8s.KubeStatefulSet(chart, 'statefulset', {
    metadata,
    spec: {
      serviceName: NATS_HEADLESS,
      replicas: settings.replicas,
      // All servers start at once: with OrderedReady the first would wait for a JetStream quorum
      // that its not-yet-created peers cannot give it.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels,
          // A config change must roll the servers: the hash makes it a template change.
          annotations: { 'polyglot.dev/config-hash': createHash('sha256').update(spec.config).digest('hex').slice(0, 16) },
        },
        spec: {
          serviceAccountName: NATS,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurity(NATS_USER_ID),
          terminationGracePeriodSeconds: LAME_DUCK.terminationGraceSeconds,
          // One server per node: losing a node must cost the cluster one server, never its quorum.
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } }],
            },
          },
          containers: [serverContainer(spec, [...clientPorts, { name: PORT_NAMES.cluster, port: PORTS.cluster }, { name: PORT_NAMES.monitor, port: PORTS.monitor }])],
          volumes: [
            { name: 'config', configMap: { name: NATS_CONFIG_MAP } },
            { name: 'tmp', emptyDir: { sizeLimit: quantity('64Mi') } },
            ...(settings.routeTls ? [{ name: 'route-tls', secret: { secretName: settings.routeTls.secretName } }] : []),
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: settings.storageClassName,
            resources: { requests: { storage: quantity(settings.storage) } },
          },
        },
      ],
    },
  });
}

function serverContainer(spec: NatsClusterSpec, ports: readonly { name: string; port: number }[]): k8s.Container {
  const { settings } = spec;
  const memoryMib = Math.floor(parseQuantity(settings.resources.memory) / 2 ** 20);
  const clustered = settings.replicas > 1;
  const health = (query: string) => ({ httpGet: { path: `/healthz${query}`, port: named(PORT_NAMES.monitor) }, timeoutSeconds: 5 });
  return {
    name: NATS,
    image: spec.settings.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['nats-server', '--config', PATHS.configFile],
    ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      // server_name in the config: JetStream clustering needs a stable, unique name per server.
      { name: 'SERVER_NAME', value: '$(POD_NAME)' },
      // Keeps the Go heap under the container limit instead of meeting the OOM killer.
      { name: 'GOMEMLIMIT', value: `${Math.floor(memoryMib * 0.85)}MiB` },
      ...spec.users.map((user) => ({
        name: passwordVariable(user),
        valueFrom: { secretKeyRef: { name: NATS_USERS_SECRET, key: user } },
      })),
      // Kubernetes expands $(VAR) from the variables above it, so the password never appears in
      // the manifest; it must be URL-safe (`polyglot secrets` makes hex).
      ...(clustered
        ? [
            { name: ROUTE_ENV.secret, valueFrom: { secretKeyRef: { name: NATS_ROUTE_SECRET, key: 'password' } } },
            { name: ROUTE_ENV.password, value: `"$(${ROUTE_ENV.secret})"` },
            { name: ROUTE_ENV.routes, value: JSON.stringify(spec.routes) },
          ]
        : []),
    ],
    resources: {
      requests: { cpu: quantity(settings.resources.cpuRequest), memory: quantity(settings.resources.memory) },
      limits: { cpu: quantity(settings.resources.cpuLimit), memory: quantity(settings.resources.memory) },
    },
    // Startup allows 15 minutes: a server catching up on JetStream after a restart is not stuck.
    startupProbe: { ...health(''), periodSeconds: 10, failureThreshold: 90 },
    // Ready once the server and its JetStream are up, without waiting on every stream's health.
    readinessProbe: { ...health('?js-server-only=true'), periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { ...health('?js-enabled-only=true'), periodSeconds: 30, failureThreshold: 3 },
    // Lame duck mode: stop taking clients and move the connected ones to other servers first.
    lifecycle: { preStop: { exec: { command: ['nats-server', '--signal', `ldm=${PATHS.pidFile}`] } } },
    securityContext: restrictedContainerSecurity(NATS_USER_ID),
    volumeMounts: [
      { name: 'config', mountPath: PATHS.configDir, readOnly: true },
      { name: 'data', mountPath: PATHS.data },
      { name: 'tmp', mountPath: PATHS.tmp },
      ...(settings.routeTls ? [{ name: 'route-tls', mountPath: ROUTE_TLS_DIR, readOnly: true }] : []),
    ],
  };
}
