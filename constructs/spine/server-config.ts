import { natsUser, usesEvents } from './client.js';
import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { confVariable, renderConf } from './conf-text.js';
import {
  appAccount,
  CONTROLLER_USER,
  NATS,
  NATS_HEADLESS,
  passwordVariable,
  PATHS,
  PORTS,
  SYSTEM_ACCOUNT,
  SYSTEM_USER,
} from './names.js';
import { CONTROLLER_PERMISSIONS, servicePermissions, type NatsPermissions } from './permissions.js';
import type { NatsSpineSettings } from './props.js';
import { parseQuantity } from '../core/units.js';

/** Memory JetStream may use for memory-backed streams; the rest of the container's is the server's. */
const MAX_MEMORY_STORE = 256 * 1024 * 1024;
/**
 * Lame duck mode on shutdown: after a grace period, clients are moved to the other servers over
 * the duration, so a rolling restart drops no one. The pod's termination grace covers both plus
 * time to flush JetStream to disk.
 */
export const LAME_DUCK = { gracePeriod: '10s', duration: '30s', terminationGraceSeconds: 60 } as const;

/** A NATS user as written to the config. */
interface ConfUser {
  readonly user: string;
  readonly password: string;
  readonly permissions?: NatsPermissions;
}

/** The services that get a NATS user: those that publish or subscribe. */
export function natsClients(model: SystemModel): Workload[] {
  return model.services.filter(usesEvents);
}

/** Every user the config defines (service users, the controller, the operator), sorted by name. */
export function natsUsers(model: SystemModel): string[] {
  return [...natsClients(model).map(natsUser), CONTROLLER_USER, SYSTEM_USER].sort();
}

/**
 * The server config every node of the cluster runs, in `nats/nats.conf` and the `nats-config`
 * ConfigMap. Nodes differ only by $SERVER_NAME (the pod name). One account holds the system's
 * users with JetStream enabled; the system account holds the operator. Passwords are variables
 * the server reads from its environment, filled from the `nats-users` Secret.
 */
export function natsServerConfig(model: SystemModel, settings: NatsSpineSettings): string {
  const namespace = `${model.name}-${NATS}`;
  const user = (name: string, permissions?: NatsPermissions): ConfUser => ({ user: name, password: confVariable(passwordVariable(name)), permissions });
  const serviceUsers = natsClients(model).map((s) => user(natsUser(s), servicePermissions(s)));
  const appUsers = [...serviceUsers, user(CONTROLLER_USER, CONTROLLER_PERMISSIONS)].sort((a, b) => a.user.localeCompare(b.user));

  return renderConf({
    server_name: confVariable('SERVER_NAME'),
    port: PORTS.client,
    http_port: PORTS.monitor,
    pid_file: PATHS.pidFile,
    lame_duck_duration: LAME_DUCK.duration,
    lame_duck_grace_period: LAME_DUCK.gracePeriod,
    jetstream: {
      store_dir: PATHS.data,
      // The volume's file system needs room of its own: JetStream may fill 90% of it.
      max_file_store: Math.floor(parseQuantity(settings.storage) * 0.9),
      max_memory_store: MAX_MEMORY_STORE,
    },
    // A single server has no routes; a cluster routes to every pod through the headless Service.
    cluster:
      settings.replicas > 1
        ? {
            name: model.name,
            port: PORTS.cluster,
            routes: Array.from(
              { length: settings.replicas },
              (_, i) => `nats://${NATS}-${i}.${NATS_HEADLESS}.${namespace}.svc.cluster.local:${PORTS.cluster}`,
            ),
          }
        : undefined,
    websocket: settings.websocket ? { port: settings.websocket.port, no_tls: true } : undefined,
    accounts: {
      [appAccount(model.name)]: { jetstream: 'enabled', users: appUsers },
      [SYSTEM_ACCOUNT]: { users: [user(SYSTEM_USER)] },
    },
    system_account: SYSTEM_ACCOUNT,
  });
}
