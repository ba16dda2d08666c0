/**
 * Where a runtime stands on the technology radar.
 * - `use`: the first pick for new services of its kind.
 * - `watch`: allowed where it already runs; synth warns.
 * - `rescue`: no new services; synth fails.
 */
export type RadarStatus = 'use' | 'watch' | 'rescue';

/** How the kubelet asks a container whether it is alive and ready. */
export type HealthProbe =
  | { readonly kind: 'grpc'; readonly port: 'grpc' }
  | { readonly kind: 'http'; readonly port: 'http' | 'websocket'; readonly livenessPath: string; readonly readinessPath: string };

/** CPU and memory for one container. CPU limits are set so noisy neighbours stay bounded. */
export interface ResourceProfile {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/** The ports a runtime listens on by default. `undefined` means the runtime does not open it. */
export interface PortProfile {
  readonly grpc?: number;
  readonly http: number;
  readonly websocket?: number;
}

/**
 * Everything that follows from choosing a runtime: image, ports, probes, resources, how long it
 * takes to start and to drain, and which OpenTelemetry SDK it reports as.
 */
export interface RuntimeProfile {
  /** The runtime's key, used in labels (`polyglot.dev/runtime`) and in the registry. */
  readonly runtime: string;
  /** Human name, e.g. `Go`. */
  readonly displayName: string;
  /** `app.kubernetes.io/component`: the cut this runtime makes in the system. */
  readonly component: string;
  readonly radar: RadarStatus;
  /** The OpenTelemetry `telemetry.sdk.language` value of its SDK (semantic conventions: `go`,
   * `rust`, `erlang`, `nodejs`, `java`, `dotnet`, `python`…). */
  readonly sdkLanguage: 'go' | 'rust' | 'erlang' | 'nodejs' | 'java' | 'dotnet' | 'python' | 'cpp' | 'php' | 'ruby' | 'swift' | 'webjs';
  readonly ports: PortProfile;
  readonly probe: HealthProbe;
  /**
   * For a runtime whose services open gRPC only when they serve a contract (TypeScript: an HTTP
   * API first, and a gRPC server for the contracts it lists in `serves`): the port such a service
   * opens and the probe it then answers, as the gRPC runtimes do. A runtime whose `ports.grpc` is
   * always open leaves it out.
   * @default - a service of the runtime serves gRPC only on a `ports.grpc` it is given
   */
  readonly whenServingGrpc?: { readonly grpcPort: number; readonly probe: HealthProbe };
  /**
   * The startup probe allows `startupPeriodSeconds × startupFailureThreshold` seconds to start:
   * a static Go binary is up in a second, the BEAM with its release boot takes tens of seconds.
   */
  readonly startupPeriodSeconds: number;
  readonly startupFailureThreshold: number;
  readonly resources: ResourceProfile;
  /** Seconds the preStop hook waits so endpoints are removed before the process gets SIGTERM. */
  readonly preStopDrainSeconds: number;
  /** Seconds between SIGTERM and SIGKILL, after the preStop hook. */
  readonly terminationGraceSeconds: number;
  /** Numeric non-root user the runtime's base image runs as. */
  readonly runAsUser: number;
  /** Deadline a service of this runtime promises when it declares none. */
  readonly defaultDeadline: string;
}

/** True when every service of the runtime opens gRPC, whatever it serves (Go, Rust): such a
 * service is generated with a contract of its own when it is given none to serve. */
export function grpcFirst(profile: RuntimeProfile): boolean {
  return profile.ports.grpc !== undefined;
}

/** True when a service of the runtime may serve gRPC contracts on its default ports: it always
 * opens gRPC, or opens it when it serves ({@link RuntimeProfile.whenServingGrpc}). */
export function canServeGrpc(profile: RuntimeProfile): boolean {
  return grpcFirst(profile) || profile.whenServingGrpc !== undefined;
}

/** The ports a service of the runtime opens before its own `ports` overrides: the profile's, and
 * the gRPC port of `whenServingGrpc` when the service serves a contract. */
export function defaultPorts(profile: RuntimeProfile, servesGrpc: boolean): PortProfile {
  const serving = servesGrpc && !grpcFirst(profile) ? profile.whenServingGrpc : undefined;
  return serving ? { ...profile.ports, grpc: serving.grpcPort } : { ...profile.ports };
}

/** The probe a service of the runtime answers: the profile's, or that of `whenServingGrpc` when the
 * service serves a contract. */
export function healthProbe(profile: RuntimeProfile, servesGrpc: boolean): HealthProbe {
  return (servesGrpc && !grpcFirst(profile) ? profile.whenServingGrpc?.probe : undefined) ?? profile.probe;
}

const registry = new Map<string, RuntimeProfile>();

/** Makes a runtime known to the model; the four built-in runtimes register themselves. */
export function registerRuntime(profile: RuntimeProfile): RuntimeProfile {
  registry.set(profile.runtime, profile);
  return profile;
}

/** The profile of a registered runtime, or `undefined` for an unknown one. */
export function runtimeProfile(runtime: string): RuntimeProfile | undefined {
  return registry.get(runtime);
}

/** The keys of all registered runtimes, sorted. */
export function knownRuntimes(): string[] {
  return [...registry.keys()].sort();
}
