import { z } from 'zod';
import { dnsLabel } from '../core/names.js';
import { portNumber } from '../core/units.js';
import { storageSize } from '../core/units.js';

/** The optional websocket listener of the NATS servers. */
export interface NatsWebsocketProps {
  /** Port of the websocket listener. TLS is expected to end at the ingress in front of it.
   * @default 8080 */
  readonly port?: number;
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
  /** Size of each server's JetStream volume (a PersistentVolumeClaim per server).
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
}

export const natsSpineSchema = z.strictObject({
  enabled: z.boolean().default(true),
  replicas: z.union([z.literal(1), z.literal(3), z.literal(5)]).default(3),
  storage: storageSize.default('10Gi'),
  storageClassName: dnsLabel.optional(),
  websocket: z.strictObject({ port: portNumber.default(8080) }).optional(),
  image: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._\/:@-]*:[A-Za-z0-9._-]+$/, "expected an image with a tag, e.g. 'nats:2.11.17-alpine'")
    .default('nats:2.11.17-alpine'),
  controllerNamespace: dnsLabel.default('nack'),
});

/** The spine's settings with defaults applied. */
export type NatsSpineSettings = z.output<typeof natsSpineSchema>;
