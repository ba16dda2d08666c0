/**
 * The Pulumi program of jvn: `pulumi up` deploys the system to the cluster of the current
 * kubeconfig with generator-polyglot/pulumi (README: Deploy with Pulumi). NACK, with its
 * jetstream.nats.io CRDs, must be installed in the cluster first (the streams are its objects).
 *
 * Stack config (`pulumi config set polyglot:<key> <value>`: environment, version, imageTags,
 * replicaFloor, exporters) goes into the model before synthesis (deployment.ts), so the checks
 * see it; a bad value stops the program with the key and a fix before anything is deployed.
 */
import { jvnDeployment } from './deployment.js';

const deployment = jvnDeployment();

/** The namespaces of the system, in apply order. */
export const namespaces = deployment.plan.foundation.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
