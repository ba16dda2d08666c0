import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** Where a system lives and where its output goes. */
export interface AppLocation {
  /** The system's directory (where main.ts and cdk8s.yaml are). */
  readonly dir: string;
  /** The system's entry file. */
  readonly entry: string;
  /** The output directory, absolute. */
  readonly outdir: string;
}

/**
 * Finds the system's entry and output directory: `main.ts` in `dir`, and the `output` of its
 * cdk8s.yaml (cdk8s' own default is `dist`), so `polyglot synth` and `cdk8s synth` agree.
 */
export function locateApp(dir: string, outdir?: string): AppLocation {
  const root = resolve(dir);
  const entry = join(root, 'main.ts');
  if (!existsSync(entry)) throw new Error(`no main.ts in ${root}: a polyglot system is a directory with a main.ts that calls system.synth()`);
  const cdk8sYaml = join(root, 'cdk8s.yaml');
  const configured = existsSync(cdk8sYaml) ? (parse(readFileSync(cdk8sYaml, 'utf8')) as { output?: string } | null)?.output : undefined;
  return { dir: root, entry, outdir: resolve(root, outdir ?? configured ?? 'dist') };
}

/**
 * Runs the system's main.ts in its own process, as `cdk8s synth` does, with CDK8S_OUTDIR set.
 * TypeScript runs through tsx, resolved from this package so a system repo needs nothing else.
 * Resolves to the process's exit code; its stdout and stderr go to ours (its stdout to our stderr
 * with `stdoutToStderr`, when our stdout must carry only our own output, such as JSON).
 */
export function runApp(location: AppLocation, extraEnv: Record<string, string> = {}, options: { stdoutToStderr?: boolean } = {}): Promise<number> {
  const tsx = import.meta.resolve('tsx');
  const reportErrors = import.meta.resolve('./report-errors.js');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, '--import', reportErrors, location.entry], {
      cwd: location.dir,
      stdio: ['ignore', options.stdoutToStderr ? process.stderr : 'inherit', 'inherit'],
      env: { ...process.env, CDK8S_OUTDIR: location.outdir, CDK8S_CHECK_UPGRADE: 'false', ...extraEnv },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}
