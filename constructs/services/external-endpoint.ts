import { Construct } from 'constructs';
import { z } from 'zod';
import { brand, hasBrand } from '../core/brand.js';
import { hostName, invalidNameProblem } from '../core/names.js';
import { problemReporter } from '../core/problem-sink.js';
import { parseProps } from '../core/props.js';
import { portNumber } from '../core/units.js';

/** Props of an {@link ExternalEndpoint}. */
export interface ExternalEndpointProps {
  /**
   * What is spoken on the connection, e.g. `'postgresql'`, `'redis'`, `'https'`. It goes into the
   * service config so the service picks its client; nothing else depends on it.
   */
  readonly protocol: string;
  /** Where services connect: a DNS name (`identity-db.internal.example`) or an IP address. */
  readonly host: string;
  /** The port services connect to. */
  readonly port: number;
  /**
   * The addresses the host resolves into, as a CIDR block (`'10.40.0.0/24'`): what the services'
   * NetworkPolicy lets them reach. A NetworkPolicy cannot match a DNS name, so a host given by
   * name needs one.
   * @default - `<host>/32` (or `/128`) when the host is an IP address; required otherwise
   */
  readonly cidr?: string;
  /** The transport the NetworkPolicy allows.
   * @default 'TCP' */
  readonly transport?: 'TCP' | 'UDP';
  /**
   * The keys of the connection Secret every service that uses the endpoint needs
   * (`<service>-<endpoint>` in the service's namespace). Each key reaches the container as
   * `<ENDPOINT>_<KEY>` (`identity-db` + `password` → `$IDENTITY_DB_PASSWORD`). The values come
   * from whoever runs the endpoint; polyglot never makes them up.
   * @default ['password']
   */
  readonly secretKeys?: readonly string[];
  /** One line on what the endpoint is; it goes into the service config and the docs.
   * @default - none */
  readonly description?: string;
}

/** How a service uses an endpoint. */
export interface EndpointUseProps {
  readonly endpoint: ExternalEndpoint;
  /** The Secret in the service's namespace that holds its connection credentials.
   * @default `<service>-<endpoint>` */
  readonly secretName?: string;
}

/** A use after validation: the endpoint and the Secret the service reads. */
export interface EndpointUse {
  readonly endpoint: ExternalEndpoint;
  readonly secretName?: string;
}

const SECRET_KEY = /^[a-z][a-z0-9_]*$/;

const schema = z
  .strictObject({
    protocol: z.string().regex(/^[a-z][a-z0-9+.-]*$/, "expected a protocol name such as 'postgresql' or 'redis'"),
    host: z.union([z.ipv4(), z.ipv6(), hostName], { error: 'expected a DNS host name (db.internal.example) or an IP address' }),
    port: portNumber,
    cidr: z.union([z.cidrv4(), z.cidrv6()], { error: "expected a CIDR block such as '10.40.0.0/24'" }).optional(),
    transport: z.enum(['TCP', 'UDP']).default('TCP'),
    secretKeys: z
      .array(z.string().regex(SECRET_KEY, "expected a key such as 'password' or 'username' (lower case, digits, '_')"))
      .min(1, 'list at least one key, e.g. [\'password\']; an endpoint without credentials needs no Secret')
      .refine((keys) => new Set(keys).size === keys.length, { message: 'lists a key twice' })
      .default(['password']),
    description: z.string().optional(),
  })
  .superRefine((props, ctx) => {
    if (props.cidr !== undefined || !isHostName(props.host)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['cidr'],
      message: `host '${props.host}' is a DNS name and a NetworkPolicy cannot match names: give the CIDR block it resolves into, e.g. cidr: '10.40.0.0/24'`,
    });
  });

const ENDPOINT = Symbol.for('polyglot.ExternalEndpoint');

/** The construct id under which endpoints declared on the System are kept. */
const ENDPOINTS_SCOPE_ID = 'endpoints';

/**
 * Something outside the system that services connect to: a managed PostgreSQL, a Redis, an
 * object store, a partner's API. Declare it once; each service that lists it in `uses` gets an
 * egress rule to its CIDR block and port (and nothing else outside the cluster), its connection
 * Secret as environment variables, a `dependencies` entry in its service config, and the Secret
 * in `secrets.json` for the operator to create.
 */
export class ExternalEndpoint extends Construct {
  /** True for an ExternalEndpoint, also one from another copy of polyglot. */
  static isExternalEndpoint(value: unknown): value is ExternalEndpoint {
    return hasBrand(value, ENDPOINT);
  }

  /** The endpoint's name: its construct id. */
  readonly name: string;
  readonly protocol: string;
  readonly host: string;
  readonly port: number;
  /** The CIDR block services may reach (derived from an IP host when not given). */
  readonly cidr: string;
  readonly transport: 'TCP' | 'UDP';
  readonly secretKeys: readonly string[];
  readonly description?: string;
  /** False when the props could not be parsed (reported); services then leave it out. */
  readonly valid: boolean;

  constructor(scope: Construct, id: string, props: ExternalEndpointProps) {
    super(endpointScope(scope), id);
    brand(this, ENDPOINT);
    const report = problemReporter(this);
    this.name = id;
    const badName = invalidNameProblem(this.node.path, id, 'endpoint name', 'the name becomes part of Secret names and environment variables');
    if (badName) report(badName);
    const parsed = parseProps(this, 'ExternalEndpoint', schema, props, report);
    this.valid = parsed !== undefined && !badName && (parsed.cidr !== undefined || !isHostName(parsed.host));
    this.protocol = parsed?.protocol ?? String(props?.protocol ?? '');
    this.host = parsed?.host ?? String(props?.host ?? '');
    this.port = parsed?.port ?? 0;
    this.transport = parsed?.transport ?? 'TCP';
    this.cidr = parsed?.cidr ?? (parsed && !isHostName(parsed.host) ? `${parsed.host}/${parsed.host.includes(':') ? 128 : 32}` : '');
    this.secretKeys = parsed?.secretKeys ?? ['password'];
    this.description = parsed?.description;
  }

  /** The environment variable a Secret key reaches the container as: `IDENTITY_DB_PASSWORD`. */
  envName(key: string): string {
    return `${this.name}_${key}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  }

  /** The connection Secret of one service: its own name, or `<service>-<endpoint>`. */
  secretNameFor(service: { readonly name: string }, use?: EndpointUse): string {
    return use?.secretName ?? `${service.name}-${this.name}`;
  }
}

/** True when the host is a DNS name, not an IP address literal. */
function isHostName(host: string): boolean {
  return !z.ipv4().safeParse(host).success && !z.ipv6().safeParse(host).success;
}

/**
 * Endpoints declared on the System are kept under an `endpoints` scope, so an endpoint and a
 * domain may share a name.
 */
function endpointScope(scope: Construct): Construct {
  if (scope.node.scope !== undefined) return scope;
  const existing = scope.node.tryFindChild(ENDPOINTS_SCOPE_ID);
  return (existing as Construct | undefined) ?? new Construct(scope, ENDPOINTS_SCOPE_ID);
}
