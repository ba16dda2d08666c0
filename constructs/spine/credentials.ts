import { natsCredentials, natsEndpoint, usesEvents } from '../kubernetes/platform.js';
import type { WorkloadWiring } from '../kubernetes/wiring.js';

/**
 * What every service that publishes or subscribes gets, and no other service does: egress to the
 * NATS client port, and its NATS password from the Secret in its own namespace (the service
 * config names the variable). The Secret is created outside the manifests, so no credential is
 * ever part of the output.
 */
export const natsClientWiring: WorkloadWiring = {
  env: (workload) => {
    if (!usesEvents(workload)) return [];
    const { env, secret, key } = natsCredentials(workload);
    return [{ name: env, valueFrom: { secretKeyRef: { name: secret, key } } }];
  },
  egress: (workload, model) => (usesEvents(workload) ? [natsEndpoint(model)] : []),
};
