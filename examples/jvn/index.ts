/**
 * The Pulumi program of jvn: `pulumi up` deploys the system to the cluster of the current
 * kubeconfig with generator-polyglot/pulumi (README: Deploy with Pulumi). NACK, with its
 * jetstream.nats.io CRDs, must be installed in the cluster first (the streams are its objects).
 *
 * Stack config (`pulumi config set polyglot:<key> <value>`) is checked against the model: jvn()
 * builds its System without deploy settings today, so the component refuses a setting it would
 * not apply (environment, version, image tags) rather than deploy something else, and holds the
 * model to `polyglot:replicaFloor`.
 */
import { SystemDeployment } from 'generator-polyglot/pulumi';
import { jvn } from './system.js';

const deployment = new SystemDeployment('jvn', { system: () => jvn() });

/** The namespaces of the system, in apply order. */
export const namespaces = deployment.plan.foundation.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
