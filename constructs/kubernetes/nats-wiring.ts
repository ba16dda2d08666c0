import { natsEndpoint } from './platform.js';
import type { WorkloadWiring } from './wiring.js';

/** Services that publish or subscribe may reach the NATS cluster's client port, others may not. */
export const natsClientWiring: WorkloadWiring = {
  egress: (workload, model) => (workload.publishes.length > 0 || workload.subscribes.length > 0 ? [natsEndpoint(model)] : []),
};
