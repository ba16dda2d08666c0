/**
 * jvn: a real-time backbone for 340k concurrent connections.
 *
 * Go owns the service plane (identity, catalog), Rust holds the hot path (token signing,
 * ranking), Elixir holds the websockets (presence), TypeScript serves the edge API (gateway).
 * Services never name each other: they name contracts.
 */
import { z } from 'zod';
import { ElixirFanout, EventContract, GoService, GrpcContract, RustHotPath, System, TsApi } from 'generator-polyglot';

/** Builds the jvn model; `main.ts` synthesizes it, tests read it. */
export function jvn(): System {
  const jvn = new System({
    name: 'jvn',
    version: '1.0.0',
    imageRegistry: 'registry.jvn.example/jvn',
    // Proto files, buf.yaml and contracts.lock.json are next to this file, wherever it runs from.
    contracts: { root: import.meta.dirname },
  });

  // Synchronous contracts: gRPC services in contracts/ (a buf module).
  const tokenSigner = new GrpcContract(jvn, 'token-signer', {
    proto: 'contracts/jvn/auth/v1/signer.proto',
    service: 'jvn.auth.v1.TokenSigner',
    description: 'Issues and verifies short-lived session tokens.',
  });
  const identityApi = new GrpcContract(jvn, 'identity', {
    proto: 'contracts/jvn/identity/v1/identity.proto',
    service: 'jvn.identity.v1.IdentityService',
    description: 'Signs users in and looks them up.',
  });
  const catalogApi = new GrpcContract(jvn, 'catalog', {
    proto: 'contracts/jvn/catalog/v1/catalog.proto',
    service: 'jvn.catalog.v1.CatalogService',
    description: 'Lists the rooms a user can join.',
  });
  const ranker = new GrpcContract(jvn, 'ranker', {
    proto: 'contracts/jvn/ranking/v1/ranker.proto',
    service: 'jvn.ranking.v1.Ranker',
    description: 'Orders candidate rooms for one user.',
  });

  // Asynchronous contracts: NATS subjects with a schema.
  const roomMessage = new EventContract(jvn, 'room-message', {
    subject: 'jvn.rooms.message.{room}',
    schema: z.object({ room: z.string(), user: z.string(), text: z.string().max(4000), sentAt: z.iso.datetime() }),
    stream: { name: 'ROOMS', maxAge: '24h', replicas: 3 },
    description: 'A message posted to a room.',
  });
  const presenceChanged = new EventContract(jvn, 'presence-changed', {
    subject: 'jvn.presence.changed.{room}',
    schema: z.object({ room: z.string(), user: z.string(), online: z.boolean() }),
    stream: { name: 'PRESENCE', maxAge: '1h', replicas: 3 },
    description: 'A user came online or went offline in a room.',
  });
  const userSignedIn = new EventContract(jvn, 'user-signed-in', {
    subject: 'jvn.identity.signed-in.{user}',
    schema: z.object({ user: z.string(), at: z.iso.datetime() }),
    description: 'A user signed in; the ranker warms its cache.',
  });

  // identity: who you are.
  const identity = jvn.domain('identity', { description: 'Accounts, sign-in and session tokens.' });
  new RustHotPath(identity, 'jwt-signer', { serves: [tokenSigner], deadline: '20ms' });
  new GoService(identity, 'identity', {
    serves: [identityApi],
    calls: [{ contract: tokenSigner, timeout: '30ms', retries: 1 }],
    publishes: [userSignedIn],
    deadline: '200ms',
  });

  // catalog: what you can join.
  const catalog = jvn.domain('catalog', { description: 'Rooms and their ranking.' });
  new RustHotPath(catalog, 'ranking', { serves: [ranker], subscribes: [userSignedIn], deadline: '40ms' });
  new GoService(catalog, 'rooms', {
    serves: [catalogApi],
    calls: [{ contract: ranker, timeout: '50ms', retries: 1 }],
    subscribes: [presenceChanged],
    deadline: '250ms',
  });

  // realtime: the websocket spine.
  const realtime = jvn.domain('realtime', { description: 'Websocket fan-out and presence.' });
  new ElixirFanout(realtime, 'presence', {
    calls: [{ contract: tokenSigner, timeout: '30ms', retries: 1 }],
    subscribes: [roomMessage],
    publishes: [presenceChanged],
    websocket: { connections: 340_000, perPod: 50_000 },
  });

  // edge: the public API.
  const edge = jvn.domain('edge', { description: 'The public HTTP API.' });
  new TsApi(edge, 'gateway', {
    calls: [
      { contract: identityApi, timeout: '250ms', retries: 1 },
      { contract: catalogApi, timeout: '300ms', retries: 1 },
    ],
    publishes: [roomMessage],
    ingress: { host: 'api.jvn.example', tlsSecretName: 'api-jvn-example-tls' },
    autoscaling: { minReplicas: 3, maxReplicas: 12 },
    // A request may sign in and list rooms, one after the other, each with one retry:
    // identity 200ms ×2 + 25ms backoff, then rooms 250ms ×2 + 25ms = 950ms (docs/checks.md).
    deadline: '1s',
  });

  return jvn;
}
