/**
 * The extension points of a System: how checks, synthesizers (the NATS spine, telemetry, the
 * documents) and platform wiring plug in. They sit just above the model because every one of
 * them is about the model (core/ cannot name it); everything that implements them — checks/,
 * kubernetes/, spine/, telemetry/, render/ — imports them from here and never from the System.
 */
import type { k8s } from 'cdk8s-plus-28';
import type { Problem } from './core/problems.js';
import type { SystemScope } from './core/settings.js';
import type { SystemModel } from './model.js';
import type { Workload } from './services/workload.js';

/** A check reads the model and returns what is wrong with it; it never changes the model. */
export type Check = (model: SystemModel) => Problem[];

/** What a synthesizer gets: the checked model and ways to add output. */
export interface SynthContext {
  readonly model: SystemModel;
  /** Adds a file to the output, path relative to the outdir (e.g. `nats/nats.conf`). */
  addFile(relativePath: string, content: string): void;
  /**
   * Adds files whose content is still being produced elsewhere (another thread): `collect` is
   * called after everything else is serialized, so the work overlaps.
   */
  addFilesLater(collect: () => ReadonlyMap<string, string>): void;
  /** Records a Secret the output depends on but must never contain (listed in secrets.json). */
  requireSecret(secret: RequiredSecret): void;
}

/** Something that turns the checked model into Kubernetes objects or files (NATS, telemetry…). */
export interface Synthesizer {
  synthesize(context: SynthContext): void;
}

/**
 * Where a shared platform piece lives. Services reach it through their network policies and
 * config; the NATS spine and the telemetry pipeline synthesize the pieces themselves.
 */
export interface PlatformEndpoint {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly port: number; readonly protocol: 'TCP' | 'UDP' }[];
}

/**
 * How a platform piece (the NATS spine, the telemetry pipeline) plugs into every service it
 * serves: environment variables, endpoints its network policy must allow, and blocks of its
 * service config. The System collects these; the workload synthesis applies them without knowing
 * the pieces.
 */
export interface WorkloadWiring {
  /** Environment variables this piece gives the service's container. */
  env?(workload: Workload, model: SystemModel): k8s.EnvVar[];
  /** Endpoints the service must be allowed to reach for this piece. */
  egress?(workload: Workload, model: SystemModel): PlatformEndpoint[];
  /** Top-level blocks this piece adds to the service's config file (`service.json`). A key may
   * be given by one wiring only. */
  serviceConfig?(workload: Workload, model: SystemModel): Record<string, unknown>;
}

/**
 * A Secret the output depends on but never contains. Synth lists them in `secrets.json`
 * (names, namespaces, keys: no values) so `polyglot secrets` can create them with fresh random
 * values and a deploy can check they exist.
 */
export interface RequiredSecret {
  readonly namespace: string;
  readonly name: string;
  /** `generated`: random values `polyglot secrets` can make. `tls`: a certificate and key the user
   * brings (`kubectl create secret tls`). `provided`: values that exist elsewhere already (an
   * external database's credentials), which the user copies in (`kubectl create secret generic`). */
  readonly type: 'generated' | 'tls' | 'provided';
  /** Key → value id. Keys with the same value id, in any Secret, must hold the same value.
   * `nats-bcrypt:<id>` is the bcrypt hash of value `<id>` (a service's NATS password is in its
   * own Secret, its hash in the servers' `nats-users`; see `secretValue`). */
  readonly keys: Readonly<Record<string, string>>;
  /** One line on what reads it. */
  readonly purpose: string;
}

/** What a platform piece may do to the System it joins: its settings and the three registries. */
export interface SystemExtensions extends SystemScope {
  addCheck(check: Check): void;
  addSynthesizer(synthesizer: Synthesizer): void;
  addWorkloadWiring(wiring: WorkloadWiring): void;
}
