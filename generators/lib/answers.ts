/**
 * What the generators store in `.yo-rc.json` (under `generator-polyglot`): the system's identity,
 * the contracts and the services they made. Re-running a generator renders from these answers, so
 * a template upgrade reaches every service without asking again.
 */
export interface StoredConfig {
  readonly system?: SystemAnswers;
  readonly contracts?: Readonly<Record<string, ContractAnswers>>;
  readonly services?: Readonly<Record<string, ServiceAnswers>>;
}

export interface SystemAnswers {
  /** DNS label, e.g. `shop`. */
  readonly name: string;
  readonly version: string;
  readonly imageRegistry: string;
}

export type ContractAnswers = GrpcContractAnswers | EventContractAnswers;

export interface GrpcContractAnswers {
  readonly kind: 'grpc';
  /** Relative to the system, e.g. `contracts/shop/billing/v1/billing.proto`. */
  readonly proto: string;
  /** e.g. `shop.billing.v1.BillingService`. */
  readonly service: string;
  readonly description?: string;
}

export interface EventContractAnswers {
  readonly kind: 'event';
  /** e.g. `shop.orders.placed.{order}`. */
  readonly subject: string;
  /** JetStream stream that keeps the messages (durable subscribers need one). */
  readonly stream: string;
  readonly description?: string;
}

export interface CallAnswers {
  readonly contract: string;
  /** Per-try timeout, e.g. `250ms`. */
  readonly timeout: string;
  readonly retries: number;
}

export interface ServiceAnswers {
  /** `go` | `rust` | `elixir` | `typescript`. */
  readonly runtime: string;
  readonly domain: string;
  readonly serves: readonly string[];
  readonly calls: readonly CallAnswers[];
  readonly publishes: readonly string[];
  readonly subscribes: readonly string[];
  /** The deadline the service promises its callers: its runtime's default, raised so that its
   * calls (each try, retries and backoff, one after another) fit inside it. */
  readonly deadline?: string;
}

/** The template folder (`templates/<name>`) and model class of each runtime. Whether it serves
 * gRPC is the runtime profile's to say (`grpcFirst`, `canServeGrpc` of the library), not here. */
export const RUNTIMES = {
  go: { template: 'go-service', className: 'GoService' },
  rust: { template: 'rust-hotpath', className: 'RustHotPath' },
  elixir: { template: 'elixir-fanout', className: 'ElixirFanout' },
  typescript: { template: 'ts-api', className: 'TsApi' },
} as const satisfies Record<string, { template: string; className: string }>;

export type RuntimeName = keyof typeof RUNTIMES;

export function isRuntime(value: string): value is RuntimeName {
  return Object.hasOwn(RUNTIMES, value);
}

/** The key of this package's answers in `.yo-rc.json`. */
export const CONFIG_KEY = 'generator-polyglot';
