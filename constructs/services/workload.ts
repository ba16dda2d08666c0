import { brand, hasBrand } from '../core/brand.js';
import { Construct } from 'constructs';
import { z } from 'zod';
import { GrpcContract } from '../contracts/grpc.js';
import { EventContract } from '../contracts/events.js';
import type { DomainScope } from '../core/settings.js';
import { DNS_LABEL_MAX, dnsLabel, invalidNameProblem } from '../core/names.js';
import { problemReporter } from '../core/problem-sink.js';
import type { Problem } from '../core/problems.js';
import { parseProps } from '../core/props.js';
import { durationAtMost, parseDuration, parseQuantity, portNumber, positiveQuantity } from '../core/units.js';
import { SynthError } from '../core/problems.js';
import { ExternalEndpoint, type EndpointUse, type EndpointUseProps } from './external-endpoint.js';
import { canServeGrpc, defaultPorts, healthProbe, knownRuntimes, runtimeProfile, type HealthProbe, type PortProfile, type ResourceProfile, type RuntimeProfile } from './runtime.js';

/** One synchronous call a service makes. Every hop is bounded: the timeout is required. */
export interface CallProps {
  /** The contract called. The model finds the service that serves it. */
  readonly contract: GrpcContract;
  /** Per-try timeout, e.g. `'30ms'`. */
  readonly timeout: string;
  /** Retries after the first try, with backoff.
   * @default 0 */
  readonly retries?: number;
}

/**
 * Which replicas of the service get each message:
 * - `queue`: exactly one replica (a queue group, or one durable consumer the replicas share);
 * - `broadcast`: every replica gets every message (a plain subscription per pod, or for an
 *   event with a stream an ordered consumer per pod), e.g. a websocket fan-out whose users are
 *   spread over the pods, or a hot path whose replicas each keep the whole stream;
 * - `pod`: every pod has a subject space of its own, the event's `{pod}` token filled with its
 *   pod name; publishers address the pod that holds a user (`rt.deliver.{pod}.{user}`).
 */
export type Delivery = 'queue' | 'broadcast' | 'pod';

/** A subscription to an event, with the details NATS needs. */
export interface SubscriptionProps {
  readonly event: EventContract;
  /** Which replicas get each message (see {@link Delivery}).
   * @default 'queue' */
  readonly delivery?: Delivery;
  /** Queue group: one member of the group gets each message, so replicas share the load. Only
   * for `queue` delivery.
   * @default - the service name */
  readonly queueGroup?: string;
  /** Consume through a durable JetStream consumer (the event must declare a stream). Only for
   * `queue` delivery: the replicas share the consumer.
   * @default - true when the event has a stream and delivery is `queue` */
  readonly durable?: boolean;
  /** Where each pod's ordered consumer starts, for `broadcast` delivery of an event with a
   * stream: `new` messages only (a fan-out: sockets on a new pod need nothing older), or `all`
   * the stream keeps (a replica that rebuilds state, e.g. an index, from the stream).
   * @default 'new' */
  readonly replay?: 'new' | 'all';
  /** Deliveries of one message to the durable consumer before it is given up on and reported to
   * the dead-letter stream (docs/nats.md).
   * @default 5 */
  readonly maxDeliver?: number;
  /** How long a replica may hold a message unacknowledged before it is delivered again; later
   * redeliveries back off (×2 each).
   * @default - 10 × the service's deadline, at least 30s and at most 10m */
  readonly ackWait?: string;
}

/** Horizontal Pod Autoscaler bounds. */
export interface AutoscalingProps {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilisation the autoscaler aims for, in percent of the request.
   * @default 70 */
  readonly targetCpuUtilization?: number;
}

/** Overrides of the runtime profile's container resources. */
export interface ResourcesProps {
  /** @default - the runtime profile's */
  readonly cpuRequest?: string;
  /** @default - the runtime profile's */
  readonly cpuLimit?: string;
  /** @default - the runtime profile's */
  readonly memoryRequest?: string;
  /** @default - the runtime profile's */
  readonly memoryLimit?: string;
}

/** Props every service accepts, whatever its runtime. */
export interface WorkloadProps {
  /** gRPC contracts this service implements.
   * @default - none */
  readonly serves?: GrpcContract[];
  /** gRPC contracts this service calls, each with its timeout and retries.
   * @default - none */
  readonly calls?: CallProps[];
  /** Events this service publishes.
   * @default - none */
  readonly publishes?: EventContract[];
  /** Events this service consumes.
   * @default - none */
  readonly subscribes?: Array<EventContract | SubscriptionProps>;
  /** External endpoints (datastores, partner APIs) this service connects to: each gives it an
   * egress rule, its connection Secret as environment variables and a `dependencies` entry in
   * its service config.
   * @default - none */
  readonly uses?: Array<ExternalEndpoint | EndpointUseProps>;
  /** The deadline this service promises its callers, e.g. `'200ms'`.
   * @default - the runtime profile's default deadline */
  readonly deadline?: string;
  /** Container image.
   * @default `${system.imageRegistry}/${service}:${version}` */
  readonly image?: string;
  /** The service's version: the image tag and `app.kubernetes.io/version`.
   * @default - the system's version */
  readonly version?: string;
  /** Fixed replica count, when not autoscaled.
   * @default 2 */
  readonly replicas?: number;
  /** Scale with a HorizontalPodAutoscaler instead of a fixed count.
   * @default - no autoscaler */
  readonly autoscaling?: AutoscalingProps;
  /** @default - the runtime profile's requests and limits */
  readonly resources?: ResourcesProps;
  /** Extra environment variables. Secrets do not go here: mount them.
   * @default - none */
  readonly env?: Record<string, string>;
  /** Port overrides.
   * @default - the runtime profile's ports */
  readonly ports?: Partial<PortProfile>;
}

/** A call after validation: durations parsed, defaults applied. */
export interface Call {
  readonly contract: GrpcContract;
  readonly timeout: string;
  readonly timeoutMs: number;
  readonly retries: number;
}

/** An Ingress in front of a listener, with defaults applied. */
export interface ResolvedIngress {
  readonly host: string;
  readonly path: string;
  readonly className: string;
  /** Namespace of the controller of that class: the network policy admits it.
   * @default - the system's ingressControllerNamespace */
  readonly controllerNamespace?: string;
  readonly tlsSecretName?: string;
}

/**
 * A port reached from outside the system, through the ingress controller: capabilities as data,
 * so the Kubernetes synthesis needs no knowledge of runtime classes (a new runtime only sets its
 * profile and, if it takes outside traffic, its listeners).
 */
export interface Listener {
  /** Which of the workload's ports. */
  readonly port: 'grpc' | 'http' | 'websocket';
  /** An Ingress routes a host and path to it; without one, only the controller's pods may connect. */
  readonly ingress?: ResolvedIngress;
}

/** A subscription after validation. */
export interface Subscription {
  readonly event: EventContract;
  readonly delivery: Delivery;
  /** The queue group of `queue` delivery (the service name by default). */
  readonly queueGroup: string;
  /** True for `queue` delivery through a durable JetStream consumer. */
  readonly durable: boolean;
  readonly replay: 'new' | 'all';
  readonly maxDeliver: number;
  /** The ack wait as written, e.g. `'30s'`; `undefined` when derived from the deadline. */
  readonly ackWait?: string;
  /** What the user set, for the checks to tell a default from a choice. */
  readonly declared: { readonly queueGroup: boolean; readonly durable: boolean; readonly replay: boolean };
}

/**
 * Variables every service container gets from polyglot (kubernetes/pod.ts); a user's variable of
 * the same name would be dropped. Platform pieces' variables (OTEL_*, NATS_*) are checked at synth,
 * where their wirings are known (synth/env-clash.ts).
 */
export const RESERVED_ENV: ReadonlySet<string> = new Set(['POLYGLOT_CONFIG', 'POD_NAME', 'POD_NAMESPACE', 'NODE_NAME']);

/** A per-try timeout or a deadline: an hour is already far past any caller's patience. */
const boundedTimeout = durationAtMost('1h', 'a timeout that long bounds nothing; use a timeout of seconds and retries');

const callSchema = z.strictObject({
  contract: z.custom<GrpcContract>((v) => GrpcContract.isGrpcContract(v), { message: 'expected a GrpcContract' }),
  timeout: z.string({ error: "every call needs a per-try timeout, e.g. timeout: '30ms': an unbounded hop can hang its caller forever" }).pipe(boundedTimeout),
  retries: z.number().int().min(0).max(10).default(0),
});

const endpointSchema = z.custom<ExternalEndpoint>((v) => ExternalEndpoint.isExternalEndpoint(v), { message: 'expected an ExternalEndpoint' });

const useSchema = z.union([endpointSchema, z.strictObject({ endpoint: endpointSchema, secretName: dnsLabel.optional() })], {
  error: 'expected an ExternalEndpoint, or { endpoint, secretName }',
});

const eventSchema = z.custom<EventContract>((v) => EventContract.isEventContract(v), { message: 'expected an EventContract' });

const subscriptionSchema = z.union([
  eventSchema,
  z.strictObject({
    event: eventSchema,
    delivery: z.enum(['queue', 'broadcast', 'pod']).optional(),
    queueGroup: dnsLabel.optional(),
    durable: z.boolean().optional(),
    replay: z.enum(['new', 'all']).optional(),
    maxDeliver: z.number().int().min(1).max(100).optional(),
    // Not durationString: its refinements abort, and inside this union an aborting issue hides
    // which field was wrong ("Invalid input" instead of naming ackWait).
    ackWait: z.string().refine((text) => (parseDuration(text) ?? 0) > 0, { message: "expected a positive duration such as '30s' or '2m'" }).optional(),
  }),
]);

/**
 * A list of contracts where each contract may appear once: a second entry would make a second
 * consumer, route or client of the same name, and says nothing the first does not.
 */
function uniqueBy<T extends z.ZodType>(item: T, what: string, key: (value: z.output<T>) => { name: string } | undefined) {
  return z.array(item).superRefine((list, ctx) => {
    const seen = new Map<unknown, number>();
    list.forEach((value, index) => {
      const contract = key(value);
      if (!contract) return;
      const first = seen.get(contract);
      if (first === undefined) seen.set(contract, index);
      else ctx.addIssue({ code: 'custom', path: [index], message: `lists ${what} '${contract.name}' a second time (first at [${first}]); list each ${what} once` });
    });
  });
}

/** The zod shape of {@link WorkloadProps}; runtime classes extend it with their own props. */
export const workloadShape = {
  serves: uniqueBy(z.custom<GrpcContract>((v) => GrpcContract.isGrpcContract(v), { message: 'expected a GrpcContract' }), 'contract', (c) => c).default([]),
  calls: uniqueBy(callSchema, 'contract', (c) => c.contract).default([]),
  publishes: uniqueBy(eventSchema, 'event', (e) => e).default([]),
  subscribes: uniqueBy(subscriptionSchema, 'event', (s) => (EventContract.isEventContract(s) ? s : s.event)).default([]),
  uses: uniqueBy(useSchema, 'endpoint', (u) => (ExternalEndpoint.isExternalEndpoint(u) ? u : u.endpoint)).default([]),
  deadline: boundedTimeout.optional(),
  image: z.string().regex(/^[a-z0-9][a-z0-9._\/:@-]*$/, 'expected an image reference such as registry.example.com/team/app:1.2.3').optional(),
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "expected a version such as '1.4.2' (it is used as an image tag and a label)").optional(),
  replicas: z.number().int().min(1).max(1000).optional(),
  autoscaling: z
    .strictObject({
      minReplicas: z.number().int().min(1),
      maxReplicas: z.number().int().min(1),
      targetCpuUtilization: z.number().int().min(10).max(100).default(70),
    })
    .refine((a) => a.maxReplicas >= a.minReplicas, { message: 'maxReplicas must be at least minReplicas' })
    .optional(),
  resources: z
    .strictObject({ cpuRequest: positiveQuantity, cpuLimit: positiveQuantity, memoryRequest: positiveQuantity, memoryLimit: positiveQuantity })
    .partial()
    .optional(),
  env: z
    .record(z.string(), z.string())
    .superRefine((env, ctx) => {
      for (const name of Object.keys(env)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: `'${name}' is not an environment variable name: letters, digits and '_', not starting with a digit` });
        } else if (RESERVED_ENV.has(name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: `is set by polyglot itself (${[...RESERVED_ENV].join(', ')}); yours would be dropped: pick another name` });
        }
      }
    })
    .default({}),
  ports: z.strictObject({ grpc: portNumber, http: portNumber, websocket: portNumber }).partial().optional(),
};

const workloadSchema = z.strictObject(workloadShape);


/** How a runtime class describes itself to the base workload. */
export interface WorkloadKind<S extends z.ZodType = z.ZodType> {
  /** The runtime key in the registry, e.g. `go`. */
  readonly runtime: string;
  /** The class name, for error messages. */
  readonly className: string;
  /** The props schema (the workload shape plus the runtime's own props). */
  readonly schema: S;
}

/** Everything {@link Workload} accepts: the common props plus the runtime key. */
export interface WorkloadConstructProps extends WorkloadProps {
  /** The runtime key, e.g. `go`, `rust`, `elixir`, `typescript`. */
  readonly runtime: string;
}

/**
 * A service in a domain: one Deployment of one runtime, wired to its neighbours only through
 * contracts. Use the runtime classes (`GoService`, `RustHotPath`, `ElixirFanout`, `TsApi`); this
 * base class takes the runtime by name for runtimes registered elsewhere.
 */
const WORKLOAD = Symbol.for('polyglot.Workload');

export class Workload extends Construct {
  /** True for a Workload (any runtime), also one from another copy of polyglot. */
  static isWorkload(value: unknown): value is Workload {
    return hasBrand(value, WORKLOAD);
  }

  /** The service's name: `metadata.name` of its objects. */
  readonly name: string;
  readonly domain: DomainScope;
  readonly runtime: string;
  /** The runtime profile, or `undefined` when the runtime is unknown (synth reports it). */
  readonly profile?: RuntimeProfile;
  /** False when the props could not be parsed; the workload is then left out of the output. */
  readonly valid: boolean;
  readonly serves: readonly GrpcContract[];
  readonly calls: readonly Call[];
  readonly publishes: readonly EventContract[];
  readonly subscribes: readonly Subscription[];
  /** The external endpoints it connects to (invalid endpoints, already reported, left out). */
  readonly uses: readonly EndpointUse[];
  readonly deadline: string;
  readonly deadlineMs: number;
  readonly version: string;
  readonly image: string;
  readonly replicas: number;
  readonly autoscaling?: Required<AutoscalingProps>;
  readonly resources: ResourceProfile;
  readonly env: Readonly<Record<string, string>>;
  /** The ports it opens: the runtime profile's (with its gRPC port when it serves a contract and
   * the runtime opens gRPC for that), then the `ports` prop. */
  readonly ports: PortProfile;
  /** How the kubelet probes it: the runtime profile's probe, or its gRPC probe when it serves a
   * contract; `undefined` when the runtime is unknown. */
  readonly probe?: HealthProbe;
  /** The parsed props, for runtime classes to read their own props from. */
  protected readonly parsedProps?: Record<string, unknown>;

  constructor(scope: DomainScope, id: string, props: WorkloadConstructProps, kind?: WorkloadKind) {
    super(scope, claimName(scope, id));
    brand(this, WORKLOAD);
    const report = problemReporter(this);
    this.name = id;
    this.domain = scope;
    this.runtime = kind?.runtime ?? props?.runtime;
    this.profile = runtimeProfile(this.runtime);
    const badName = invalidNameProblem(this.node.path, id, 'service name', 'the name becomes the Deployment, Service and DNS name of the service', 'rfc1035');
    if (badName) report(badName);
    else {
      const tooLong = instanceLabelProblem(this.node.path, scope, id);
      if (tooLong) report(tooLong);
    }
    if (!this.profile) report(unknownRuntime(this, this.runtime));

    const { runtime: _runtime, ...rest } = (props ?? {}) as WorkloadConstructProps;
    const parsed = parseProps(this, kind?.className ?? 'Workload', kind?.schema ?? workloadSchema, rest, report) as
      | z.output<typeof workloadSchema>
      | undefined;
    this.valid = parsed !== undefined && this.profile !== undefined;
    this.parsedProps = parsed;

    const profile = this.profile;
    this.serves = parsed?.serves ?? [];
    this.calls = (parsed?.calls ?? []).map((c) => ({ ...c, timeoutMs: parseDuration(c.timeout) ?? 0 }));
    this.publishes = parsed?.publishes ?? [];
    this.subscribes = (parsed?.subscribes ?? []).map((entry): Subscription => {
      const s = EventContract.isEventContract(entry) ? { event: entry } : entry;
      const delivery = s.delivery ?? 'queue';
      return {
        event: s.event,
        delivery,
        queueGroup: s.queueGroup ?? id,
        durable: s.durable ?? (delivery === 'queue' && s.event.stream !== undefined),
        replay: s.replay ?? 'new',
        maxDeliver: s.maxDeliver ?? 5,
        ackWait: s.ackWait,
        declared: { queueGroup: s.queueGroup !== undefined, durable: s.durable !== undefined, replay: s.replay !== undefined },
      };
    });
    this.uses = (parsed?.uses ?? [])
      .map((u): EndpointUse => (ExternalEndpoint.isExternalEndpoint(u) ? { endpoint: u } : { endpoint: u.endpoint, secretName: u.secretName }))
      .filter((u) => u.endpoint.valid);
    this.deadline = parsed?.deadline ?? profile?.defaultDeadline ?? '1s';
    this.deadlineMs = parseDuration(this.deadline) ?? 0;
    this.version = parsed?.version ?? scope.system.version;
    this.image = parsed?.image ?? `${scope.system.imageRegistry}/${id}:${this.version}`;
    this.replicas = parsed?.replicas ?? 2;
    this.autoscaling = parsed?.autoscaling;
    this.resources = { ...(profile?.resources ?? FALLBACK_RESOURCES), ...(parsed?.resources ?? {}) };
    this.env = parsed?.env ?? {};
    if (parsed) {
      for (const problem of resourceOrderProblems(this.node.path, this.resources, kind?.className ?? 'Workload')) report(problem);
      for (const problem of literalSecretProblems(this.node.path, this.env)) report(problem);
    }
    const servesGrpc = this.serves.length > 0;
    this.ports = { ...(profile ? defaultPorts(profile, servesGrpc) : { http: 8080 }), ...(parsed?.ports ?? {}) };
    this.probe = profile ? healthProbe(profile, servesGrpc) : undefined;
    if (parsed && profile && servesGrpc && this.ports.grpc === undefined) report(servesWithoutGrpcPort(this, profile, kind?.className ?? 'Workload'));
  }

  /** The namespace the service runs in: its domain's. */
  get namespace(): string {
    return this.domain.namespace;
  }

  /** Cluster DNS name of the service. */
  get host(): string {
    return `${this.name}.${this.namespace}.svc.cluster.local`;
  }

  /** The ports reached from outside the system; none unless a runtime class exposes one. */
  get listeners(): readonly Listener[] {
    return [];
  }
}

const FALLBACK_RESOURCES: ResourceProfile = { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '256Mi' };

/**
 * Two services with one name in one namespace would overwrite each other. The constructs library
 * throws on a duplicate id at once; claiming the name first lets synth report it with the rest.
 */
function claimName(domain: DomainScope, id: string): string {
  if (typeof domain?.claimServiceName !== 'function') {
    // Without a domain there is no namespace to put the service in, and no construct to keep it
    // under: construction cannot go on, so the one problem is thrown as a report, not a crash.
    const scope = domain as { node?: { path?: string; root?: { name?: unknown } }; name?: unknown } | undefined;
    const isRoot = scope?.node !== undefined && scope.node.path === '';
    const where = isRoot ? `the System '${String(scope?.name ?? '')}'` : scope?.node ? `${scope.node.path}, which is not a Domain` : String(domain);
    const systemName = typeof scope?.node?.root?.name === 'string' ? scope.node.root.name : 'system';
    throw new SynthError([
      {
        severity: 'error',
        code: 'service-outside-domain',
        path: [systemName, scope?.node?.path, String(id)].filter((part) => part).join('/'),
        message: `service '${String(id)}' is created on ${where}`,
        why: "every service lives in a domain, which gives it its namespace: `<system>-<domain>`",
        fix: `create it in a domain: new GoService(system.domain('<domain>'), '${String(id)}', { … }) (any service class)`,
      },
    ]);
  }
  return domain.claimServiceName(id);
}

/** `app.kubernetes.io/instance` is `<namespace>-<service>`, and a label value holds 63 characters. */
function instanceLabelProblem(path: string, domain: DomainScope, id: string): Problem | undefined {
  const instance = `${domain.namespace}-${id}`;
  if (instance.length <= DNS_LABEL_MAX) return undefined;
  return {
    severity: 'error',
    code: 'name-too-long',
    path,
    message: `service '${id}' in namespace ${domain.namespace} makes the label app.kubernetes.io/instance '${instance}' ${instance.length} characters long; Kubernetes allows ${DNS_LABEL_MAX}`,
    why: 'the label selects the service\'s pods; the API server refuses a Deployment whose label is longer',
    fix: `shorten the service, domain or system name by ${instance.length - DNS_LABEL_MAX} characters in all`,
  };
}

/** A request above its limit is refused by the API server; say which pair, with the values. */
function resourceOrderProblems(path: string, resources: ResourceProfile, className: string): Problem[] {
  const pairs = [
    ['cpuRequest', 'cpuLimit'],
    ['memoryRequest', 'memoryLimit'],
  ] as const;
  return pairs.flatMap(([request, limit]) =>
    parseQuantity(resources[request]) > parseQuantity(resources[limit])
      ? [
          {
            severity: 'error' as const,
            code: 'invalid-props',
            path,
            message: `resources: ${request} ${resources[request]} is above ${limit} ${resources[limit]}`,
            why: 'Kubernetes refuses a container whose request exceeds its limit',
            fix: `raise resources.${limit} to at least ${resources[request]} or lower resources.${request} (see ${className}Props; unset values come from the runtime profile)`,
          },
        ]
      : [],
  );
}

/** Names that say "this is a credential": their values are written in plain text to the output. */
const SECRET_NAME = /(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|ACCESS_?KEY)(_|$)/i;

function literalSecretProblems(path: string, env: Readonly<Record<string, string>>): Problem[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value.length > 0)
    .map(([name]) => ({
      severity: 'warning' as const,
      code: 'secret-in-env',
      path,
      message: `env ${name} looks like a credential and its value is written in plain text into the Deployment`,
      why: 'the output directory is committed and applied as it is: anyone who can read it, or the Deployment, has the secret',
      fix: `remove ${name} from env and give the service a Kubernetes Secret instead (mounted as a file or referenced with secretKeyRef in a kustomize patch); rename the variable if it holds no secret`,
    }));
}

/** Served contracts need a port to be served on: without one, callers would be sent nowhere. */
function servesWithoutGrpcPort(workload: Workload, profile: RuntimeProfile, className: string): Problem {
  const grpcRuntimes = knownRuntimes().filter((r) => {
    const p = runtimeProfile(r);
    return p !== undefined && canServeGrpc(p);
  });
  return {
    severity: 'error',
    code: 'serves-without-grpc-port',
    path: workload.node.path,
    message: `serves ${workload.serves.map((c) => `'${c.name}'`).join(', ')}, but the ${profile.displayName} runtime opens no gRPC port`,
    why: 'callers reach a served contract on the gRPC port of the service that serves it; with none, their calls and network policy would point nowhere',
    fix: `serve the contracts from a service of a runtime that serves gRPC (${grpcRuntimes.map((r) => `'${r}'`).join(', ')}), or give this one a port: ports: { grpc: 50051 } (see ${className}Props)`,
  };
}

function unknownRuntime(workload: Workload, runtime: unknown): Problem {
  return {
    severity: 'error',
    code: 'unknown-runtime',
    path: workload.node.path,
    message: `unknown runtime '${String(runtime)}'`,
    why: 'the runtime decides the image, ports, probes, resources and drain time; without a profile none can be chosen',
    fix: `use one of ${knownRuntimes().map((r) => `'${r}'`).join(', ')}, or register a profile with registerRuntime()`,
  };
}
