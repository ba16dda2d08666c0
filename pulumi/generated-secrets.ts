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
 * values on every run, so each key ignores changes once it exists: the value made when the Secret
 * was created stays (in the cluster and in the state), and later runs change nothing.
 *
 * The values go into `data` (base64), not `stringData`: the Kubernetes provider stores a
 * Secret's inputs with `stringData` folded into `data`, and Pulumi's ignoreChanges compares with
 * those stored inputs. An ignored `stringData` key finds no old value, so Pulumi drops it, and
 * the next `pulumi up` replaced every Secret with an empty one (found by
 * test/deploy/pulumi-up.integ.test.ts with the real CLI and provider; the mocks cannot show it).
 *
 * Keys with the same value id hold the same value (a service's NATS password and its entry in
 * `nats-users`) when they are created in the same run. A key added to an existing Secret later
 * (a new service's entry in `nats-users`) is dropped the same way (ignoreChanges has no old
 * value for it): replace that Secret and the Secrets sharing its value ids,
 * `pulumi up --replace <urn> --replace <urn>…`, which is also how to rotate.
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
          data: Object.fromEntries(Object.entries(secret.keys).map(([key, id]) => [key, valueOf(id).apply(base64)])),
        },
        {
          ...opts,
          // Brackets: keys such as `catalog-ranking` are not plain property names.
          // (k8s.core.v1.Secret marks `data` and `stringData` as secret outputs itself.)
          ignoreChanges: Object.keys(secret.keys).map((key) => `data[${JSON.stringify(key)}]`),
        },
      ),
  );
}

function base64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}
