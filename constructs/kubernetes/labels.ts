import type { Domain } from '../domain.js';
import type { Workload } from '../services/workload.js';

/** The label keys every object carries, besides Kubernetes' recommended set. */
export const RUNTIME_LABEL = 'polyglot.dev/runtime';
export const DOMAIN_LABEL = 'polyglot.dev/domain';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** Kubernetes sets this label on every namespace; network policies select namespaces by it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The labels that select a service's pods. They never change over the service's life. */
export function selectorLabels(workload: Workload): Record<string, string> {
  return {
    [NAME_LABEL]: workload.name,
    [INSTANCE_LABEL]: `${workload.namespace}-${workload.name}`,
  };
}

/** Kubernetes' recommended labels plus the runtime and the domain. */
export function workloadLabels(workload: Workload): Record<string, string> {
  return {
    ...selectorLabels(workload),
    'app.kubernetes.io/component': workload.profile?.component ?? workload.runtime,
    'app.kubernetes.io/part-of': workload.domain.system.name,
    'app.kubernetes.io/version': workload.version,
    'app.kubernetes.io/managed-by': 'polyglot',
    [RUNTIME_LABEL]: workload.runtime,
    [DOMAIN_LABEL]: workload.domain.name,
  };
}

/** Labels of a domain's namespace-wide objects. */
export function domainLabels(domain: Domain): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': domain.system.name,
    'app.kubernetes.io/managed-by': 'polyglot',
    [DOMAIN_LABEL]: domain.name,
  };
}
