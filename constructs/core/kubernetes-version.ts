import { z } from 'zod';

/**
 * The Kubernetes version a system targets, as `1.<minor>`. It decides which API features the
 * output may use (the `sleep` preStop action needs 1.30) and which schema set the tests validate
 * the output with (scripts/install-tools.sh pins the same version: K8S_SCHEMAS_K8S_VERSION).
 */
export const DEFAULT_KUBERNETES_VERSION = '1.30';

/** The oldest minor polyglot's output is written for (policy/v1, autoscaling/v2, gRPC probes). */
export const OLDEST_KUBERNETES_MINOR = 28;

/** The first minor whose `lifecycle.*.sleep` action is on by default (beta in 1.30, GA in 1.34). */
export const SLEEP_ACTION_MINOR = 30;

/** A zod schema for a target Kubernetes version such as `'1.30'`. */
export const kubernetesVersion = z
  .string()
  .regex(/^1\.\d{1,2}$/, "expected a Kubernetes version such as '1.30'")
  .refine((version) => kubernetesMinor(version) >= OLDEST_KUBERNETES_MINOR, {
    message: `polyglot writes output for Kubernetes 1.${OLDEST_KUBERNETES_MINOR} and later`,
  });

/** The minor of a `1.<minor>` version string. */
export function kubernetesMinor(version: string): number {
  return Number(version.split('.')[1]);
}

/**
 * Whether a pod of this Kubernetes version can wait in its preStop hook without running a
 * program in the container (distroless images have no `sleep` binary to exec).
 */
export function hasSleepAction(version: string): boolean {
  return kubernetesMinor(version) >= SLEEP_ACTION_MINOR;
}
