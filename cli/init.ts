import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { CONFIG_KEY } from '../generators/lib/answers.js';

/** True when `dir/.yo-rc.json` holds a system made by generator-polyglot. */
export function isGeneratedSystem(dir: string): boolean {
  try {
    const rc = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8')) as Record<string, { system?: unknown } | undefined>;
    return rc[CONFIG_KEY]?.system !== undefined;
  } catch {
    return false;
  }
}

/**
 * `polyglot init [dir]`: a new system repository in `dir` (created when missing), through the
 * `polyglot:app` generator. In an existing generated system it regenerates from `.yo-rc.json`.
 */
export function initCommand(): Command {
  return new Command('init')
    .description('create a system repository (yo polyglot); run in an existing one, regenerate it from .yo-rc.json')
    .argument('[dir]', 'the folder to create the system in', '.')
    .option('--name <name>', 'system name, a DNS label (default: the folder name)')
    .option('--image-registry <prefix>', 'image registry prefix (default: registry.example.com/<name>)')
    .option('--version <semver>', 'system version (default: 0.1.0)')
    .option('-y, --yes', 'do not ask: take defaults, and keep any file you changed (implied when stdin is not a terminal)')
    .option('--force', 'overwrite files you changed when regenerating')
    .option('--skip-install', "when regenerating, skip the templates' postRender commands")
    .action(async (dir: string, options: { name?: string; imageRegistry?: string; version?: string; yes?: boolean; force?: boolean; skipInstall?: boolean }) => {
      const target = resolve(dir);
      const shown = relative(process.cwd(), target) || '.';
      if (existsSync(target) && !isGeneratedSystem(target)) {
        const clash = ['package.json', 'main.ts'].find((f) => existsSync(join(target, f)));
        if (clash) {
          const { InputError } = await import('../generators/lib/names.js');
          throw new InputError(
            `[dir]: ${shown} already holds a ${clash} that polyglot did not make; \`polyglot init\` creates a new system repository: give it a new or empty folder (to use polyglot in an existing project, see the README's "Use it in your own project")`,
          );
        }
      }
      mkdirSync(target, { recursive: true });
      // Loaded when used: Yeoman alone takes a second or more to import, and most commands never need it.
      const { runGenerator } = await import('../generators/lib/run.js');
      await runGenerator('app', {
        cwd: target,
        yes: options.yes ?? !process.stdin.isTTY,
        force: options.force,
        skipInstall: options.skipInstall,
        options: { name: options.name, imageRegistry: options.imageRegistry, version: options.version },
      });
    });
}
