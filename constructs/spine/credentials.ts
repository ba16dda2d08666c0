import { natsCredentials, usesEvents } from '../kubernetes/platform.js';
import type { WorkloadWiring } from '../kubernetes/wiring.js';

/**
 * Every service that publishes or subscribes gets its NATS password from the Secret in its own
 * namespace (the service config names the variable). The Secret is created outside the
 * manifests, so no credential is ever part of the output.
 */
export const natsCredentialWiring: WorkloadWiring = {
  env: (workload) => {
    if (!usesEvents(workload)) return [];
    const { env, secret, key } = natsCredentials(workload);
    return [{ name: env, valueFrom: { secretKeyRef: { name: secret, key } } }];
  },
};
