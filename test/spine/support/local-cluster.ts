// Boots a generated nats-server config as a cluster of real servers on loopback. Only what cannot
// be the same on one machine is rewritten: listen addresses and ports, routes, the JetStream
// store and the pid file. Accounts, users, permissions and JetStream limits stay as generated;
// passwords are filled in through the same environment variables the Kubernetes pods get.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { natsPasswordHash } from '../../../constructs/index.js';
import { toolPath } from '../../support/tools.js';

/** `$NAME` where a value stands in the generated config: a variable nats-server fills from its environment. */
const VARIABLE = /(:\s*)\$([A-Z_][A-Z0-9_]*)/g;

/** The variables a generated config reads from the environment. */
export function configVariables(conf: string): string[] {
  return [...new Set([...conf.matchAll(VARIABLE)].map((m) => m[2]!))].sort();
}

/** Parses a generated config (JSON with unquoted `$VARIABLES`), keeping each variable as the string `$NAME`. */
export function parseConf(conf: string): Record<string, any> {
  return JSON.parse(conf.replace(VARIABLE, '$1"$$$2"')) as Record<string, any>;
}

/** Renders a parsed config back, unquoting exactly the variables the original had. */
export function renderConf(config: Record<string, any>, variables: readonly string[]): string {
  let text = JSON.stringify(config, null, 2);
  for (const name of variables) text = text.replaceAll(`"$${name}"`, `$${name}`);
  return text;
}

/** The route password the test servers share. */
export const TEST_ROUTE_PASSWORD = 'test-route-password';

/**
 * The environment a generated config needs, as the pods get it: each user's bcrypt hash (the
 * `nats-users` Secret holds hashes, quoted), the route password quoted, and the routes; and the
 * plaintext password of each user, which only its service knows.
 */
export function testEnvironment(conf: string, routes: readonly string[] = []): { env: Record<string, string>; passwords: Record<string, string> } {
  const env: Record<string, string> = {};
  const passwords: Record<string, string> = {};
  const generated = parseConf(conf);
  for (const account of Object.values(generated.accounts as Record<string, { users: { user: string; password: string }[] }>)) {
    for (const user of account.users) {
      const plain = `test-${user.user}-password`;
      passwords[user.user] = plain;
      env[user.password.slice(1)] = natsPasswordHash(plain);
    }
  }
  for (const variable of configVariables(conf)) {
    if (variable === 'NATS_ROUTE_PASSWORD') env[variable] = `"${TEST_ROUTE_PASSWORD}"`;
    if (variable === 'NATS_ROUTES') env[variable] = JSON.stringify(routes);
  }
  return { env, passwords };
}

/** Free TCP ports on loopback (the OS picks them; each is released before the server binds it). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export interface LocalNode {
  readonly name: string;
  readonly clientUrl: string;
  readonly monitorUrl: string;
  /** The route port, on loopback. */
  readonly clusterPort: number;
  readonly process: ChildProcess;
  /** Everything the server logged, for failure messages. */
  readonly log: () => string;
}

export interface LocalCluster {
  readonly nodes: readonly LocalNode[];
  /** Client URLs of every node. */
  readonly servers: string[];
  /** The password each user was given, by user name. */
  readonly passwords: Readonly<Record<string, string>>;
  /** Stops every server: SIGTERM, then SIGKILL after a few seconds. Safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalClusterOptions {
  /** Directory for configs, JetStream stores and pid files. */
  readonly dir: string;
  readonly nodes: number;
  /** How long to wait for every node's /healthz. @default 30_000 */
  readonly readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
// A crashed test run must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts the config as a cluster and waits until every node's /healthz answers ok. */
export async function startLocalCluster(conf: string, options: LocalClusterOptions): Promise<LocalCluster> {
  const variables = configVariables(conf);
  const generated = parseConf(conf);

  const ports = await freePorts(options.nodes * 4);
  const nodePorts = Array.from({ length: options.nodes }, (_, i) => ({
    client: ports[i * 4]!,
    cluster: ports[i * 4 + 1]!,
    monitor: ports[i * 4 + 2]!,
    websocket: ports[i * 4 + 3]!,
  }));
  // The routes carry the route credentials, as the pods' $NATS_ROUTES does.
  const { env, passwords } = testEnvironment(conf, nodePorts.map((other) => `nats://route:${TEST_ROUTE_PASSWORD}@127.0.0.1:${other.cluster}`));
  const nodes: LocalNode[] = nodePorts.map((p, i) => {
    const name = `nats-${i}`;
    const nodeDir = join(options.dir, name);
    mkdirSync(nodeDir, { recursive: true });
    const local = structuredClone(generated);
    local.host = '127.0.0.1';
    local.port = p.client;
    delete local.http_port;
    local.http = `127.0.0.1:${p.monitor}`;
    local.pid_file = join(nodeDir, 'nats.pid');
    local.jetstream.store_dir = join(nodeDir, 'jetstream');
    if (local.cluster) {
      local.cluster.host = '127.0.0.1';
      local.cluster.port = p.cluster;
    }
    if (local.websocket) {
      local.websocket.host = '127.0.0.1';
      local.websocket.port = p.websocket;
    }
    const file = join(nodeDir, 'nats.conf');
    writeFileSync(file, renderConf(local, variables));
    let log = '';
    const child = spawn(toolPath('nats-server'), ['-c', file], {
      env: { PATH: process.env.PATH ?? '', ...env, SERVER_NAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    child.stdout!.on('data', (chunk) => (log += chunk));
    child.stderr!.on('data', (chunk) => (log += chunk));
    return { name, clientUrl: `nats://127.0.0.1:${p.client}`, monitorUrl: `http://127.0.0.1:${p.monitor}`, clusterPort: p.cluster, process: child, log: () => log };
  });

  const stop = async () => {
    await Promise.all(nodes.map((node) => stopProcess(node.process)));
  };
  try {
    await Promise.all(nodes.map((node) => waitHealthy(node, options.readyTimeoutMs ?? 30_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, servers: nodes.map((n) => n.clientUrl), passwords, stop };
}

async function waitHealthy(node: LocalNode, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (node.process.exitCode !== null) throw new Error(`${node.name} exited with ${node.process.exitCode}:\n${node.log()}`);
    try {
      const response = await fetch(`${node.monitorUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
      const body = (await response.json()) as { status?: string; error?: string };
      if (response.ok && body.status === 'ok') return;
      last = JSON.stringify(body);
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${node.name} not healthy after ${timeoutMs} ms (last: ${last}):\n${node.log()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts one nats-server from a config written by the test itself (a rogue server, say), with
 * its monitoring port on `monitorPort`; resolves once /healthz answers ok.
 */
export async function startServer(name: string, config: Record<string, unknown>, dir: string, monitorPort: number): Promise<LocalNode & { stop(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.conf`);
  writeFileSync(file, JSON.stringify({ ...config, http: `127.0.0.1:${monitorPort}` }, null, 2));
  let log = '';
  const child = spawn(toolPath('nats-server'), ['-c', file], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const cluster = (config.cluster as { port?: number } | undefined)?.port ?? 0;
  const node = { name, clientUrl: `nats://127.0.0.1:${config.port}`, monitorUrl: `http://127.0.0.1:${monitorPort}`, clusterPort: cluster, process: child, log: () => log };
  try {
    await waitHealthy(node, 30_000);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { ...node, stop: () => stopProcess(child) };
}
