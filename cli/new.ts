import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { isGeneratedSystem } from './init.js';

/** The generated system `dir` is in: `dir` itself or the nearest parent with our `.yo-rc.json`. */
export function systemRoot(dir: string): string {
  const start = resolve(dir);
  for (let current = start; ; current = dirname(current)) {
    if (isGeneratedSystem(current)) return current;
    if (existsSync(join(current, 'main.ts')) || dirname(current) === current) return start;
  }
}

interface Common {
  dir: string;
  yes?: boolean;
  force?: boolean;
  skipInstall?: boolean;
}

const common = (command: Command) =>
  command
    .option('--dir <dir>', 'the system folder (default: this one, or the system it is in)', '.')
    .option('-y, --yes', 'do not ask: what is not given is a default, and files you changed are kept (implied when stdin is not a terminal)')
    .option('--force', 'overwrite files you changed');

/** `polyglot new service|contract`: the `polyglot:service` and `polyglot:contract` generators. */
export function newCommand(): Command {
  const service = common(new Command('service'))
    .description('add a service: renders templates/<runtime> into services/<name>/ and its model code into model/services/ (yo polyglot:service)')
    .option('--runtime <runtime>', 'go, rust, elixir or typescript')
    .option('--name <name>', 'service name, a DNS label')
    .option('--domain <domain>', 'domain (default: the name)')
    .option('--serves <contracts>', 'gRPC contracts it implements, comma separated (go, rust, typescript; default: none, or for go and rust a new contract of its own name)')
    .option('--calls <contracts>', 'gRPC contracts it calls, comma separated')
    .option('--publishes <events>', 'event contracts it publishes, comma separated')
    .option('--subscribes <events>', 'event contracts it subscribes to, comma separated')
    .option('--timeout <duration>', 'per-try timeout of each call (default: a quarter of the runtime deadline, at most 250ms)')
    .option('--retries <n>', 'retries of each call (default: 1)')
    .option('--regenerate <name>', 're-render a service from its answers in .yo-rc.json')
    .option('--skip-install', "skip the template's postRender commands (code generation, dependency download)")
    .action(async (options: Common & Record<string, string | undefined>) => {
      const { dir, yes, force, skipInstall, ...answers } = options;
      const { runGenerator } = await import('../generators/lib/run.js');
      await runGenerator('service', { cwd: systemRoot(dir), yes: yes ?? !process.stdin.isTTY, force, skipInstall, options: answers });
    });
  const contract = common(new Command('contract'))
    .description('add a contract: a gRPC .proto skeleton in the buf module, or an event subject and schema (yo polyglot:contract)')
    .option('--kind <kind>', 'grpc or event')
    .option('--name <name>', 'contract name, a DNS label')
    .option('--subject <subject>', "event subject, e.g. 'shop.orders.placed.{order}' (default: <system>.<name>)")
    .option('--description <text>', 'one line on what the contract is for')
    .action(async (options: Common & Record<string, string | undefined>) => {
      const { dir, yes, force, skipInstall: _skip, ...answers } = options;
      const { runGenerator } = await import('../generators/lib/run.js');
      await runGenerator('contract', { cwd: systemRoot(dir), yes: yes ?? !process.stdin.isTTY, force, options: answers });
    });
  return new Command('new').description('add a service or a contract to a system').addCommand(service).addCommand(contract);
}
