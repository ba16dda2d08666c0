import { DOMAIN_LABEL, INSTANCE_LABEL, NAME_LABEL } from '../kubernetes/labels.js';
import { NATS } from './names.js';

/** The labels that select the NATS server pods; `natsEndpoint` in kubernetes/platform.ts relies on the name. */
export function natsSelector(namespace: string): Record<string, string> {
  return { [NAME_LABEL]: NATS, [INSTANCE_LABEL]: `${namespace}-${NATS}` };
}

/** Kubernetes' recommended labels for the spine's objects; the spine is the `nats` domain. */
export function natsLabels(system: string, namespace: string, version: string, component: string): Record<string, string> {
  return {
    ...natsSelector(namespace),
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': system,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/managed-by': 'polyglot',
    [DOMAIN_LABEL]: NATS,
  };
}
