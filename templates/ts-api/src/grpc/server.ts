// The gRPC server of the contracts this service serves (the config's `serves[]`), on the config's
// `ports.grpc`, beside the standard health service (grpc.health.v1, what the manifest's gRPC probes
// and load balancers ask): the server ('') and each contract are SERVING once the whole service is
// ready (HTTP listens too: the readiness probe speaks for both), NOT_SERVING from the moment
// shutdown begins; `liveness` (the liveness and startup probes) is SERVING while the process
// listens, draining included, so a busy or draining pod is not restarted.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { ConfigError, type ServiceConfig } from '../config.ts';
import type { ServedContract } from './serve.ts';

/** The health service the manifest's liveness and startup probes ask for (`service: liveness`). */
export const LIVENESS = 'liveness';

export interface GrpcServer {
  readonly health: HealthImplementation;
  /** Binds and serves; returns the bound port (the config's, or a free one when asked for 0). */
  start(host: string, port?: number): Promise<number>;
  /** Health SERVING for the server and each contract: call once the whole service is ready. */
  ready(): void;
  /** NOT_SERVING, no new calls, calls in flight finish; after `graceMs` the rest are cancelled. */
  shutdown(graceMs: number): Promise<void>;
}

/** The port to serve on: `ports.grpc`, required once the service serves a contract. */
export function grpcPort(config: ServiceConfig): number {
  const port = config.ports.grpc;
  if (port === undefined) {
    throw new ConfigError(`service config: field ports.grpc is missing, and the service serves ${config.serves.map((s) => s.grpcService).join(', ')}: give the workload a grpc port`);
  }
  return port;
}

export function createGrpcServer(config: ServiceConfig, contracts: readonly ServedContract[], onInternalError: (error: unknown, method: string) => void): GrpcServer {
  // Every contract the config says this service serves must have handlers, and the reverse.
  const configured = new Set(config.serves.map((s) => s.grpcService));
  const implemented = new Set(contracts.map((c) => c.name));
  for (const name of configured) if (!implemented.has(name)) throw new ConfigError(`service config: serves[] lists ${name}, which this build does not implement`);
  for (const name of implemented) if (!configured.has(name)) throw new ConfigError(`service config: serves[] does not list ${name}, which this build implements (the config is for another version?)`);

  const server = new Server({
    // Keepalive from the server side: dead clients' connections are noticed and closed.
    'grpc.keepalive_time_ms': 60_000,
    'grpc.keepalive_timeout_ms': 20_000,
  });
  const health = new HealthImplementation({
    '': 'NOT_SERVING',
    [LIVENESS]: 'SERVING',
    ...Object.fromEntries(contracts.map((c) => [c.name, 'NOT_SERVING' as const])),
  });
  health.addToServer(server);
  for (const contract of contracts) server.addService(contract.definition, contract.implementation(config.deadlineMs, onInternalError));

  let stopping = false;
  const setAll = (status: 'SERVING' | 'NOT_SERVING') => {
    health.setStatus('', status);
    for (const contract of contracts) health.setStatus(contract.name, status);
  };

  return {
    health,
    async start(host, port = grpcPort(config)) {
      return new Promise<number>((resolve, reject) =>
        server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, ServerCredentials.createInsecure(), (error, actual) => (error ? reject(error) : resolve(actual))),
      );
    },
    ready() {
      // A SIGTERM during the start wins: a draining server never turns SERVING again.
      if (!stopping) setAll('SERVING');
    },
    async shutdown(graceMs) {
      stopping = true;
      setAll('NOT_SERVING');
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
