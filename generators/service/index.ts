import type { ModelOutline } from '../lib/system.js';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Generator from 'yeoman-generator';
import { canServeGrpc, defaultPorts, grpcFirst, parseDuration, runtimeProfile, type RuntimeProfile } from '../../constructs/index.js';
import { RUNTIMES, isRuntime, type CallAnswers, type ServiceAnswers, type StoredConfig, type SystemAnswers } from '../lib/answers.js';
import { grpcSkeleton, type GrpcSkeleton } from '../lib/contracts.js';
import { GeneratedFiles } from '../lib/generated-files.js';
import { contractFile, indexFile, lookupFile, MODEL_DIR, serviceFile } from '../lib/model-code.js';
import { InputError, nameForms, nameList, requireDnsLabel } from '../lib/names.js';
import { knownContracts, requireEvents, requireGrpc, type KnownContracts } from '../lib/plan.js';
import { bufBinary, bufModules, protoFacts, readModel, serviceConfigSchema } from '../lib/system.js';
import { renderTemplate, templateManifest } from './render-template.js';
import type { GrpcContractFacts, TemplateContext } from './template-context.js';

interface ServiceOptions {
  name?: string;
  runtime?: string;
  domain?: string;
  serves?: string | string[];
  calls?: string | string[];
  publishes?: string | string[];
  subscribes?: string | string[];
  timeout?: string;
  retries?: string | number;
  /** Re-render the stored service of this name from `.yo-rc.json`. */
  regenerate?: string;
  yes?: boolean;
  skipInstall?: boolean;
  /** Another templates folder (tests render fixture templates). */
  templatesRoot?: string;
}

interface Plan {
  readonly name: string;
  readonly answers: ServiceAnswers;
  readonly skeleton?: GrpcSkeleton;
  readonly context: TemplateContext;
  /** `services/<name>/proto/<file>` contents, by module-relative file. */
  readonly protos: Map<string, string | Buffer>;
  readonly template: string;
}

/**
 * `yo polyglot:service` / `polyglot new service`: renders `templates/<runtime>` into
 * `services/<name>/`, copies the contracts' protos there, writes the service's model code into
 * `model/services/<name>.ts` (main.ts picks it up through `model/index.ts`), stores the answers in
 * `.yo-rc.json` and runs the template's postRender commands. Every input is checked before the
 * writing phase: bad input writes nothing.
 */
export default class ServiceGenerator extends Generator<StoredConfig, ServiceOptions & Generator['options']> {
  private system!: SystemAnswers;
  private model: ModelOutline | undefined;
  private input: { name?: string; runtime?: string; domain?: string; serves?: string[]; calls?: string[]; publishes?: string[]; subscribes?: string[] } = {};
  private plan!: Plan;

  constructor(args: string[], options: ServiceOptions & Generator['options']) {
    // No package manager run: a service does not change the system's package.json. (Composed by
    // the app generator, which already says so, it leaves the feature to the app.)
    super(args, options, options.regenerate !== undefined ? {} : { customInstallTask: true });
    this.option('name', { type: String, description: 'service name (a DNS label; its folder is services/<name>)' });
    this.option('runtime', { type: String, description: `runtime: ${Object.keys(RUNTIMES).join(', ')}` });
    this.option('domain', { type: String, description: 'domain (namespace <system>-<domain>; default: the name)' });
    this.option('serves', { type: String, description: `gRPC contracts it implements, comma separated (${runtimesWhere(canServeGrpc).join(', ')}; default: none, or for ${runtimesWhere(grpcFirst).join(', ')} a new contract of its own name)` });
    this.option('calls', { type: String, description: 'gRPC contracts it calls, comma separated' });
    this.option('publishes', { type: String, description: 'event contracts it publishes, comma separated' });
    this.option('subscribes', { type: String, description: 'event contracts it subscribes to, comma separated' });
    this.option('timeout', { type: String, description: 'per-try timeout of each call (default: a quarter of the runtime deadline, at most 250ms)' });
    this.option('retries', { type: Number, description: 'retries of each call (default: 1)' });
    this.option('regenerate', { type: String, description: 're-render a stored service from .yo-rc.json' });
    this.option('yes', { type: Boolean, description: 'do not ask: defaults, and keep files you changed' });
  }

  async initializing(): Promise<void> {
    const system = this.config.get('system');
    if (!system) {
      throw new InputError(`no polyglot system in ${this.destinationRoot()} (.yo-rc.json has no generator-polyglot answers): create one with \`polyglot init\`, or run this in the system's folder`);
    }
    this.system = system;
    const stored = this.config.get('services') ?? {};
    if (this.options.regenerate !== undefined) {
      const name = this.options.regenerate;
      const answers = stored[name];
      if (!answers) throw new InputError(`--regenerate: the system has no generated service named '${name}' in .yo-rc.json`);
      this.input = {
        name,
        runtime: answers.runtime,
        domain: answers.domain,
        serves: [...answers.serves],
        calls: answers.calls.map((c) => c.contract),
        publishes: [...answers.publishes],
        subscribes: [...answers.subscribes],
      };
    } else {
      this.input = {
        name: this.options.name,
        runtime: this.options.runtime,
        domain: this.options.domain,
        ...(this.options.serves !== undefined ? { serves: nameList(this.options.serves) } : {}),
        ...(this.options.calls !== undefined ? { calls: nameList(this.options.calls) } : {}),
        ...(this.options.publishes !== undefined ? { publishes: nameList(this.options.publishes) } : {}),
        ...(this.options.subscribes !== undefined ? { subscribes: nameList(this.options.subscribes) } : {}),
      };
      // Flags are checked before any question (and before the model is read), so a bad flag
      // fails at once.
      if (this.input.name !== undefined) this._checkNewName(this.input.name);
      if (this.input.runtime !== undefined) {
        const runtime = this._checkRuntime(this.input.runtime);
        if (!canServeGrpc(runtimeProfile(runtime)!) && (this.input.serves ?? []).length > 0) throw servesNoGrpc(runtime);
      }
      if (this.input.domain !== undefined) requireDnsLabel('--domain', this.input.domain);
      this._callSettings();
    }
    this.model = await readModel(this.destinationRoot());
  }

  async prompting(): Promise<void> {
    if (this.options.regenerate !== undefined || this.options.yes) return;
    const known = knownContracts(this.model, this.config.getAll());
    const grpc = [...known.grpc.keys()].sort();
    const events = [...known.events.keys()].sort();
    const input = this.input;
    if (input.runtime === undefined) {
      ({ runtime: input.runtime } = await this.prompt<{ runtime: string }>({
        type: 'select',
        name: 'runtime',
        message: 'Runtime',
        choices: Object.entries(RUNTIMES).map(([value, r]) => ({ name: `${value} (${r.template})`, value })),
      }));
    }
    if (input.name === undefined) {
      ({ name: input.name } = await this.prompt<{ name: string }>({
        type: 'input',
        name: 'name',
        message: 'Service name (a DNS label)',
        validate: (value: string) => {
          try {
            this._checkNewName(value);
            return true;
          } catch (error) {
            return (error as Error).message;
          }
        },
      }));
    }
    if (input.domain === undefined) {
      const domains = this.model?.domains ?? [];
      ({ domain: input.domain } = await this.prompt<{ domain: string }>({
        type: 'input',
        name: 'domain',
        message: `Domain${domains.length > 0 ? ` (existing: ${domains.join(', ')})` : ''}`,
        default: input.name,
      }));
    }
    const profile = input.runtime && isRuntime(input.runtime) ? runtimeProfile(input.runtime) : undefined;
    const checkbox = async (name: 'serves' | 'calls' | 'publishes' | 'subscribes', message: string, choices: string[]) => {
      if (input[name] !== undefined || choices.length === 0) return;
      const answer = await this.prompt<Record<string, string[]>>({ type: 'checkbox', name, message, choices });
      input[name] = answer[name] ?? [];
    };
    if (profile && canServeGrpc(profile)) {
      await checkbox('serves', `gRPC contracts it serves (none: ${grpcFirst(profile) ? `a new contract '${input.name}'` : 'no gRPC server, HTTP only'})`, grpc);
    }
    await checkbox('calls', 'gRPC contracts it calls', grpc);
    await checkbox('publishes', 'Events it publishes', events);
    await checkbox('subscribes', 'Events it subscribes to', events);
  }

  configuring(): void {
    const config = this.config.getAll();
    const regenerating = this.options.regenerate !== undefined;
    const name = regenerating ? this.input.name! : this._checkNewName(this.input.name);
    const runtime = this._checkRuntime(this.input.runtime);
    const domain = requireDnsLabel('--domain', this.input.domain ?? name);
    const known = knownContracts(this.model, config);
    const serves = [...new Set(this.input.serves ?? [])];
    const calls = [...new Set(this.input.calls ?? [])];
    const publishes = [...new Set(this.input.publishes ?? [])];
    const subscribes = [...new Set(this.input.subscribes ?? [])];
    const profile = runtimeProfile(runtime)!;
    if (!canServeGrpc(profile) && serves.length > 0) {
      throw servesNoGrpc(runtime);
    }
    requireGrpc('--serves', serves, known);
    requireGrpc('--calls', calls, known);
    requireEvents('--publishes', publishes, known);
    requireEvents('--subscribes', subscribes, known);

    let skeleton: GrpcSkeleton | undefined;
    if (grpcFirst(profile) && serves.length === 0) {
      // A Go or Rust service with nothing to serve gets a contract of its own name, so it builds
      // and answers something from the first minute. A TypeScript one serves HTTP only.
      if (known.events.has(name)) throw new InputError(`--serves: the new service would serve a new gRPC contract '${name}', but an event contract has that name; pass --serves <contract>`);
      if (!known.grpc.has(name)) {
        const module = bufModules(this.destinationRoot())[0] ?? 'contracts';
        skeleton = grpcSkeleton(this.system.name, name, module === '.' ? '' : module);
        if (module === '.') skeleton = { ...skeleton, answers: { ...skeleton.answers, proto: skeleton.moduleFile } };
        if (existsSync(this.destinationPath(skeleton.answers.proto))) {
          throw new InputError(`--serves: ${skeleton.answers.proto} exists but declares no contract '${name}'; declare it in main.ts or pass --serves <contract>`);
        }
      }
      serves.push(name);
    }

    let callAnswers: CallAnswers[];
    let deadline: string;
    if (regenerating) {
      const stored = config.services![name]!;
      callAnswers = [...stored.calls];
      deadline = stored.deadline ?? profile.defaultDeadline;
    } else {
      const { retries } = this._callSettings();
      // Each try may take as long as the callee promises (a shorter timeout would throw away
      // on-time answers: \`polyglot check\` calls that an error).
      callAnswers = calls.map((contract) => ({ contract, timeout: String(this.options.timeout ?? calleeDeadline(config, contract)), retries }));
      deadline = deadlineFor(profile.defaultDeadline, callAnswers);
    }
    // gRPC facts (methods, proto files) from the protos, through buf.
    const existing = [...serves, ...calls].filter((c) => c !== skeleton?.facts.contract);
    const proto = existing.length > 0 ? protoFacts(this.destinationRoot()) : undefined;
    const facts = new Map<string, GrpcContractFacts>();
    const protos = new Map<string, string | Buffer>();
    if (skeleton) {
      facts.set(name, skeleton.facts);
      protos.set(skeleton.moduleFile, skeleton.content);
    }
    for (const contract of existing) {
      const found = proto!.contract(known.grpc.get(contract)!);
      if (typeof found === 'string') throw new Error(found);
      facts.set(contract, found);
      for (const [file, source] of proto!.closure(found.protoFile)) protos.set(file, readFileSync(join(this.destinationRoot(), source)));
    }
    const event = (e: string) => ({ event: e, subject: known.events.get(e)!.subject, names: nameForms(e) });
    const answers: ServiceAnswers = { runtime, domain, serves, calls: callAnswers, publishes, subscribes, deadline };
    const context: TemplateContext = {
      system: { name: this.system.name, version: this.system.version },
      service: {
        name,
        domain,
        namespace: `${this.system.name}-${domain}`,
        runtime,
        version: this.system.version,
        // The ports the model gives the service (kubernetes/pod.ts): a TypeScript service that
        // serves a contract opens gRPC too.
        ports: defaultPorts(profile, serves.length > 0),
        uid: profile.runAsUser,
        preStopDrainSeconds: profile.preStopDrainSeconds,
        terminationGraceSeconds: profile.terminationGraceSeconds,
        image: `${this.system.imageRegistry}/${name}:${this.system.version}`,
      },
      names: nameForms(name),
      serves: serves.map((c) => facts.get(c)!),
      calls: calls.map((c) => facts.get(c)!),
      publishes: publishes.map(event),
      subscribes: subscribes.map(event),
      protoFiles: [...protos.keys()].sort(),
      usesNats: publishes.length + subscribes.length > 0,
      versions: {},
      serviceConfigSchema: serviceConfigSchema(),
    };
    this.plan = { name, answers, skeleton, context, protos, template: RUNTIMES[runtime].template };
    // Render now, so a template error also stops the run before anything is written.
    this.rendered = renderTemplate(this.plan.template, context, this.options.templatesRoot);
  }

  private rendered!: Map<string, string | Buffer>;

  writing(): void {
    const { name, answers, skeleton, protos } = this.plan;
    const files = new GeneratedFiles(this);
    if (skeleton) {
      files.writeOnce(skeleton.answers.proto, skeleton.content);
      this.config.set('contracts', { ...(this.config.get('contracts') ?? {}), [name]: skeleton.answers });
      files.write(`${MODEL_DIR}/contracts/${name}.ts`, contractFile(name, skeleton.answers));
    }
    this.config.set('services', { ...(this.config.get('services') ?? {}), [name]: answers });
    files.write(`${MODEL_DIR}/lookup.ts`, lookupFile());
    files.write(`${MODEL_DIR}/services/${name}.ts`, serviceFile(name, answers));
    files.write(`${MODEL_DIR}/index.ts`, indexFile(this.config.getAll()));
    for (const [path, content] of this.rendered) files.write(`services/${name}/${path}`, content);
    for (const [path, content] of protos) files.write(`services/${name}/proto/${path}`, content);
    files.save();
  }

  install(): void {
    if (this.options.skipInstall) {
      this.log(`Skipped the postRender commands of ${this.plan.template} (--skip-install); run them in services/${this.plan.name} before building it.`);
      return;
    }
    const dir = this.destinationPath('services', this.plan.name);
    for (const [command, ...args] of templateManifest(this.plan.template, this.options.templatesRoot).postRender) {
      const executable = command === 'buf' ? bufBinary() : command!;
      this.log(`services/${this.plan.name}$ ${[command, ...args].join(' ')}`);
      const result = spawnSync(executable, args, { cwd: dir, stdio: 'inherit' });
      if (result.status !== 0) {
        throw new Error(
          `services/${this.plan.name}: \`${[command, ...args].join(' ')}\` ${result.error ? `could not run (${result.error.message})` : `failed (exit ${result.status})`}; the files are written: fix it and run the command there, or re-run with --skip-install`,
        );
      }
    }
  }

  end(): void {
    const { name, answers, skeleton } = this.plan;
    this.log(
      `${this.options.regenerate !== undefined ? 'Regenerated' : 'Added'} the ${answers.runtime} service ${name} (domain ${answers.domain}) in services/${name}/, model code in ${MODEL_DIR}/services/${name}.ts` +
        (skeleton ? `; it serves the new contract ${name} (${skeleton.answers.proto})` : ''),
    );
  }

  // Methods starting with `_` are not run as tasks by yeoman.
  /** A DNS label that no service of the system uses yet. */
  private _checkNewName(value: unknown): string {
    const name = requireDnsLabel('--name', value);
    const taken =
      (this.model?.services ?? []).some((s) => s.name === name) || Object.hasOwn(this.config.get('services') ?? {}, name) || existsSync(this.destinationPath('services', name));
    if (taken) {
      throw new InputError(`--name: the system already has a service named '${name}' (or a services/${name} folder); pick another name, or re-render it with \`polyglot new service --regenerate ${name}\``);
    }
    return name;
  }

  private _callSettings(): { retries: number } {
    if (this.options.timeout !== undefined && !((parseDuration(String(this.options.timeout)) ?? 0) > 0)) {
      throw new InputError(`--timeout: '${this.options.timeout}' is not a duration such as '250ms' or '2s'`);
    }
    const retries = Number(this.options.retries ?? 1);
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new InputError(`--retries: '${this.options.retries}' is not a whole number from 0 to 10`);
    return { retries };
  }

  private _checkRuntime(value: unknown): keyof typeof RUNTIMES {
    if (typeof value !== 'string') throw new InputError(`--runtime: a value is required (${Object.keys(RUNTIMES).join(', ')})`);
    if (!isRuntime(value) || !runtimeProfile(value)) throw new InputError(`--runtime: '${value}' is not a runtime polyglot scaffolds; choose one of ${Object.keys(RUNTIMES).join(', ')}`);
    return value;
  }
}

/** The deadline a generated service that serves `contract` promises; 1s (Go's and TypeScript's
 * default) when a service of main.ts serves it, or nobody does yet. */
function calleeDeadline(config: StoredConfig, contract: string): string {
  for (const service of Object.values(config.services ?? {})) {
    if (service.serves.includes(contract)) return service.deadline ?? runtimeProfile(service.runtime)?.defaultDeadline ?? '1s';
  }
  return '1s';
}

/**
 * The runtime's default deadline, raised to hold the calls one after another: every try at its
 * full timeout plus the worst-case backoff between tries (25ms doubling, the default call policy),
 * rounded up to 50ms (under a second) or 500ms.
 */
export function deadlineFor(runtimeDefault: string, calls: readonly CallAnswers[]): string {
  const base = parseDuration(runtimeDefault) ?? 1000;
  const needed = calls.reduce((sum, c) => {
    let backoff = 0;
    for (let k = 1, wait = 25; k <= c.retries; k++, wait *= 2) backoff += Math.min(wait, 1000);
    return sum + (parseDuration(c.timeout) ?? 0) * (c.retries + 1) + backoff;
  }, 0);
  if (needed <= base) return runtimeDefault;
  const step = needed < 1000 ? 50 : 500;
  const ms = Math.ceil(needed / step) * step;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function servesNoGrpc(runtime: string): InputError {
  return new InputError(`--serves: the ${runtime} runtime does not serve gRPC (its runtime profile opens no gRPC port); serve gRPC contracts from a ${orList(runtimesWhere(canServeGrpc))} service`);
}

const orList = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

/** The scaffolded runtimes whose runtime profile says yes: `canServeGrpc` (may serve gRPC) or
 * `grpcFirst` (always opens gRPC, so a service given nothing to serve gets a contract). */
function runtimesWhere(test: (profile: RuntimeProfile) => boolean): string[] {
  return Object.keys(RUNTIMES).filter((r) => {
    const profile = runtimeProfile(r);
    return profile !== undefined && test(profile);
  });
}
