/**
 * jvn: a real-time backbone for 340k concurrent websocket connections.
 *
 * Go owns the service plane (identity, catalog, billing), Rust holds the hot path (token signing,
 * ranking, transcoding), Elixir holds the fan-out (broadcast: the websocket spine; presence),
 * TypeScript serves the edge API (gateway). Services never name each other: they name contracts.
 * The numbers of README.md (capacity, budgets, the walk-through) are generated from this model
 * by readme.ts; never copy them here.
 */
import { z } from 'zod';
import {
  ElixirFanout,
  EventContract,
  ExternalEndpoint,
  GoService,
  GrpcContract,
  RustHotPath,
  System,
  TsApi,
  type SystemProps,
  type WorkloadProps,
} from 'generator-polyglot';

/**
 * What differs between the environments jvn is deployed to, put into the model before anything
 * is synthesized (so the checks see it). `deployment.ts` passes the Pulumi stack config in with
 * generator-polyglot/pulumi's withSystemSettings and withServiceSettings.
 */
export interface JvnSettings {
  /** Changes the System's props (environment, version, exporters).
   * @default - the props as written here */
  readonly system?: (props: SystemProps) => SystemProps;
  /** Changes one service's props (image tag, replicas), given the service's name.
   * @default - the props as written here */
  readonly service?: <P extends WorkloadProps>(name: string, props: P) => P;
}

/** Builds the jvn model; `main.ts` synthesizes it, `readme.ts` documents it, tests read it. */
export function jvn(settings: JvnSettings = {}): System {
  const system = settings.system ?? ((props: SystemProps) => props);
  const service = settings.service ?? (<P extends WorkloadProps>(_name: string, props: P) => props);
  const jvn = new System(
    system({
      name: 'jvn',
      version: '1.0.0',
      imageRegistry: 'registry.jvn.example/jvn',
      // Proto files, buf.yaml and contracts.lock.json are next to this file, wherever it runs from.
      contracts: { root: import.meta.dirname },
    }),
  );

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
  const entitlements = new GrpcContract(jvn, 'entitlements', {
    proto: 'contracts/jvn/billing/v1/entitlements.proto',
    service: 'jvn.billing.v1.Entitlements',
    description: 'Says whether a user may enter a room, and sells access.',
  });

  // Asynchronous contracts: NATS subjects with a schema. A stream where a consumer must not miss
  // a message while it restarts (replay), core NATS where a lost message is only a stale cache.
  const roomMessage = new EventContract(jvn, 'room-message', {
    subject: 'jvn.rooms.message.{room}',
    schema: z.object({ room: z.string(), user: z.string(), text: z.string().max(4000), sentAt: z.iso.datetime() }),
    stream: { name: 'ROOMS', maxAge: '24h', replicas: 3 },
    description: 'A message posted to a room.',
  });
  const sessionChanged = new EventContract(jvn, 'session-changed', {
    subject: 'jvn.realtime.session.{room}',
    schema: z.object({ room: z.string(), user: z.string(), joined: z.boolean(), at: z.iso.datetime() }),
    stream: { name: 'SESSIONS', maxAge: '1h', replicas: 3 },
    description: 'A websocket joined or left a room; presence replays what it missed.',
  });
  const presenceChanged = new EventContract(jvn, 'presence-changed', {
    subject: 'jvn.presence.changed.{room}',
    schema: z.object({ room: z.string(), user: z.string(), online: z.boolean(), inRoom: z.number().int().nonnegative().optional() }),
    stream: { name: 'PRESENCE', maxAge: '1h', replicas: 3 },
    description: 'A user came online or went offline in a room, with the room\'s new head count when known.',
  });
  const entitlementChanged = new EventContract(jvn, 'entitlement-changed', {
    subject: 'jvn.billing.entitlement.{user}',
    schema: z.object({ user: z.string(), room: z.string(), plan: z.enum(['free', 'ticket', 'season']), until: z.iso.datetime() }),
    stream: { name: 'BILLING', maxAge: '168h', replicas: 3 },
    description: 'A purchase or refund changed what a user may enter; money is never dropped.',
  });
  const roomUpdated = new EventContract(jvn, 'room-updated', {
    subject: 'jvn.catalog.room.{room}',
    schema: z.object({ room: z.string(), title: z.string(), status: z.enum(['open', 'live', 'closed']) }),
    stream: { name: 'CATALOG', maxAge: '24h', replicas: 3 },
    description: 'A room was created, renamed, went live or closed.',
  });
  const userSignedIn = new EventContract(jvn, 'user-signed-in', {
    subject: 'jvn.identity.signed-in.{user}',
    schema: z.object({ user: z.string(), at: z.iso.datetime() }),
    description: 'A user signed in; the ranker warms its cache.',
  });
  const mediaUploaded = new EventContract(jvn, 'media-uploaded', {
    subject: 'jvn.media.uploaded.{room}',
    schema: z.object({ room: z.string(), media: z.string(), objectKey: z.string(), contentType: z.string() }),
    stream: { name: 'MEDIA_UPLOADS', maxAge: '72h', replicas: 3 },
    description: 'A recording was uploaded and waits to be transcoded; no job may be lost.',
  });
  const mediaTranscoded = new EventContract(jvn, 'media-transcoded', {
    subject: 'jvn.media.transcoded.{room}',
    schema: z.object({ room: z.string(), media: z.string(), renditions: z.array(z.object({ height: z.number().int(), objectKey: z.string() })) }),
    stream: { name: 'MEDIA_READY', maxAge: '72h', replicas: 3 },
    description: 'A recording is ready to play in every rendition.',
  });

  // External datastores: outside the cluster, reached by CIDR block, with credentials the
  // operator brings (secrets.json lists them).
  const identityDb = new ExternalEndpoint(jvn, 'identity-db', {
    protocol: 'postgresql',
    host: 'identity-db.postgres.jvn.internal',
    port: 5432,
    cidr: '10.40.0.0/24',
    secretKeys: ['username', 'password'],
    description: 'PostgreSQL: accounts and credentials.',
  });
  const billingDb = new ExternalEndpoint(jvn, 'billing-db', {
    protocol: 'postgresql',
    host: 'billing-db.postgres.jvn.internal',
    port: 5432,
    cidr: '10.40.1.0/24',
    secretKeys: ['username', 'password'],
    description: 'PostgreSQL: purchases and entitlements.',
  });
  const presenceStore = new ExternalEndpoint(jvn, 'presence-store', {
    protocol: 'redis',
    host: 'presence.redis.jvn.internal',
    port: 6379,
    cidr: '10.41.0.0/24',
    description: 'Redis: who is in which room, so a restarted presence pod starts warm.',
  });
  const mediaStore = new ExternalEndpoint(jvn, 'media-store', {
    protocol: 'https',
    host: 'media.s3.jvn.internal',
    port: 443,
    cidr: '10.42.0.0/24',
    secretKeys: ['access_key_id', 'secret_access_key'],
    description: 'S3-compatible object store: uploads and renditions.',
  });

  // identity: who you are.
  const identity = jvn.domain('identity', { description: 'Accounts, sign-in and session tokens.' });
  new RustHotPath(identity, 'jwt-signer', service('jwt-signer', { serves: [tokenSigner], deadline: '20ms' }));
  new GoService(identity, 'identity', service('identity', {
    serves: [identityApi],
    calls: [{ contract: tokenSigner, timeout: '30ms', retries: 1 }],
    publishes: [userSignedIn],
    subscribes: [entitlementChanged],
    uses: [identityDb],
    deadline: '200ms',
  }));

  // catalog: what you can join.
  const catalog = jvn.domain('catalog', { description: 'Rooms and their ranking.' });
  new RustHotPath(catalog, 'ranking', service('ranking', { serves: [ranker], subscribes: [userSignedIn, roomUpdated], deadline: '40ms' }));
  new GoService(catalog, 'catalog', service('catalog', {
    serves: [catalogApi],
    calls: [{ contract: ranker, timeout: '50ms', retries: 1 }],
    publishes: [roomUpdated],
    subscribes: [presenceChanged, mediaTranscoded],
    deadline: '250ms',
  }));

  // billing: what you paid for.
  const billing = jvn.domain('billing', { description: 'Purchases and the entitlements they grant.' });
  new GoService(billing, 'billing', service('billing', {
    serves: [entitlements],
    publishes: [entitlementChanged],
    uses: [billingDb],
    deadline: '150ms',
  }));

  // media: recordings, transcoded off the request path.
  const media = jvn.domain('media', { description: 'Uploads and their renditions.' });
  new RustHotPath(media, 'transcode', service('transcode', {
    subscribes: [mediaUploaded],
    publishes: [mediaTranscoded],
    uses: [mediaStore],
    // Transcoding is CPU- and memory-bound, unlike the other hot paths.
    resources: { cpuRequest: '2', cpuLimit: '4', memoryRequest: '1Gi', memoryLimit: '2Gi' },
    autoscaling: { minReplicas: 2, maxReplicas: 10 },
  }));

  // realtime: the websocket spine.
  const realtime = jvn.domain('realtime', { description: 'Websocket fan-out and presence.' });
  new ElixirFanout(realtime, 'broadcast', service('broadcast', {
    calls: [
      { contract: tokenSigner, timeout: '30ms', retries: 1 },
      { contract: entitlements, timeout: '150ms', retries: 1 },
    ],
    publishes: [roomMessage, sessionChanged],
    // Pushed to the sockets as they come; a missed one is superseded by the next. Every pod holds
    // some of the sockets, so every pod gets every message (broadcast: an ordered consumer per pod).
    subscribes: [
      { event: roomMessage, delivery: 'broadcast' },
      { event: presenceChanged, delivery: 'broadcast' },
      { event: roomUpdated, delivery: 'broadcast' },
      { event: entitlementChanged, delivery: 'broadcast' },
    ],
    websocket: { connections: 340_000, perPod: 50_000 },
    deadline: '500ms',
  }));
  new ElixirFanout(realtime, 'presence', service('presence', {
    subscribes: [sessionChanged],
    publishes: [presenceChanged],
    uses: [presenceStore],
    replicas: 3,
  }));

  // edge: the public API.
  const edge = jvn.domain('edge', { description: 'The public HTTP API.' });
  new TsApi(edge, 'gateway', service('gateway', {
    calls: [
      { contract: identityApi, timeout: '250ms', retries: 1 },
      { contract: catalogApi, timeout: '300ms', retries: 1 },
      { contract: entitlements, timeout: '200ms', retries: 1 },
    ],
    publishes: [mediaUploaded],
    ingress: { host: 'api.jvn.example', tlsSecretName: 'api-jvn-example-tls' },
    autoscaling: { minReplicas: 3, maxReplicas: 12 },
    deadline: '1.5s',
  }));

  return jvn;
}
