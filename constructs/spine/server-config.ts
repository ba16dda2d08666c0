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
  ROUTE_ENV,
  ROUTE_TLS_DIR,
  ROUTE_USER,
  SYSTEM_ACCOUNT,
  SYSTEM_USER,
} from './names.js';
import { CONTROLLER_PERMISSIONS, servicePermissions, type NatsPermissions } from './permissions.js';
import type { NatsSpineSettings } from './props.js';
import { parseQuantity } from '../core/units.js';

/** Memory JetStream may use for memory-backed streams; the rest of the container's is the server's. */
export const MAX_MEMORY_STORE = 256 * 1024 * 1024;

/** Bytes each server offers JetStream: 90% of the volume for files (its file system needs room of its own), a fixed share of memory. */
export function jetStreamStore(settings: NatsSpineSettings): { file: number; memory: number } {
  return { file: Math.floor(parseQuantity(settings.storage) * 0.9), memory: MAX_MEMORY_STORE };
}

/** The route URL of every server of the cluster, with the route credentials (filled in by Kubernetes from the Secret). */
export function routeUrls(model: Pick<SystemModel, 'name'>, settings: NatsSpineSettings): string[] {
  const namespace = `${model.name}-${NATS}`;
  return Array.from(
    { length: settings.replicas },
    (_, i) => `nats://${ROUTE_USER}:$(${ROUTE_ENV.secret})@${NATS}-${i}.${NATS_HEADLESS}.${namespace}.svc.cluster.local:${PORTS.cluster}`,
  );
}
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
 * the server reads from its environment, filled from the `nats-users` Secret, which holds bcrypt
 * hashes only (the plaintext is in each service's own Secret).
 *
 * Routes authenticate: a server that connects to the route port must present the route user and
 * password, and every server presents them on its own routes (the URLs carry them, assembled by
 * Kubernetes from the `nats-route` Secret into $NATS_ROUTES). With `routeTls` the routes also
 * use mutual TLS with the certificates of that Secret.
 */
export function natsServerConfig(model: SystemModel, settings: NatsSpineSettings): string {
  const user = (name: string, permissions?: NatsPermissions): ConfUser => ({ user: name, password: confVariable(passwordVariable(name)), permissions });
  const serviceUsers = natsClients(model).map((s) => user(natsUser(s), servicePermissions(s, model)));
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
      max_file_store: jetStreamStore(settings).file,
      max_memory_store: jetStreamStore(settings).memory,
    },
    // A single server has no routes; a cluster routes to every pod through the headless Service.
    cluster:
      settings.replicas > 1
        ? {
            name: model.name,
            port: PORTS.cluster,
            authorization: { user: ROUTE_USER, password: confVariable(ROUTE_ENV.password), timeout: 2 },
            routes: confVariable(ROUTE_ENV.routes),
            tls: settings.routeTls
              ? {
                  cert_file: `${ROUTE_TLS_DIR}/tls.crt`,
                  key_file: `${ROUTE_TLS_DIR}/tls.key`,
                  ca_file: `${ROUTE_TLS_DIR}/ca.crt`,
                  verify: true,
                  timeout: 5,
                }
              : undefined,
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
