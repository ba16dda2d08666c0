import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { z } from 'zod';
import { awaitsBuf, defaultChecks, startBufCommands } from './checks/index.js';
import { callPolicySchema, DEFAULT_CALL_POLICY, type CallPolicy, type CallPolicyProps } from './contracts/call-policy.js';
import { EventContract } from './contracts/events.js';
import { GrpcContract } from './contracts/grpc.js';
import { contractSourcesSchema, resolveContractSources, type ContractSources, type ContractSourcesProps } from './contracts/sources.js';
import { Domain, type DomainProps } from './domain.js';
import { synthesizeKubernetes } from './kubernetes/index.js';
import type { Check, RequiredSecret, SynthContext, Synthesizer, SystemExtensions, WorkloadWiring } from './extension.js';
import { buildModel, type SystemModel } from './model.js';
import { DEFAULT_KUBERNETES_VERSION, kubernetesVersion } from './core/kubernetes-version.js';
import { dnsLabel, hostName } from './core/names.js';
import { attachProblemSink, CONTRACTS_SCOPE_ID } from './core/problem-sink.js';
import { SynthError, formatProblems, sortProblems, type Problem } from './core/problems.js';
import { parseProps } from './core/props.js';
import { architectureDocs } from './render/architecture.js';
import { DIAGRAMS_FOLDER, renderDiagrams } from './render/diagram.js';
import { manifestYaml } from './render/manifest-yaml.js';
import { CHECK_REPORT_ENV, writeCheckReport, type Inspection } from './synth/check-report.js';
import { contractDocuments } from './render/contract-documents.js';
import { stableJson } from './core/stable-json.js';
import { KUSTOMIZATION_FILE, kustomization } from './synth/kustomization.js';
import { envClashProblems } from './synth/env-clash.js';
import { claimOutputDir, writeOutputDir, type OutputWrite } from './synth/output-dir.js';
import { SECRETS_PLAN_FILE, secretsPlan } from './synth/secrets-plan.js';
import type { Workload } from './services/workload.js';
import { ExternalEndpoint } from './services/external-endpoint.js';
import { endpointSecrets } from './kubernetes/external-endpoints.js';
import { telemetrySchema, type TelemetryProps } from './telemetry/props.js';
import { addTelemetry } from './telemetry/telemetry.js';
import { addNatsSpine } from './spine/nats-spine.js';
import { natsSpineSchema, type NatsSpineProps } from './spine/props.js';

/** Props of a {@link System}. */
export interface SystemProps {
  /** The system's name: the prefix of every namespace and `app.kubernetes.io/part-of`. */
  readonly name: string;
  /** The system's version: the default version of every service.
   * @default '0.1.0' */
  readonly version?: string;
  /** `deployment.environment.name` in telemetry.
   * @default 'production' */
  readonly environment?: string;
  /** Registry and path prefix of service images: `<imageRegistry>/<service>:<version>`.
   * @default `registry.example.com/${name}` */
  readonly imageRegistry?: string;
  /** IngressClass for services exposed with an Ingress.
   * @default 'nginx' */
  readonly ingressClassName?: string;
  /** Namespace of the ingress controller, allowed in by network policies of exposed services.
   * @default 'ingress-nginx' */
  readonly ingressControllerNamespace?: string;
  /** The Kubernetes version the output is written for, `1.<minor>` (1.28 or later). From 1.30 on,
   * pods wait out their drain with the kubelet's `sleep` preStop action; before, the services
   * drain on SIGTERM alone (docs/drain.md).
   * @default '1.30' */
  readonly kubernetesVersion?: string;
  /** The OpenTelemetry pipeline (agent and gateway collectors) and every service's OTEL_* wiring.
   * @default - enabled, exporting to the gateway's debug exporter */
  readonly telemetry?: TelemetryProps;
  /** The NATS event spine: a clustered NATS with JetStream, least-privilege users derived from the
   * contracts, and the streams and consumers the events declare. Synthesized only when a service
   * publishes or subscribes.
   * @default - 3 servers with 10Gi of JetStream storage each, no websocket listener */
  readonly nats?: NatsSpineProps;
  /** How calls retry (the backoff every service is configured with) and the limits the deadline
   * budget and retry amplification checks hold the model to (docs/checks.md).
   * @default - 25ms initial backoff doubling up to 1s, calls summed, amplification at most 10 */
  readonly callPolicy?: CallPolicyProps;
  /** Where the contracts' sources are (proto files, buf module) and what they are compared with
   * for breaking changes (lock file, buf baseline).
   * @default - the working directory, its buf.yaml if any, and contracts.lock.json */
  readonly contracts?: ContractSourcesProps;
  /** Where `synth()` writes, relative to the working directory. The command line wins: an
   * outdir given to `polyglot synth --outdir` or `cdk8s synth --output` (both set $CDK8S_OUTDIR)
   * replaces this one.
   * @default - $CDK8S_OUTDIR, else 'dist' */
  readonly outdir?: string;
  /** Draw the architecture diagrams as SVG pictures on every synth. Laying them out is the
   * largest single cost of a synth (Graphviz: about 0.7 s of CPU for 10 services, 1.2 s for 100),
   * so by default synth writes only their Mermaid sources (`diagrams/*.mmd`, which GitHub and
   * GitLab render) and the pictures are drawn on request: `polyglot diagram`, or
   * `polyglot synth --diagrams` (which sets $POLYGLOT_DRAW_DIAGRAMS=1).
   * @default - $POLYGLOT_DRAW_DIAGRAMS is '1', else false */
  readonly drawDiagrams?: boolean;
}

const schema = z.strictObject({
  name: dnsLabel.refine((n) => n.length <= 30, { message: 'keep the system name to 30 characters: it prefixes every namespace' }),
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "expected a version such as '1.4.2'").default('0.1.0'),
  environment: dnsLabel.default('production'),
  imageRegistry: z.string().regex(/^[a-z0-9][a-z0-9._\/:-]*[a-z0-9]$/, 'expected a registry path such as registry.example.com/team').optional(),
  ingressClassName: dnsLabel.default('nginx'),
  ingressControllerNamespace: dnsLabel.default('ingress-nginx'),
  kubernetesVersion: kubernetesVersion.default(DEFAULT_KUBERNETES_VERSION),
  outdir: z.string().min(1).optional(),
  telemetry: telemetrySchema.default(telemetrySchema.parse({})),
  nats: natsSpineSchema.default(natsSpineSchema.parse({})),
  callPolicy: callPolicySchema.default(DEFAULT_CALL_POLICY),
  contracts: contractSourcesSchema.optional(),
  drawDiagrams: z.boolean().optional(),
});

/**
 * A polyglot system: the root of the model and a cdk8s App, so `cdk8s synth` works on it.
 * Describe the system with domains, services and contracts, then call `synth()`.
 */
export class System extends App implements SystemExtensions {
  readonly name: string;
  readonly version: string;
  readonly environment: string;
  readonly imageRegistry: string;
  readonly ingressClassName: string;
  readonly ingressControllerNamespace: string;
  readonly kubernetesVersion: string;
  readonly callPolicy: CallPolicy;
  readonly contractSources: ContractSources;
  /** Whether synth draws the diagrams as SVG (see {@link SystemProps.drawDiagrams}). */
  readonly drawDiagrams: boolean;
  private readonly constructionProblems: Problem[];
  private readonly checks: Check[] = [...defaultChecks];
  private readonly synthesizers: Synthesizer[] = [];
  private readonly wirings: WorkloadWiring[] = [];
  /** Domains given a placeholder id because their name could not be one (see `domain()`). */
  private readonly placeholderDomains = new Map<string, Domain>();
  /** The result of the first synth: files and warnings. Synth materializes objects once. */
  private synthesized?: Inspection & { readonly files: ReadonlyMap<string, string> };
  /** A synth refused by buf's findings after the objects were made (see `inspect()`). */
  private refusedAfterSynthesis?: Inspection;
  /** The problems found by the last `diagrams()`, when no synth ran. */
  private diagramProblems?: readonly Problem[];

  constructor(props: SystemProps) {
    super({ outdir: resolveOutdir(props) });
    this.constructionProblems = attachProblemSink(this);
    const parsed = parseProps(this, 'System', schema, props, (p) => this.constructionProblems.push(p));
    this.name = parsed?.name ?? 'system';
    this.version = parsed?.version ?? '0.1.0';
    this.environment = parsed?.environment ?? 'production';
    this.imageRegistry = parsed?.imageRegistry ?? `registry.example.com/${this.name}`;
    this.ingressClassName = parsed?.ingressClassName ?? 'nginx';
    this.ingressControllerNamespace = parsed?.ingressControllerNamespace ?? 'ingress-nginx';
    this.kubernetesVersion = parsed?.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    this.drawDiagrams = parsed?.drawDiagrams ?? process.env[DRAW_DIAGRAMS_ENV] === '1';
    // First, so that drawn diagrams are laid out on other threads while the rest synthesizes.
    this.addSynthesizer(architectureDocs({ drawDiagrams: this.drawDiagrams }));
    addNatsSpine(this, parsed?.nats ?? natsSpineSchema.parse({}));
    addTelemetry(this, parsed?.telemetry ?? telemetrySchema.parse({}));
    this.callPolicy = parsed?.callPolicy ?? DEFAULT_CALL_POLICY;
    this.contractSources = resolveContractSources(parsed?.contracts);
    this.addSynthesizer(contractDocuments);
  }

  /**
   * Returns the domain with this name, creating it the first time. A name that cannot be a
   * domain (empty, or taken by something else such as the `contracts` scope) is reported as a
   * problem and gets a placeholder domain, so the rest of the model can still be checked.
   */
  domain(name: string, props?: DomainProps): Domain {
    const existing = name === '' ? undefined : this.node.tryFindChild(name);
    if (Domain.isDomain(existing)) return existing;
    const reserved = name === CONTRACTS_SCOPE_ID;
    if (name !== '' && !existing && !reserved) return new Domain(this, name, props);
    const placeholder = this.placeholderDomains.get(name);
    if (placeholder) return placeholder;
    this.constructionProblems.push({
      severity: 'error',
      code: name === '' ? 'invalid-name' : 'reserved-name',
      path: name === '' ? '' : name,
      message:
        name === ''
          ? 'a domain name is empty'
          : reserved
            ? `domain name '${name}' is reserved: the system's contracts are kept under ${this.name}/${CONTRACTS_SCOPE_ID}`
            : `domain name '${name}' is taken by ${existing!.node.path}`,
      why: 'the domain name is its construct id, its namespace (<system>-<domain>) and its output file',
      fix: name === '' ? "give the domain a short lower-case name: system.domain('identity')" : `pick another domain name, e.g. system.domain('${name}-domain')`,
    });
    const domain = new Domain(this, name, props, `(domain ${name === '' ? 'with an empty name' : `'${name}'`})`);
    this.placeholderDomains.set(name, domain);
    return domain;
  }

  /** The domains, sorted by name. */
  get domains(): Domain[] {
    return this.node.children.filter((c): c is Domain => Domain.isDomain(c)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every service in every domain, sorted by namespace then name. */
  get services(): Workload[] {
    return this.domains.flatMap((d) => d.services);
  }

  /** Adds a check that runs before anything is synthesized. */
  addCheck(check: Check): void {
    this.checks.push(check);
  }

  /** Adds a synthesizer that runs after the checks pass (NATS spine, telemetry…). */
  addSynthesizer(synthesizer: Synthesizer): void {
    this.synthesizers.push(synthesizer);
  }

  /** Adds env and network egress that a platform piece gives every service it serves. */
  addWorkloadWiring(wiring: WorkloadWiring): void {
    this.wirings.push(wiring);
  }

  /** The system as a graph. */
  model(): SystemModel {
    const contracts = this.node.findAll();
    const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
    return buildModel({
      name: this.name,
      version: this.version,
      environment: this.environment,
      callPolicy: this.callPolicy,
      contractSources: this.contractSources,
      domains: this.domains,
      grpcContracts: contracts.filter((c): c is GrpcContract => GrpcContract.isGrpcContract(c)).sort(byName),
      eventContracts: contracts.filter((c): c is EventContract => EventContract.isEventContract(c)).sort(byName),
      externalEndpoints: contracts.filter((c): c is ExternalEndpoint => ExternalEndpoint.isExternalEndpoint(c)).sort(byName),
    });
  }

  /** Every problem in the model, errors first. Paths start with the system name. */
  check(model: SystemModel = this.model()): Problem[] {
    return this.report([...this.modelProblems(model, (check) => !awaitsBuf(check)), ...this.bufProblems(model)]);
  }

  /** Problems of the construction, the checks `include` picks and clashing env. */
  private modelProblems(model: SystemModel, include: (check: Check) => boolean): Problem[] {
    return [...this.constructionProblems, ...this.checks.filter(include).flatMap((check) => check(model)), ...envClashProblems(model, this.wirings)];
  }

  /** The checks that wait for buf's findings of the protos. */
  private bufProblems(model: SystemModel): Problem[] {
    return this.checks.filter(awaitsBuf).flatMap((check) => check(model));
  }

  /** Problems as a person reads them: errors first, paths from the system's name. */
  private report(found: readonly Problem[]): Problem[] {
    return sortProblems(found.map((p) => ({ ...p, path: p.path ? `${this.name}/${p.path}` : this.name })));
  }

  /**
   * Every output file, path relative to the outdir, without writing anything.
   * @throws SynthError listing every problem when the model has errors
   */
  files(): ReadonlyMap<string, string> {
    const { files, problems } = this.inspect();
    if (!files) throw new SynthError(problems);
    return files;
  }

  /**
   * Builds the model once, checks it and, when it has no errors, synthesizes every file in
   * memory. The result is kept: objects are materialized once per System.
   */
  inspect(): Inspection {
    if (this.synthesized) return this.synthesized;
    if (this.refusedAfterSynthesis) return this.refusedAfterSynthesis;
    const model = this.model();
    // buf compiles the protos on other cores while the rest is checked and synthesized in memory;
    // its findings come last, and the files are kept only if they pass too.
    startBufCommands(model);
    const early = this.modelProblems(model, (check) => !awaitsBuf(check));
    if (early.some((p) => p.severity === 'error')) return { model, problems: this.report([...early, ...this.bufProblems(model)]) };
    let files: Map<string, string> | undefined;
    let failure: unknown;
    try {
      files = this.synthesizeFiles(model);
    } catch (error) {
      failure = error; // reported below unless buf found the reason
    }
    const problems = this.report([...early, ...this.bufProblems(model)]);
    if (problems.some((p) => p.severity === 'error')) {
      // The charts now hold this model's objects: a second synth must not add them again.
      this.refusedAfterSynthesis = { model, problems };
      return this.refusedAfterSynthesis;
    }
    if (!files) throw failure;
    this.synthesized = { model, problems, files };
    return this.synthesized;
  }

  /** Every output file of a model that passed its checks, in memory, sorted by path. */
  private synthesizeFiles(model: SystemModel): Map<string, string> {
    const files = new Map<string, string>();
    const addFile = (relativePath: string, content: string) => {
      if (files.has(relativePath)) throw new Error(`two synthesizers wrote ${relativePath}`);
      files.set(relativePath, content);
    };
    const later: (() => ReadonlyMap<string, string>)[] = [];
    synthesizeKubernetes(model, this.wirings);
    const secrets: RequiredSecret[] = [...ingressTlsSecrets(model), ...endpointSecrets(model)];
    const context: SynthContext = { model, addFile, addFilesLater: (collect) => later.push(collect), requireSecret: (secret) => secrets.push(secret) };
    for (const synthesizer of this.synthesizers) synthesizer.synthesize(context);
    const manifests: string[] = [];
    for (const [chart, objects] of chartObjects(this.charts)) {
      if (objects.length === 0) continue;
      manifests.push(manifestFileName(chart));
      addFile(manifestFileName(chart), manifestYaml(objects));
    }
    addFile(KUSTOMIZATION_FILE, kustomization(model.name, manifests));
    addFile(SECRETS_PLAN_FILE, secretsPlan(secrets));
    for (const collect of later) for (const [path, content] of collect()) addFile(path, content);
    return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /**
   * The diagrams alone (`diagrams/*.svg` and their Mermaid sources), without synthesizing any
   * manifest: what `polyglot diagram` writes.
   * @throws SynthError listing every problem when the model has errors
   */
  diagrams(): ReadonlyMap<string, string> {
    const model = this.model();
    const problems = this.check(model);
    if (problems.some((p) => p.severity === 'error')) throw new SynthError(problems);
    this.diagramProblems = problems;
    return new Map([...renderDiagrams(model)()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The warnings of the model, once `files()` or `synth()` has run (errors throw instead). */
  get warnings(): readonly Problem[] {
    return this.synthesized?.problems ?? this.diagramProblems ?? [];
  }

  /**
   * Checks the model and writes every file to the outdir. Files polyglot wrote last time are
   * replaced, files anyone else put there are kept, and the switch from the old output to the new
   * is atomic (see synth/output-dir.ts). The outdir is refused before any work when polyglot does
   * not own it (the system's folder, home, a folder of someone else's files…).
   * @throws SynthError when the model has errors; OutputDirError when the outdir is refused.
   * Either way, nothing is written.
   *
   * With $POLYGLOT_CHECK_REPORT set (by `polyglot check`), writes a check report to that file
   * instead and leaves the outdir alone.
   */
  override synth(): void {
    const report = process.env[CHECK_REPORT_ENV];
    if (report) return writeCheckReport(this.inspect(), report);
    const claim = claimOutputDir(this.outdir, systemFolders());
    const result = process.env[DIAGRAMS_ONLY_ENV]
      ? // Only the pictures: the manifests of the last synth stay as they were, still polyglot's.
        writeOutputDir(this.outdir, claim, this.name, this.diagrams(), { keepOwned: (path) => !path.startsWith(`${DIAGRAMS_FOLDER}/`) })
      : writeOutputDir(this.outdir, claim, this.name, this.files());
    const resultFile = process.env[SYNTH_RESULT_ENV];
    if (resultFile) writeFileSync(resultFile, stableJson({ ...result, warnings: this.warnings } satisfies SynthResult));
    // Warnings do not stop synth, but a person should see them; stderr keeps stdout clean.
    if (this.warnings.length > 0) console.error(formatProblems(this.warnings));
  }

  /** All manifests as one multi-document YAML string (for Pulumi or `kubectl apply -f -`). */
  override synthYaml(): string {
    this.files();
    return manifestYaml(chartObjects(this.charts).flatMap(([, objects]) => objects));
  }
}

/**
 * The objects of each chart, in dependency order. cdk8s' `chart.toJson()` resolves dependencies
 * and validates the whole app on every call; only the first chart needs that (it covers every
 * chart), the others list their objects the way `toJson()` does. Same output, and synth time no
 * longer grows with charts × objects.
 */
function chartObjects(charts: readonly Chart[]): [Chart, unknown[]][] {
  return charts.map((chart, i) => [
    chart,
    i === 0
      ? chart.toJson()
      : new DependencyGraph(chart.node)
          .topology()
          .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
          .map((o) => o.toJson()),
  ]);
}

/** One file per chart, named after its namespace: `jvn-identity.k8s.yaml`. */
function manifestFileName(chart: Chart): string {
  return `${Domain.isDomain(chart) ? chart.namespace : chart.node.id}.k8s.yaml`;
}

/** Set by `polyglot synth`: where `synth()` reports what it wrote (a {@link SynthResult}). */
export const SYNTH_RESULT_ENV = 'POLYGLOT_SYNTH_RESULT';

/** Set to '1' by `polyglot synth --diagrams`: the default of {@link SystemProps.drawDiagrams}. */
export const DRAW_DIAGRAMS_ENV = 'POLYGLOT_DRAW_DIAGRAMS';

/** Set by `polyglot diagram`: `synth()` writes the diagrams alone and keeps the last manifests. */
export const DIAGRAMS_ONLY_ENV = 'POLYGLOT_DIAGRAMS_ONLY';

/** What `synth()` reports back to the CLI. */
export interface SynthResult extends OutputWrite {
  readonly warnings: readonly Problem[];
}

/**
 * The one place the outdir is decided: the command line ($CDK8S_OUTDIR, set by `polyglot synth
 * --outdir` and by `cdk8s synth`) wins over `SystemProps.outdir`, which wins over `dist`.
 */
function resolveOutdir(props: SystemProps | undefined): string {
  const fromCommandLine = process.env.CDK8S_OUTDIR;
  if (fromCommandLine) return fromCommandLine;
  return typeof props?.outdir === 'string' && props.outdir.length > 0 ? props.outdir : 'dist';
}

/** The system's own folders (working directory and main module's folder): never an outdir. */
function systemFolders(): string[] {
  const main = process.argv[1];
  return [process.cwd(), ...(main ? [dirname(main)] : [])];
}

/** TLS Secrets of Ingresses: certificates the user brings. */
function ingressTlsSecrets(model: SystemModel): RequiredSecret[] {
  return model.services.flatMap((service) =>
    service.listeners.flatMap(({ ingress }) =>
      ingress?.tlsSecretName
        ? [{ namespace: service.namespace, name: ingress.tlsSecretName, type: 'tls' as const, keys: { 'tls.crt': `tls:${ingress.host}`, 'tls.key': `tls:${ingress.host}` }, purpose: `TLS certificate of the Ingress for ${ingress.host}` }]
        : [],
    ),
  );
}
