// The service config (polyglot.dev/service-config/v1) that synth writes to
// /etc/polyglot/service.json. Read once at start-up and validated against the JSON Schema shipped
// in schemas/ (the same file the platform generates), so a bad deploy fails fast with one sentence
// naming the file and the field instead of misbehaving later.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

export const DEFAULT_CONFIG_PATH = '/etc/polyglot/service.json';

export interface Backoff {
  readonly initial: string;
  readonly initialMs: number;
  readonly max: string;
  readonly maxMs: number;
  readonly multiplier: number;
}

export interface CallConfig {
  readonly contract: string;
  readonly grpcService: string;
  /** gRPC target, `dns:///<host>:<port>`. */
  readonly target: string;
  readonly timeout: string;
  /** Per-try timeout: the deadline of each try. */
  readonly timeoutMs: number;
  /** Retries after the first try. */
  readonly retries: number;
}

export interface PublishConfig {
  readonly event: string;
  readonly subject: string;
  readonly version: number;
  readonly stream?: string;
}

export interface SubscribeConfig {
  readonly event: string;
  /** Named tokens already replaced by `*`. */
  readonly subject: string;
  readonly version: number;
  /** Which replicas get each message; absent means `queue` (docs/nats.md of polyglot). */
  readonly delivery?: 'queue' | 'broadcast' | 'pod';
  readonly durable: boolean;
  readonly queueGroup?: string;
  readonly stream?: string;
  readonly consumer?: string;
  /** `broadcast` of a stream: where each pod's ordered consumer starts. */
  readonly replay?: 'new' | 'all';
  /** `pod`: the subject with `{pod}` to replace by this pod's name. */
  readonly podSubject?: string;
}

export interface NatsConfig {
  readonly url: string;
  readonly user: string;
  /** Name of the environment variable that holds the password. */
  readonly passwordEnv: string;
  readonly inboxPrefix: string;
}

/** Mirrors schemas/service-config.v1.json; the schema, not this type, is what is enforced. */
export interface ServiceConfig {
  readonly schema: 'polyglot.dev/service-config/v1';
  readonly system: string;
  readonly domain: string;
  readonly service: string;
  readonly runtime: string;
  readonly version: string;
  readonly deadline: string;
  /** What this service promises its callers: the budget of every incoming request. */
  readonly deadlineMs: number;
  readonly backoff: Backoff;
  readonly ports: { readonly http: number; readonly grpc?: number; readonly websocket?: number };
  readonly serves: readonly { readonly contract: string; readonly grpcService: string; readonly proto: string }[];
  readonly calls: readonly CallConfig[];
  readonly publishes: readonly PublishConfig[];
  readonly subscribes: readonly SubscribeConfig[];
  readonly nats?: NatsConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SCHEMA_FILE = new URL('../schemas/service-config.v1.json', import.meta.url);

let validator: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;

function validate(data: unknown): ErrorObject | undefined {
  if (!validator) {
    // strict: false because the schema carries annotations (description, title) only.
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
  }
  return validator(data) ? undefined : (validator.errors?.[0] ?? undefined);
}

/** `/calls/0/timeoutMs` → `calls[0].timeoutMs`; the root is `(root)`. */
function fieldName(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const params = error.params as Record<string, unknown>;
  const extra = params['missingProperty'] ?? params['additionalProperty'];
  if (typeof extra === 'string') segments.push(extra);
  let path = '';
  for (const segment of segments) path += /^\d+$/.test(segment) ? `[${segment}]` : path ? `.${segment}` : segment;
  return path || '(root)';
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is missing';
    case 'additionalProperties':
      return 'is not allowed';
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

/** Parses and validates a config document; `source` names it in errors. */
export function parseConfig(text: string, source: string): ServiceConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`service config ${source} is not valid JSON: ${(error as Error).message}`);
  }
  const error = validate(data);
  if (error) throw new ConfigError(`service config ${source}: field ${fieldName(error)} ${describe(error)}`);
  return data as ServiceConfig;
}

/** Reads `$POLYGLOT_CONFIG`, else /etc/polyglot/service.json. */
export function loadConfig(path = process.env['POLYGLOT_CONFIG'] || DEFAULT_CONFIG_PATH): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`service config ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseConfig(text, path);
}
