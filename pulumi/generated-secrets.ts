import { randomBytes } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { RequiredSecret } from '../constructs/index.js';

/**
 * The Secrets of the secrets plan, with random values, as Pulumi secrets: encrypted in the state,
 * masked in the CLI's output, never in a manifest file (synth only names them).
 *
 * Randomness comes from node:crypto in the program, wrapped in `pulumi.secret`, not from
 * @pulumi/random: that provider is another Go binary, and none is built here. A program makes new
 * values on every run, so each key ignores changes once it exists: the value made when the key
 * was created stays (in the cluster and in the state), later runs change nothing, and a key
 * added later (a new service's NATS user) gets a value. To rotate a Secret, replace it:
 * `pulumi up --replace <urn>`.
 *
 * Keys with the same value id hold the same value (a service's NATS password and its entry in
 * `nats-users`) when they are created in the same run. A key created later that shares its id
 * with an older key gets a new value; `pulumi up --replace` both Secrets to line them up.
 */
export function generatedSecrets(
  secrets: readonly RequiredSecret[],
  opts: pulumi.CustomResourceOptions,
  random: () => string = () => randomBytes(32).toString('hex'),
): k8s.core.v1.Secret[] {
  const values = new Map<string, pulumi.Output<string>>();
  const valueOf = (id: string) => {
    if (!values.has(id)) values.set(id, pulumi.secret(random()));
    return values.get(id)!;
  };
  return secrets.map(
    (secret) =>
      new k8s.core.v1.Secret(
        `${secret.namespace}/${secret.name}`,
        {
          metadata: {
            name: secret.name,
            namespace: secret.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'polyglot' },
            annotations: { 'polyglot.dev/purpose': secret.purpose },
          },
          type: 'Opaque',
          stringData: Object.fromEntries(Object.entries(secret.keys).map(([key, id]) => [key, valueOf(id)])),
        },
        {
          ...opts,
          // Brackets: keys such as `catalog-ranking` are not plain property names.
          // (k8s.core.v1.Secret marks `data` and `stringData` as secret outputs itself.)
          ignoreChanges: Object.keys(secret.keys).map((key) => `stringData[${JSON.stringify(key)}]`),
        },
      ),
  );
}
