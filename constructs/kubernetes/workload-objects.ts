import { createHash } from 'node:crypto';
import { JsonPatch } from 'cdk8s';
import * as k8s from './k8s.js';
import { hasSleepAction } from '../core/kubernetes-version.js';
import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { selectorLabels, workloadLabels } from './labels.js';
import { PORT_NAMES, containerPorts, disruptionBudget, environment, probes, restrictedContainerSecurity, restrictedPodSecurity, spreadReplicas, volumes } from './pod.js';
import { SERVICE_CONFIG_FILE, serviceConfig } from './service-config.js';

const quantity = (value: string) => k8s.Quantity.fromString(value);

/**
 * The objects of one service: ServiceAccount, ConfigMap, Deployment, Service,
 * PodDisruptionBudget, and where declared a HorizontalPodAutoscaler and an Ingress.
 * Every object is named after the service; there are no hash suffixes.
 */
export function synthesizeWorkload(workload: Workload, model: SystemModel, extraEnv: readonly k8s.EnvVar[], configBlocks: Readonly<Record<string, unknown>>): void {
  const profile = workload.profile!;
  const name = workload.name;
  const labels = workloadLabels(workload);
  const selector = selectorLabels(workload);
  const metadata = { name, labels };

  new k8s.KubeServiceAccount(workload, 'service-account', { metadata, automountServiceAccountToken: false });

  const configName = `${name}-config`;
  const config = serviceConfig(workload, model, configBlocks);
  new k8s.KubeConfigMap(workload, 'config', { metadata: { name: configName, labels }, data: { [SERVICE_CONFIG_FILE]: config } });

  const { volumes: podVolumes, mounts } = volumes(configName);
  const ports = containerPorts(workload);
  const deployment = new k8s.KubeDeployment(workload, 'deployment', {
    metadata,
    spec: {
      // An autoscaled Deployment leaves replicas to the HPA; setting it would fight the HPA on every apply.
      replicas: workload.autoscaling ? undefined : workload.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromString('25%') },
      },
      template: {
        metadata: {
          labels,
          // A config change must roll the pods: the hash makes it a template change.
          annotations: { 'polyglot.dev/config-hash': createHash('sha256').update(config).digest('hex').slice(0, 16) },
        },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurity(profile.runAsUser),
          terminationGracePeriodSeconds: profile.preStopDrainSeconds + profile.terminationGraceSeconds,
          ...spreadReplicas(selector),
          containers: [
            {
              name,
              image: workload.image,
              imagePullPolicy: 'IfNotPresent',
              ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
              env: environment(workload, extraEnv),
              resources: {
                requests: { cpu: quantity(workload.resources.cpuRequest), memory: quantity(workload.resources.memoryRequest) },
                limits: { cpu: quantity(workload.resources.cpuLimit), memory: quantity(workload.resources.memoryLimit) },
              },
              ...probes(workload, profile),
              securityContext: restrictedContainerSecurity(profile.runAsUser),
              volumeMounts: mounts,
            },
          ],
          volumes: podVolumes,
        },
      },
    },
  });

  // The cdk8s-plus-28 types predate the sleep action, hence a patch (applied by k8s.ts's toJson).
  const lifecycle = drainWait(workload.domain.system.kubernetesVersion, profile.preStopDrainSeconds);
  if (lifecycle) deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/lifecycle', lifecycle));

  new k8s.KubeService(workload, 'service', {
    metadata,
    spec: {
      type: 'ClusterIP',
      selector,
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' })),
    },
  });

  new k8s.KubePodDisruptionBudget(workload, 'disruption-budget', {
    metadata,
    spec: disruptionBudget(selector),
  });

  if (workload.autoscaling) {
    new k8s.KubeHorizontalPodAutoscalerV2(workload, 'autoscaler', {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: workload.autoscaling.minReplicas,
        maxReplicas: workload.autoscaling.maxReplicas,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: workload.autoscaling.targetCpuUtilization } },
          },
        ],
        // Scaling down drops connections and warm caches: do it slowly.
        behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      },
    });
  }

  for (const { port, ingress } of workload.listeners) {
    if (!ingress) continue;
    new k8s.KubeIngress(workload, 'ingress', {
      metadata,
      spec: {
        ingressClassName: ingress.className,
        rules: [
          {
            host: ingress.host,
            http: {
              paths: [{ path: ingress.path, pathType: 'Prefix', backend: { service: { name, port: { name: PORT_NAMES[port] } } } }],
            },
          },
        ],
        tls: ingress.tlsSecretName ? [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }] : undefined,
      },
    });
  }
}

/**
 * Endpoints are removed asynchronously after a pod starts terminating: the container keeps
 * serving for `seconds` before it gets SIGTERM, so callers stop sending first (docs/drain.md).
 * The wait is the kubelet's own `sleep` action, not an exec of `sleep`: the runtime images are
 * distroless and have no `sleep` binary. The action needs Kubernetes 1.30; on older clusters there
 * is no preStop hook and the services' own SIGTERM handling is the whole drain.
 */
function drainWait(kubernetesVersion: string, seconds: number): Record<string, unknown> | undefined {
  return hasSleepAction(kubernetesVersion) && seconds > 0 ? { preStop: { sleep: { seconds } } } : undefined;
}

