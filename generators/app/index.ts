import { basename } from 'node:path';
import Generator from 'yeoman-generator';
import { CONFIG_KEY, type StoredConfig, type SystemAnswers } from '../lib/answers.js';
import { GeneratedFiles } from '../lib/generated-files.js';
import { contractFile, indexFile, lookupFile, MODEL_DIR } from '../lib/model-code.js';
import { InputError, requireDnsLabel } from '../lib/names.js';
import { generatorPath } from '../lib/run.js';
import { ownPackage } from '../lib/system.js';
import ServiceGenerator from '../service/index.js';
import { appFiles } from './files.js';

interface AppOptions {
  name?: string;
  imageRegistry?: string;
  version?: string;
  yes?: boolean;
  skipInstall?: boolean;
  /** Another templates folder for the services it regenerates (tests). */
  templatesRoot?: string;
}

const HOST = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/;

/**
 * `yo polyglot` / `polyglot init [dir]`: a new system repository that synthesizes and checks
 * right after `npm install`. Run again in an existing system, it regenerates the generator-owned
 * files and every service and contract from the answers in `.yo-rc.json`.
 */
export default class AppGenerator extends Generator<StoredConfig, AppOptions & Generator['options']> {
  private system!: SystemAnswers;
  private regenerating = false;

  constructor(args: string[], options: AppOptions & Generator['options']) {
    // The user runs `npm install` themselves: the generated package.json may need a tarball path
    // or a registry of their own first.
    super(args, options, { customInstallTask: true });
    this.option('name', { type: String, description: 'system name (a DNS label; default: the folder name)' });
    this.option('image-registry', { type: String, description: 'image registry prefix (default: registry.example.com/<name>)' });
    this.option('version', { type: String, description: 'system version (default: 0.1.0)' });
    this.option('yes', { type: Boolean, description: 'do not ask: take defaults, keep files you changed' });
  }

  initializing(): void {
    const stored = this.config.get('system');
    if (stored) {
      this.regenerating = true;
      this.system = stored;
      if (this.options.name !== undefined && this.options.name !== stored.name) {
        throw new InputError(`--name: this folder holds the system '${stored.name}' (.yo-rc.json); a system cannot be renamed by re-running the generator`);
      }
    }
  }

  async prompting(): Promise<void> {
    if (this.regenerating) return;
    const folder = basename(this.destinationRoot());
    let name = this.options.name ?? (this.options.yes ? folder : undefined);
    let imageRegistry = this.options.imageRegistry ?? (this.options as unknown as Record<string, unknown>)['image-registry'] as string | undefined;
    if (name === undefined || (imageRegistry === undefined && !this.options.yes)) {
      const answers = await this.prompt<{ name?: string; imageRegistry?: string }>([
        ...(name === undefined
          ? [{ type: 'input' as const, name: 'name', message: 'System name (a DNS label, the prefix of every namespace)', default: folder }]
          : []),
        ...(imageRegistry === undefined
          ? [{ type: 'input' as const, name: 'imageRegistry', message: 'Image registry', default: (a: { name?: string }) => `registry.example.com/${a.name ?? name}` }]
          : []),
      ] as never);
      name = answers.name ?? name;
      imageRegistry = answers.imageRegistry ?? imageRegistry;
    }
    const checked = requireDnsLabel('--name', name);
    if (checked.length > 30) throw new InputError(`--name: '${checked}' is ${checked.length} characters long; keep a system name to 30: it prefixes every namespace`);
    const registry = imageRegistry ?? `registry.example.com/${checked}`;
    if (!HOST.test(registry)) throw new InputError(`--image-registry: '${registry}' is not an image registry path such as 'registry.example.com/${checked}'`);
    const version = this.options.version ?? '0.1.0';
    if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version)) throw new InputError(`--version: '${version}' is not a semantic version such as 0.1.0`);
    this.system = { name: checked, version, imageRegistry: registry };
  }

  writing(): void {
    const files = new GeneratedFiles(this);
    for (const [path, content] of Object.entries(appFiles(this.system, ownPackage()))) files.writeOnce(path, content);
    this.config.set('system', this.system);
    const config = this.config.getAll();
    files.write(`${MODEL_DIR}/lookup.ts`, lookupFile());
    files.write(`${MODEL_DIR}/index.ts`, indexFile(config));
    for (const [name, contract] of Object.entries(config.contracts ?? {})) files.write(`${MODEL_DIR}/contracts/${name}.ts`, contractFile(name, contract));
    files.save();
  }

  async default(): Promise<void> {
    // Regenerate every stored service from its answers (templates may have changed).
    if (!this.regenerating) return;
    for (const name of Object.keys(this.config.get('services') ?? {}).sort()) {
      await this.composeWith(
        { Generator: ServiceGenerator, path: generatorPath('service') } as never,
        { regenerate: name, yes: this.options.yes, skipInstall: this.options.skipInstall, templatesRoot: this.options.templatesRoot } as never,
      );
    }
  }

  end(): void {
    if (this.regenerating) {
      this.log(`Regenerated ${this.system.name} from .yo-rc.json.`);
      return;
    }
    this.log(`
Created the system ${this.system.name} (${CONFIG_KEY} ${ownPackage().version}). Next:
  npm install
  npx polyglot new service --runtime go --name <name> --yes
  npm start     # synth into dist/
  npm test      # polyglot check
`);
  }
}
