import type { SystemModel } from '../model.js';
import { synthesizeNamespace } from './namespace.js';
import { synthesizeNetworkPolicy } from './network-policy.js';
import { natsEndpoint, type PlatformEndpoint } from './platform.js';
import { synthesizeWorkload } from './workload-objects.js';

/**
 * Creates the Kubernetes objects of every domain and service from the checked model.
 * Runs once per synth, after the checks, because network policies need the whole graph.
 */
export function synthesizeKubernetes(model: SystemModel): void {
  for (const domain of model.domains) {
    const namespace = synthesizeNamespace(domain);
    // The namespace must come first in the file: `kubectl apply -f` creates objects in order.
    for (const workload of domain.services) workload.node.addDependency(namespace);
  }
  const nats = natsEndpoint(model);
  for (const workload of model.services) {
    const usesNats = workload.publishes.length > 0 || workload.subscribes.length > 0;
    const platform: PlatformEndpoint[] = usesNats ? [nats] : [];
    synthesizeWorkload(workload, model, []);
    synthesizeNetworkPolicy(workload, model, platform);
  }
}
