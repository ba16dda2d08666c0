import { fileURLToPath, pathToFileURL } from 'node:url';
import { QueuedAdapter, TerminalAdapter } from '@yeoman/adapter';
import type { PromptAnswers, PromptQuestions } from '@yeoman/types';
import { createEnv } from 'yeoman-environment';
import { InputError } from './names.js';
import { packageRoot } from './system.js';

export type GeneratorName = 'app' | 'service' | 'contract';
export const GENERATORS: readonly GeneratorName[] = ['app', 'service', 'contract'];

/** The entry file of one of this package's generators (`.ts` under tsx in tests, `.js` built). */
export function generatorPath(name: GeneratorName): string {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`../${name}/index${extension}`, import.meta.url));
}

/**
 * A terminal adapter for `--yes`: it never waits for a person. A question the generator still
 * asks takes its default (or fails naming the flag to pass); a file conflict keeps the user's
 * file, and the run says which files it kept.
 */
export class NonInteractiveAdapter extends TerminalAdapter {
  readonly kept: string[] = [];

  override async prompt<A extends PromptAnswers = PromptAnswers>(questions: PromptQuestions<A>, initialAnswers?: Partial<A>): Promise<A> {
    const answers: Record<string, unknown> = { ...(initialAnswers ?? {}) };
    for (const question of (Array.isArray(questions) ? questions : [questions]) as { name: string; type?: string; message?: unknown; default?: unknown }[]) {
      if (answers[question.name] !== undefined) continue;
      if (question.name === 'action' && question.type === 'expand') {
        // yeoman's conflicter: "Overwrite <file>?"
        const file = /^Overwrite (.*)\?$/.exec(String(question.message))?.[1] ?? 'a file';
        this.kept.push(file);
        this.log.info(`kept your ${file}: it differs from what the generator writes now (--force overwrites it; run without --yes to see the diff)`);
        answers[question.name] = 'skip';
        continue;
      }
      if (question.default === undefined) throw new InputError(`--${question.name}: a value is needed with --yes`);
      answers[question.name] = typeof question.default === 'function' ? await (question.default as (a: unknown) => unknown)(answers) : question.default;
    }
    return answers as A;
  }
}

export interface RunOptions {
  /** The system directory (the app generator creates it). */
  readonly cwd: string;
  /** Never ask: defaults, and keep the user's files on a conflict. */
  readonly yes?: boolean;
  /** Overwrite files the user changed. */
  readonly force?: boolean;
  /** Skip the templates' postRender commands. */
  readonly skipInstall?: boolean;
  /** The generator's own options (answers given as flags). */
  readonly options?: Record<string, unknown>;
}

/**
 * Runs `polyglot:<name>` through yeoman-environment, the way `yo polyglot:<name>` would, with
 * this package's generators registered directly (no lookup, so it works as root and from any
 * install location). Resolves with the files kept on conflict under `--yes`.
 */
export async function runGenerator(name: GeneratorName, run: RunOptions): Promise<{ kept: readonly string[] }> {
  const terminal = run.yes ? new NonInteractiveAdapter() : new TerminalAdapter();
  const env = createEnv({ cwd: run.cwd, adapter: new QueuedAdapter({ adapter: terminal }) });
  for (const generator of GENERATORS) {
    // Registered as classes: yeoman-environment would otherwise require() the file first.
    const resolved = generatorPath(generator);
    const { default: Generator } = (await import(pathToFileURL(resolved).href)) as { default: unknown };
    env.register(Generator, { namespace: `polyglot:${generator}`, resolved, packagePath: packageRoot() });
  }
  await env.run([`polyglot:${name}`], {
    ...(run.options ?? {}),
    yes: run.yes ?? false,
    force: run.force ?? false,
    skipInstall: run.skipInstall ?? false,
  } as Parameters<typeof env.run>[1]);
  return { kept: terminal instanceof NonInteractiveAdapter ? terminal.kept : [] };
}
