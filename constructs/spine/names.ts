/** Names shared by the NATS objects, the server config and the service wiring. */
export const NATS = 'nats';
/** Headless Service: stable DNS names for the cluster routes, ready or not. */
export const NATS_HEADLESS = 'nats-headless';
export const NATS_CONFIG_MAP = 'nats-config';
/** Secret in the NATS namespace holding every user's password, one key per user. */
export const NATS_USERS_SECRET = 'nats-users';

export const PORTS = { client: 4222, cluster: 6222, monitor: 8222 } as const;
export const PORT_NAMES = { client: 'client', cluster: 'cluster', monitor: 'monitor', websocket: 'websocket' } as const;

/** Where things live inside the server container. */
export const PATHS = {
  configDir: '/etc/nats-config',
  configFile: '/etc/nats-config/nats.conf',
  data: '/data',
  tmp: '/tmp',
  pidFile: '/tmp/nats.pid',
} as const;

/** The account every service user is in; JetStream is enabled for it. */
export const appAccount = (system: string) => system.toUpperCase().replace(/-/g, '_');
/** NATS' own name for the system account; no application account can be named so. */
export const SYSTEM_ACCOUNT = '$SYS';
/** Operator user of the system account (server reports, `nats server ...`). */
export const SYSTEM_USER = 'system';
/** User of the NACK JetStream controller, which creates streams and consumers. */
export const CONTROLLER_USER = 'nack';

/** The environment variable the server reads a user's password from, e.g. NATS_PASSWORD_CATALOG_ROOMS. */
export const passwordVariable = (user: string) => `NATS_PASSWORD_${user.toUpperCase().replace(/-/g, '_')}`;

/** The user the servers authenticate each other's routes as. */
export const ROUTE_USER = 'route';
/** Secret in the NATS namespace holding the route password (key `password`), shared by the servers. */
export const NATS_ROUTE_SECRET = 'nats-route';
/**
 * Environment of the server container for the routes: the raw password from the Secret, the
 * same quoted for the config (nats-server parses a variable's value as config text, where a bare
 * value like `5e10ab…` is a number), and the route URLs with the password in them.
 */
export const ROUTE_ENV = { secret: 'NATS_ROUTE_SECRET', password: 'NATS_ROUTE_PASSWORD', routes: 'NATS_ROUTES' } as const;
/** Where the route TLS Secret is mounted, when routes use TLS. */
export const ROUTE_TLS_DIR = '/etc/nats-route-tls';
