import type { SystemModel } from '../model.js';
import { synthesizeNamespace } from './namespace.js';
import { synthesizeNetworkPolicy } from './network-policy.js';
import { synthesizeWorkload } from './workload-objects.js';
import type { WorkloadWiring } from './wiring.js';

export type { WorkloadWiring } from './wiring.js';
export type { PlatformEndpoint } from './platform.js';

/**
 * Creates the Kubernetes objects of every domain and service from the checked model.
 * Runs once per synth, after the checks, because network policies need the whole graph.
 */
export function synthesizeKubernetes(model: SystemModel, wirings: readonly WorkloadWiring[]): void {
  for (const domain of model.domains) {
    const namespace = synthesizeNamespace(domain);
    // The namespace must come first in the file: `kubectl apply -f` creates objects in order.
    for (const workload of domain.services) workload.node.addDependency(namespace);
  }
  for (const workload of model.services) {
    synthesizeWorkload(workload, model, wirings.flatMap((w) => w.env?.(workload, model) ?? []));
    synthesizeNetworkPolicy(workload, model, wirings.flatMap((w) => w.egress?.(workload, model) ?? []));
  }
}
