// Shared support for the template tests: a sample context per runtime (the `shop` system: a
// billing service that serves shop.billing.v1.BillingService and calls
// shop.identity.v1.IdentityService), rendering into a temp folder, and running the template's own
// post-render and test commands with caches kept outside the clone.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderTemplate, templateManifest } from '../../generators/service/render-template.js';
import type { GrpcContractFacts, TemplateContext } from '../../generators/service/template-context.js';
import { freePorts } from '../spine/support/local-cluster.js';
import { REPO_ROOT } from '../support/tools.js';

export const FIXTURE_PROTO = join(REPO_ROOT, 'test', 'templates', 'fixtures', 'proto');

/** The tools cache (same as scripts/install-tools.sh): toolchain caches live under it. */
export function toolsCache(...parts: string[]): string {
  const dir = join(process.env.POLYGLOT_TOOLS_CACHE ?? join(homedir(), '.cache', 'polyglot-tools'), ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const BILLING: GrpcContractFacts = {
  contract: 'billing',
  grpcService: 'shop.billing.v1.BillingService',
  protoPackage: 'shop.billing.v1',
  serviceName: 'BillingService',
  protoFile: 'shop/billing/v1/billing.proto',
  names: { kebab: 'billing', snake: 'billing', pascal: 'Billing', camel: 'billing' },
  methods: [
    { name: 'Charge', camel: 'charge', snake: 'charge', inputType: 'shop.billing.v1.ChargeRequest', inputName: 'ChargeRequest', outputType: 'shop.billing.v1.ChargeResponse', outputName: 'ChargeResponse', clientStreaming: false, serverStreaming: false },
    { name: 'GetInvoice', camel: 'getInvoice', snake: 'get_invoice', inputType: 'shop.billing.v1.GetInvoiceRequest', inputName: 'GetInvoiceRequest', outputType: 'shop.billing.v1.GetInvoiceResponse', outputName: 'GetInvoiceResponse', clientStreaming: false, serverStreaming: false },
  ],
};

const IDENTITY: GrpcContractFacts = {
  contract: 'identity',
  grpcService: 'shop.identity.v1.IdentityService',
  protoPackage: 'shop.identity.v1',
  serviceName: 'IdentityService',
  protoFile: 'shop/identity/v1/identity.proto',
  names: { kebab: 'identity', snake: 'identity', pascal: 'Identity', camel: 'identity' },
  methods: [
    { name: 'GetUser', camel: 'getUser', snake: 'get_user', inputType: 'shop.identity.v1.GetUserRequest', inputName: 'GetUserRequest', outputType: 'shop.identity.v1.GetUserResponse', outputName: 'GetUserResponse', clientStreaming: false, serverStreaming: false },
  ],
};

const PROFILES: Record<string, Pick<TemplateContext['service'], 'ports' | 'preStopDrainSeconds' | 'terminationGraceSeconds'>> = {
  go: { ports: { grpc: 50051, http: 8080 }, preStopDrainSeconds: 5, terminationGraceSeconds: 30 },
  rust: { ports: { grpc: 50051, http: 8080 }, preStopDrainSeconds: 5, terminationGraceSeconds: 20 },
  elixir: { ports: { http: 4000, websocket: 4001 }, preStopDrainSeconds: 45, terminationGraceSeconds: 75 },
  typescript: { ports: { http: 3000 }, preStopDrainSeconds: 5, terminationGraceSeconds: 30 },
};

/** A sample context: service `billing` of system `shop`, serving billing (not for typescript,
 * which serves HTTP) and calling identity, publishing `invoice-issued`, subscribing to
 * `user-signed-in`. */
export function sampleContext(runtime: string, overrides: Partial<TemplateContext> = {}): TemplateContext {
  const profile = PROFILES[runtime];
  if (!profile) throw new Error(`no sample profile for runtime ${runtime}`);
  const serves = runtime === 'typescript' || runtime === 'elixir' ? [] : [BILLING];
  const calls = runtime === 'elixir' ? [] : [IDENTITY];
  return {
    system: { name: 'shop', version: '0.1.0' },
    service: { name: 'billing', domain: 'billing', namespace: 'shop-billing', runtime, version: '0.1.0', uid: 65532, image: 'registry.example.com/shop/billing:0.1.0', ...profile },
    names: { kebab: 'billing', snake: 'billing', pascal: 'Billing', camel: 'billing' },
    serves,
    calls,
    publishes: [{ event: 'invoice-issued', subject: 'shop.billing.invoice-issued.{customer}', names: { kebab: 'invoice-issued', snake: 'invoice_issued', pascal: 'InvoiceIssued', camel: 'invoiceIssued' } }],
    subscribes: [{ event: 'user-signed-in', subject: 'shop.identity.signed-in.{user}', names: { kebab: 'user-signed-in', snake: 'user_signed_in', pascal: 'UserSignedIn', camel: 'userSignedIn' } }],
    protoFiles: [...new Set([...serves, ...calls].map((c) => c.protoFile))].sort(),
    usesNats: true,
    versions: {},
    serviceConfigSchema: readFileSync(join(REPO_ROOT, 'schemas', 'service-config.v1.json'), 'utf8'),
    ...overrides,
  };
}

export interface RenderedService {
  readonly dir: string;
  /** Runs a command in the service folder; returns status and output (never throws on exit code). */
  run(command: readonly string[], options?: SpawnSyncOptions): { status: number | null; output: string };
  /** Removes the temp folder. */
  remove(): void;
}

/**
 * Renders `templates/<template>` with `context` into a fresh temp folder, copies the contract
 * protos into its `proto/`, and returns a handle. `env` is passed to every command it runs.
 */
export function renderService(template: string, context: TemplateContext, env: Record<string, string> = {}): RenderedService {
  const root = mkdtempSync(join(tmpdir(), `polyglot-template-${template}-`));
  const dir = join(root, context.service.name);
  for (const [path, content] of renderTemplate(template, context)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  for (const proto of context.protoFiles) {
    mkdirSync(dirname(join(dir, 'proto', proto)), { recursive: true });
    cpSync(join(FIXTURE_PROTO, proto), join(dir, 'proto', proto));
  }
  const run = (command: readonly string[], options: SpawnSyncOptions = {}) => {
    const [cmd, ...args] = command;
    const executable = cmd === 'buf' ? join(REPO_ROOT, 'node_modules', '.bin', 'buf') : cmd!;
    const result = spawnSync(executable, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 30 * 60_000, ...options, env: { ...process.env, ...env, ...(options.env ?? {}) } });
    return { status: result.status, output: `${result.error ? `${result.error.message}\n` : ''}${result.stdout ?? ''}${result.stderr ?? ''}` };
  };
  return { dir, run, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** The post-render and test commands of a template, from its template.json. */
export function templateCommands(template: string) {
  return templateManifest(template);
}

/** A free TCP port on loopback, for a rendered service to listen on. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}
