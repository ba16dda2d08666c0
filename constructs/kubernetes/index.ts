import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { synthesizeNamespace } from './namespace.js';
import { synthesizeNetworkPolicy } from './network-policy.js';
import { synthesizeWorkload } from './workload-objects.js';
import type { WorkloadWiring } from '../extension.js';
import { endpointConfig, endpointEnv } from './external-endpoints.js';

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
    const env = [...endpointEnv(workload), ...wirings.flatMap((w) => w.env?.(workload, model) ?? [])];
    synthesizeWorkload(workload, model, env, configBlocks(workload, model, wirings));
    synthesizeNetworkPolicy(workload, model, wirings.flatMap((w) => w.egress?.(workload, model) ?? []));
  }
}

/** The service config blocks every wiring adds; two pieces may not claim one key. */
function configBlocks(workload: Workload, model: SystemModel, wirings: readonly WorkloadWiring[]): Record<string, unknown> {
  const blocks: Record<string, unknown> = endpointConfig(workload);
  for (const wiring of wirings) {
    for (const [key, value] of Object.entries(wiring.serviceConfig?.(workload, model) ?? {})) {
      if (key in blocks) throw new Error(`two platform pieces write '${key}' into the service config of ${workload.node.path}`);
      blocks[key] = value;
    }
  }
  return blocks;
}
