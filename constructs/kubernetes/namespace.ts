import { ApiObject, JsonPatch, type Chart } from 'cdk8s';
import * as k8s from './k8s.js';
import type { Domain } from '../domain.js';
import { domainLabels, NAMESPACE_NAME_LABEL } from './labels.js';

/** Pod Security Standard enforced on every namespace, and the version it is pinned to. */
const POD_SECURITY = { level: 'restricted', version: 'v1.28' } as const;

/**
 * The domain's namespace, with Pod Security "restricted" enforced, and the two namespace-wide
 * network policies: deny everything, then allow DNS. Each service adds its own allow rules.
 */
export function synthesizeNamespace(domain: Domain): ApiObject {
  return synthesizeLockedDownNamespace(domain, domain.namespace, domainLabels(domain), domain.description);
}

/** A namespace with Pod Security "restricted", default deny and DNS egress; for domains and platform pieces. */
export function synthesizeLockedDownNamespace(chart: Chart, name: string, labels: Record<string, string>, description?: string): ApiObject {
  const namespace = new k8s.KubeNamespace(chart, 'namespace', {
    metadata: {
      name,
      labels: {
        ...labels,
        'pod-security.kubernetes.io/enforce': POD_SECURITY.level,
        'pod-security.kubernetes.io/enforce-version': POD_SECURITY.version,
        'pod-security.kubernetes.io/audit': POD_SECURITY.level,
        'pod-security.kubernetes.io/warn': POD_SECURITY.level,
      },
      annotations: description ? { 'polyglot.dev/description': description } : undefined,
    },
  });
  // A Namespace is cluster-scoped: the chart's default namespace must not be stamped on it.
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

  new k8s.KubeNetworkPolicy(chart, 'default-deny', {
    metadata: { name: 'default-deny', labels },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  new k8s.KubeNetworkPolicy(chart, 'allow-dns', {
    metadata: { name: 'allow-dns', labels },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
            { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
          ],
        },
      ],
    },
  });
  return namespace;
}
