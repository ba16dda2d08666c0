import * as k8s from './k8s.js';
import type { HealthProbe, RuntimeProfile } from '../services/runtime.js';
import type { Workload } from '../services/workload.js';
import { SERVICE_CONFIG_DIR, SERVICE_CONFIG_FILE } from './service-config.js';

/** Container port names; Services and probes refer to ports by these names. */
export const PORT_NAMES = { grpc: 'grpc', http: 'http', websocket: 'ws' } as const;

/** The ports a workload opens, by name, in a stable order. */
export function containerPorts(workload: Workload): { name: string; port: number }[] {
  const ports: { name: string; port: number }[] = [];
  if (workload.ports.grpc !== undefined) ports.push({ name: PORT_NAMES.grpc, port: workload.ports.grpc });
  ports.push({ name: PORT_NAMES.http, port: workload.ports.http });
  if (workload.ports.websocket !== undefined) ports.push({ name: PORT_NAMES.websocket, port: workload.ports.websocket });
  return ports;
}

/**
 * Pod Security "restricted", container side: no privilege escalation, no capabilities, a numeric
 * non-root user (images that default to root then fail fast instead of running as root),
 * the runtime's default seccomp profile and a read-only root file system.
 */
export function restrictedContainerSecurity(runAsUser: number): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod Security "restricted", pod side. */
export function restrictedPodSecurity(runAsUser: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Liveness, readiness and startup probes that fit the runtime: gRPC health checking for gRPC
 * runtimes and for services that serve gRPC on a runtime that opens it for them (liveness asks for
 * the `liveness` service so a busy server is not restarted while it reports not-ready), HTTP for
 * the others (the workload's `probe`). The startup probe gives the runtime its real start time.
 */
export function probes(workload: Workload, profile: RuntimeProfile): Pick<k8s.Container, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> {
  const handler = (probe: HealthProbe, purpose: 'liveness' | 'readiness'): Partial<k8s.Probe> => {
    if (probe.kind === 'grpc') {
      return { grpc: { port: workload.ports.grpc!, service: purpose === 'liveness' ? 'liveness' : undefined } };
    }
    const path = purpose === 'liveness' ? probe.livenessPath : probe.readinessPath;
    return { httpGet: { path, port: k8s.IntOrString.fromString(PORT_NAMES[probe.port]) } };
  };
  const probe = workload.probe ?? profile.probe;
  return {
    startupProbe: {
      ...handler(probe, 'liveness'),
      periodSeconds: profile.startupPeriodSeconds,
      failureThreshold: profile.startupFailureThreshold,
      timeoutSeconds: 1,
    },
    livenessProbe: { ...handler(probe, 'liveness'), periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    readinessProbe: { ...handler(probe, 'readiness'), periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
  };
}

/** Volumes every pod gets: a writable /tmp (the root file system is read-only) and its config. */
export function volumes(configMapName: string): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
  return {
    volumes: [
      { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
      { name: 'polyglot-config', configMap: { name: configMapName } },
    ],
    mounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'polyglot-config', mountPath: SERVICE_CONFIG_DIR, readOnly: true },
    ],
  };
}

/** Environment every container gets, then the user's own variables, sorted by name. */
export function environment(workload: Workload, extra: readonly k8s.EnvVar[]): k8s.EnvVar[] {
  const fieldRef = (fieldPath: string): k8s.EnvVarSource => ({ fieldRef: { fieldPath } });
  const base: k8s.EnvVar[] = [
    { name: 'POLYGLOT_CONFIG', value: `${SERVICE_CONFIG_DIR}/${SERVICE_CONFIG_FILE}` },
    { name: 'POD_NAME', valueFrom: fieldRef('metadata.name') },
    { name: 'POD_NAMESPACE', valueFrom: fieldRef('metadata.namespace') },
    { name: 'NODE_NAME', valueFrom: fieldRef('spec.nodeName') },
    ...extra,
  ];
  const reserved = new Set(base.map((e) => e.name));
  const user = Object.entries(workload.env)
    .filter(([name]) => !reserved.has(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
  return [...base, ...user];
}

/**
 * Spreads replicas over nodes and zones, so one node or zone going away takes at most a share
 * of a service. Preferred, not required: a small cluster must still schedule every replica.
 */
export function spreadReplicas(selector: Record<string, string>): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  const labelSelector = { matchLabels: selector };
  return {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector } }],
      },
    },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector }],
  };
}

/**
 * One pod at a time may be evicted. Pods that are not ready anyway may always be evicted, so a
 * crash-looping replica never blocks a node drain.
 */
export function disruptionBudget(selector: Record<string, string>): k8s.PodDisruptionBudgetSpec {
  return { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' };
}
