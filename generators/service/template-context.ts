/**
 * What a service template (`templates/<runtime>/`) is rendered with. Build-time facts only: the
 * names, the runtime profile's numbers, and which contracts the service serves, calls, publishes
 * and subscribes to. Everything the model may change later (timeouts, retries, backoff,
 * deadline, targets, subjects, NATS user) is NOT here: a rendered service reads those at start-up
 * from the service config synth writes (`/etc/polyglot/service.json`, schema
 * `polyglot.dev/service-config/v1`, docs/service-config.md), so a model change needs no re-render.
 */
export interface TemplateContext {
  readonly system: { readonly name: string; readonly version: string };
  readonly service: ServiceFacts;
  /** The service's name in the spellings each language wants. */
  readonly names: NameForms;
  /** gRPC contracts this service implements. */
  readonly serves: readonly GrpcContractFacts[];
  /** gRPC contracts this service calls. */
  readonly calls: readonly GrpcContractFacts[];
  readonly publishes: readonly EventFacts[];
  readonly subscribes: readonly EventFacts[];
  /** Every .proto file the served and called contracts need (imports included), relative to the
   * service's `proto/` folder, sorted. The generator copies them there before codegen. */
  readonly protoFiles: readonly string[];
  /** True when the service publishes or subscribes (it then gets a NATS client). */
  readonly usesNats: boolean;
  /** Pinned toolchain and library versions the template's build files use. */
  readonly versions: Readonly<Record<string, string>>;
  /** The JSON Schema of `polyglot.dev/service-config/v1` (schemas/service-config.v1.json), as
   * text: templates write it into the service and validate the config against it at start-up. */
  readonly serviceConfigSchema: string;
}

export interface ServiceFacts {
  /** DNS label, e.g. `billing`. */
  readonly name: string;
  readonly domain: string;
  /** `<system>-<domain>`. */
  readonly namespace: string;
  /** `go` | `rust` | `elixir` | `typescript` (or a registered runtime). */
  readonly runtime: string;
  readonly version: string;
  /** The ports the model gives the service: the runtime profile's, with the gRPC port of its
   * `whenServingGrpc` when it serves a contract (TypeScript); absent ones are not opened. */
  readonly ports: { readonly grpc?: number; readonly http: number; readonly websocket?: number };
  /** The numeric UID (and GID) the manifest's securityContext runs the container as. */
  readonly uid: number;
  /** Seconds the manifest's preStop hook waits before SIGTERM. */
  readonly preStopDrainSeconds: number;
  /** Seconds between SIGTERM and SIGKILL: the service must finish shutting down inside it. */
  readonly terminationGraceSeconds: number;
  /** `<registry>/<service>:<version>`. */
  readonly image: string;
}

export interface NameForms {
  /** `token-signer` */ readonly kebab: string;
  /** `token_signer` */ readonly snake: string;
  /** `TokenSigner` */ readonly pascal: string;
  /** `tokenSigner` */ readonly camel: string;
}

export interface GrpcContractFacts {
  /** The contract's name in the model, e.g. `token-signer`. */
  readonly contract: string;
  /** Fully qualified service, e.g. `jvn.auth.v1.TokenSigner`. */
  readonly grpcService: string;
  /** Proto package, e.g. `jvn.auth.v1`. */
  readonly protoPackage: string;
  /** Service name without the package, e.g. `TokenSigner`. */
  readonly serviceName: string;
  /** The .proto file that declares the service, relative to `proto/`, e.g. `jvn/auth/v1/signer.proto`. */
  readonly protoFile: string;
  /** The contract name in language spellings (for variables, modules). */
  readonly names: NameForms;
  readonly methods: readonly GrpcMethodFacts[];
}

export interface GrpcMethodFacts {
  /** `Sign` */ readonly name: string;
  /** `signer` style lower-first name: `sign` */ readonly camel: string;
  /** `sign` */ readonly snake: string;
  /** Fully qualified input message, e.g. `jvn.auth.v1.SignRequest`. */
  readonly inputType: string;
  /** Input message name without package, e.g. `SignRequest`. */
  readonly inputName: string;
  readonly outputType: string;
  readonly outputName: string;
  readonly clientStreaming: boolean;
  readonly serverStreaming: boolean;
}

export interface EventFacts {
  /** The event contract's name, e.g. `presence-changed`. */
  readonly event: string;
  /** The subject as declared, e.g. `jvn.presence.changed.{room}`. */
  readonly subject: string;
  readonly names: NameForms;
}
