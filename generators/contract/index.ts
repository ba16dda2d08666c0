import type { ModelOutline } from '../lib/system.js';
import { existsSync } from 'node:fs';
import Generator from 'yeoman-generator';
import type { ContractAnswers, StoredConfig, SystemAnswers } from '../lib/answers.js';
import { eventDefaults, grpcSkeleton, subjectProblem, type GrpcSkeleton } from '../lib/contracts.js';
import { GeneratedFiles } from '../lib/generated-files.js';
import { contractFile, indexFile, lookupFile, MODEL_DIR } from '../lib/model-code.js';
import { InputError, requireDnsLabel } from '../lib/names.js';
import { knownContracts } from '../lib/plan.js';
import { bufModules, readModel } from '../lib/system.js';

interface ContractOptions {
  kind?: string;
  name?: string;
  subject?: string;
  description?: string;
  yes?: boolean;
}

const KINDS = ['grpc', 'event'] as const;

/**
 * `yo polyglot:contract` / `polyglot new contract`: a gRPC contract (a buf-lint-clean .proto
 * skeleton in the system's buf module and its declaration in model/contracts/) or an event
 * contract (a subject and a zod schema in model/contracts/).
 */
export default class ContractGenerator extends Generator<StoredConfig, ContractOptions & Generator['options']> {
  private system!: SystemAnswers;
  private model: ModelOutline | undefined;
  private input: ContractOptions = {};
  private contract!: { name: string; answers: ContractAnswers; skeleton?: GrpcSkeleton };

  constructor(args: string[], options: ContractOptions & Generator['options']) {
    // No package manager run: a contract does not change the system's package.json.
    super(args, options, { customInstallTask: true });
    this.option('kind', { type: String, description: 'grpc or event' });
    this.option('name', { type: String, description: 'contract name (a DNS label)' });
    this.option('subject', { type: String, description: "event subject, e.g. 'shop.orders.placed.{order}' (default: <system>.<name>)" });
    this.option('description', { type: String, description: 'one line on what the contract is for' });
    this.option('yes', { type: Boolean, description: 'do not ask: take defaults' });
  }

  async initializing(): Promise<void> {
    const system = this.config.get('system');
    if (!system) throw new InputError(`no polyglot system in ${this.destinationRoot()} (.yo-rc.json has no generator-polyglot answers): create one with \`polyglot init\``);
    this.system = system;
    this.input = { kind: this.options.kind, name: this.options.name, subject: this.options.subject, description: this.options.description };
    if (this.input.kind !== undefined) this._checkKind(this.input.kind);
    if (this.input.name !== undefined) requireDnsLabel('--name', this.input.name);
    if (this.input.subject !== undefined) this._checkSubject(this.input.subject);
    this.model = await readModel(this.destinationRoot());
  }

  async prompting(): Promise<void> {
    if (this.options.yes) return;
    const input = this.input;
    if (input.kind === undefined) {
      ({ kind: input.kind } = await this.prompt<{ kind: string }>({
        type: 'select',
        name: 'kind',
        message: 'Kind of contract',
        choices: [
          { name: 'gRPC (a .proto service, request and response)', value: 'grpc' },
          { name: 'event (a NATS subject and a message schema)', value: 'event' },
        ],
      }));
    }
    if (input.name === undefined) {
      ({ name: input.name } = await this.prompt<{ name: string }>({ type: 'input', name: 'name', message: 'Contract name (a DNS label)' }));
    }
    if (input.kind === 'event' && input.subject === undefined) {
      ({ subject: input.subject } = await this.prompt<{ subject: string }>({
        type: 'input',
        name: 'subject',
        message: 'Subject (named tokens in braces, e.g. {order})',
        default: `${this.system.name}.${input.name}`,
      }));
    }
  }

  configuring(): void {
    const kind = this._checkKind(this.input.kind ?? (this.options.yes ? undefined : 'grpc'));
    const name = requireDnsLabel('--name', this.input.name);
    const known = knownContracts(this.model, this.config.getAll());
    if (known.grpc.has(name) || known.events.has(name)) throw new InputError(`--name: the system already has a contract named '${name}'; pick another name`);
    if (kind === 'grpc') {
      const module = bufModules(this.destinationRoot())[0] ?? 'contracts';
      let skeleton = grpcSkeleton(this.system.name, name, module, this.input.description);
      if (module === '.') skeleton = { ...skeleton, answers: { ...skeleton.answers, proto: skeleton.moduleFile } };
      if (existsSync(this.destinationPath(skeleton.answers.proto))) {
        throw new InputError(`--name: ${skeleton.answers.proto} exists already; declare its service in main.ts, or pick another name`);
      }
      this.contract = { name, answers: skeleton.answers, skeleton };
    } else {
      const subject = this.input.subject ?? `${this.system.name}.${name}`;
      this._checkSubject(subject);
      const clash = [...known.events.values()].find((e) => e.subject === subject);
      if (clash) throw new InputError(`--subject: '${subject}' is the subject of the event '${clash.name}' already`);
      this.contract = { name, answers: eventDefaults(this.system.name, name, subject, this.input.description) };
    }
  }

  writing(): void {
    const { name, answers, skeleton } = this.contract;
    const files = new GeneratedFiles(this);
    if (skeleton) files.writeOnce(skeleton.answers.proto, skeleton.content);
    this.config.set('contracts', { ...(this.config.get('contracts') ?? {}), [name]: answers });
    files.write(`${MODEL_DIR}/contracts/${name}.ts`, contractFile(name, answers));
    files.write(`${MODEL_DIR}/lookup.ts`, lookupFile());
    files.write(`${MODEL_DIR}/index.ts`, indexFile(this.config.getAll()));
    files.save();
  }

  end(): void {
    const { name, answers } = this.contract;
    this.log(
      answers.kind === 'grpc'
        ? `Added the gRPC contract ${name}: ${answers.service} in ${answers.proto} (declared in ${MODEL_DIR}/contracts/${name}.ts)`
        : `Added the event contract ${name}: subject ${answers.subject}, stream ${answers.stream} (schema in ${MODEL_DIR}/contracts/${name}.ts)`,
    );
  }

  private _checkKind(value: unknown): 'grpc' | 'event' {
    if (typeof value !== 'string') throw new InputError(`--kind: a value is required (${KINDS.join(' or ')})`);
    if (!(KINDS as readonly string[]).includes(value)) throw new InputError(`--kind: '${value}' is not a kind of contract; choose grpc or event`);
    return value as 'grpc' | 'event';
  }

  private _checkSubject(subject: string): void {
    const problem = subjectProblem(subject);
    if (problem) throw new InputError(`--subject: ${problem}`);
  }
}
