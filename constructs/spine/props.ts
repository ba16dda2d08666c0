import { z } from 'zod';
import { dnsLabel } from '../core/names.js';
import { portNumber } from '../core/units.js';
import { parseQuantity, quantityString, storageSize } from '../core/units.js';

/** The optional websocket listener of the NATS servers. */
export interface NatsWebsocketProps {
  /** Port of the websocket listener. TLS is expected to end at the ingress in front of it.
   * @default 8080 */
  readonly port?: number;
}

/** CPU and memory of each NATS server container. */
export interface NatsResourcesProps {
  /** @default '500m' */
  readonly cpuRequest?: string;
  /** @default '2' */
  readonly cpuLimit?: string;
  /** Requested and limited alike: a server over its request is the first the kubelet evicts.
   * @default '1Gi' */
  readonly memory?: string;
}

/** Mutual TLS on the cluster routes, on top of their password. */
export interface NatsRouteTlsProps {
  /** A Secret in the NATS namespace with `tls.crt`, `tls.key` and `ca.crt` (cert-manager
   * writes these); every server presents its certificate and checks its peer's against `ca.crt`. */
  readonly secretName: string;
}

/** Props of the NATS event spine, `System`'s `nats` prop. */
export interface NatsSpineProps {
  /**
   * Deploy the NATS cluster: StatefulSet, Services, network policies, server config
   * (`nats/nats.conf`) and the JetStream Stream and Consumer resources. Turn it off to run NATS
   * yourself; the services still connect to `nats.<system>-nats` as their own users.
   * @default true (the spine is synthesized as soon as one service publishes or subscribes)
   */
  readonly enabled?: boolean;
  /** NATS servers in the cluster. Three tolerate the loss of one; streams cannot have more
   * replicas than there are servers.
   * @default 3 */
  readonly replicas?: 1 | 3 | 5;
  /** Size of each server's JetStream volume (a PersistentVolumeClaim per server), at least
   * 1Gi. JetStream may fill 90% of it; every stream's maxBytes must fit in that together.
   * @default '10Gi' */
  readonly storage?: string;
  /** StorageClass of the JetStream volumes.
   * @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Open a websocket listener, reachable from the ingress controller's namespace.
   * @default - no websocket listener */
  readonly websocket?: NatsWebsocketProps;
  /** Server image; the tag becomes `app.kubernetes.io/version`.
   * @default 'nats:2.11.17-alpine' */
  readonly image?: string;
  /** Namespace of the NACK JetStream controller, which creates the streams and consumers.
   * It is let in to the client port and connects as the user `nack`.
   * @default 'nack' */
  readonly controllerNamespace?: string;
  /** CPU and memory of each server; JetStream's memory store (256Mi) lives in the memory, so
   * it is at least 512Mi.
   * @default - 500m CPU requested, 2 CPUs limit, 1Gi memory */
  readonly resources?: NatsResourcesProps;
  /** Mutual TLS on the routes between the servers (their password is always required).
   * @default - routes authenticate with the route password, in clear text inside the namespace */
  readonly routeTls?: NatsRouteTlsProps;
}

export const natsSpineSchema = z.strictObject({
  enabled: z.boolean().default(true),
  replicas: z.union([z.literal(1), z.literal(3), z.literal(5)]).default(3),
  storage: storageSize.refine((size) => quantityValue(size) >= 2 ** 30, { message: "at least '1Gi': JetStream keeps every stream and its metadata on this volume" }).default('10Gi'),
  storageClassName: dnsLabel.optional(),
  websocket: z.strictObject({ port: portNumber.default(8080) }).optional(),
  image: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._\/:@-]*:[A-Za-z0-9._-]+$/, "expected an image with a tag, e.g. 'nats:2.11.17-alpine'")
    .default('nats:2.11.17-alpine'),
  controllerNamespace: dnsLabel.default('nack'),
  resources: z
    .strictObject({
      cpuRequest: quantityString.refine((q) => quantityValue(q) > 0, { message: 'expected more than 0 CPU' }).default('500m'),
      cpuLimit: quantityString.refine((q) => quantityValue(q) > 0, { message: 'expected more than 0 CPU' }).default('2'),
      memory: storageSize
        .refine((q) => quantityValue(q) >= 512 * 2 ** 20, { message: "at least '512Mi': JetStream's memory store alone takes 256Mi" })
        .default('1Gi'),
    })
    .refine((r) => quantityValue(r.cpuRequest) <= quantityValue(r.cpuLimit), { message: 'cpuRequest is above cpuLimit: Kubernetes refuses the pod; lower the request or raise the limit' })
    .default({ cpuRequest: '500m', cpuLimit: '2', memory: '1Gi' }),
  routeTls: z.strictObject({ secretName: dnsLabel }).optional(),
});

/** The spine's settings with defaults applied. */
export type NatsSpineSettings = z.output<typeof natsSpineSchema>;

/** A quantity's value for a bound check; a malformed one passes here, as its format is reported on its own. */
function quantityValue(quantity: string): number {
  try {
    return parseQuantity(quantity);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
