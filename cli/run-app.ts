import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { bundleApp } from './app-bundle.js';
import { reportModelError } from './model-error.js';

/** Where a system lives and where its output goes. */
export interface AppLocation {
  /** The system's directory (where main.ts and cdk8s.yaml are). */
  readonly dir: string;
  /** The system's entry file. */
  readonly entry: string;
  /**
   * The output directory the command line asks for (`--outdir`, else cdk8s.yaml's `output`),
   * absolute; `undefined` lets the system decide (`SystemProps.outdir`, else `dist`).
   */
  readonly outdir?: string;
}

/**
 * Finds the system's entry and the output directory the command line asks for: `main.ts` in
 * `dir`, and `--outdir` or the `output` of its cdk8s.yaml, so `polyglot synth` and `cdk8s synth`
 * agree. Throws a sentence for a person when the folder cannot hold a system.
 */
export function locateApp(dir: string, outdir?: string): AppLocation {
  const root = resolve(dir);
  const entry = join(root, 'main.ts');
  if (!existsSync(entry)) throw new Error(`no main.ts in ${root}: a polyglot system is a directory with a main.ts that calls system.synth() (create one with \`polyglot init\`)`);
  requireEsm(root);
  const cdk8sYaml = join(root, 'cdk8s.yaml');
  let configured: string | undefined;
  if (existsSync(cdk8sYaml)) {
    try {
      const config = parse(readFileSync(cdk8sYaml, 'utf8')) as { output?: unknown } | null;
      if (config && typeof config.output === 'string') configured = config.output;
    } catch (error) {
      throw new Error(`${cdk8sYaml} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const chosen = outdir ?? configured;
  return { dir: root, entry, outdir: chosen === undefined ? undefined : resolve(root, chosen) };
}

/**
 * polyglot is an ES module package: under a CommonJS package.json, tsx compiles main.ts and
 * polyglot itself to CommonJS and synth fails deep inside with an error about `import.meta`.
 * Say what to change instead.
 */
function requireEsm(root: string): void {
  for (let dir = root; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      let type: unknown;
      try {
        type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
      } catch {
        throw new Error(`${manifest} is not valid JSON`);
      }
      if (type !== 'module') {
        throw new Error(`${manifest} makes main.ts a CommonJS module, and polyglot systems are ES modules: add "type": "module" to it`);
      }
      return;
    }
    if (dirname(dir) === dir) {
      throw new Error(`no package.json above ${root}: polyglot systems are ES modules; add a package.json with "type": "module" (\`polyglot init\` writes one)`);
    }
  }
}

/**
 * Runs the system's main.ts in its own process, as `cdk8s synth` does (for callers that read a
 * model more than once in one process, such as the generators: ES modules cannot be reloaded), with CDK8S_OUTDIR set.
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
      env: { ...withoutOutdir(process.env), ...(location.outdir ? { CDK8S_OUTDIR: location.outdir } : {}), CDK8S_CHECK_UPGRADE: 'false', ...extraEnv },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

/** Our own $CDK8S_OUTDIR must not leak into the system's process: only the command line sets it. */
function withoutOutdir(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { CDK8S_OUTDIR: _ignored, ...rest } = env;
  return rest;
}

/**
 * Runs the system's main.ts once in this process, with what {@link runApp} would give its child
 * process, and resolves to the exit code that process would have had. For one-shot commands
 * (`polyglot synth`, `polyglot check`): a second node process cost each of them its start-up and
 * a second load of the library. For the run, the working directory is the system's folder,
 * `process.argv[1]` its main.ts and the environment the child's; all are restored afterwards.
 * The run ends when main.ts is imported and everything it started has finished (the event loop
 * is idle, when a process would exit), so an async main works too. main.ts and the files it
 * imports run as one bundle compiled by esbuild ({@link bundleApp}: no module hooks thread);
 * a system package without a node_modules folder to hold it runs through tsx's loader instead.
 */
export async function runAppInProcess(location: AppLocation, extraEnv: Record<string, string> = {}, options: { stdoutToStderr?: boolean } = {}): Promise<number> {
  const saved = { cwd: process.cwd(), argv1: process.argv[1], env: { ...process.env }, write: process.stdout.write, exitCode: process.exitCode };
  let failed = false;
  const fail = (error: unknown) => {
    failed = true;
    reportModelError(error);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  let unregister: (() => Promise<void>) | undefined;
  const sourceMaps = process.sourceMapsEnabled;
  try {
    process.chdir(location.dir);
    process.argv[1] = location.entry;
    process.exitCode = undefined;
    Object.assign(process.env, { CDK8S_CHECK_UPGRADE: 'false' }, extraEnv);
    delete process.env.CDK8S_OUTDIR; // only the command line sets it
    if (location.outdir) process.env.CDK8S_OUTDIR = location.outdir;
    if (options.stdoutToStderr) process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    const bundle = await bundleApp(location.entry);
    if ('errors' in bundle) {
      console.error(bundle.errors);
      failed = true;
      return 1;
    }
    let module: string;
    if ('module' in bundle) {
      process.setSourceMapsEnabled(true);
      // A query of its own per run: a second run in one process runs main.ts again.
      module = `${bundle.module}?run=${++runs}`;
    } else {
      const { register } = await import('tsx/esm/api');
      unregister = register();
      module = pathToFileURL(location.entry).href;
    }
    await import(module);
    await eventLoopIdle();
  } catch (error) {
    fail(error);
  } finally {
    const exitCode = process.exitCode;
    process.off('uncaughtException', fail);
    process.off('unhandledRejection', fail);
    process.stdout.write = saved.write;
    restoreEnv(saved.env);
    if (saved.argv1 !== undefined) process.argv[1] = saved.argv1;
    process.chdir(saved.cwd);
    process.exitCode = saved.exitCode;
    process.setSourceMapsEnabled(sourceMaps);
    await unregister?.();
    if (typeof exitCode === 'number' && exitCode !== 0) failed = true;
  }
  return failed ? 1 : 0;
}

let runs = 0;

/** Resolves once nothing is left to do but exit: what ends a system's own process. */
function eventLoopIdle(): Promise<void> {
  return new Promise((resolveIdle) => {
    process.once('beforeExit', () => resolveIdle());
    // One turn of the loop first: when called while Node is emitting 'beforeExit' (a run right
    // after another), a loop with nothing left would exit without emitting it again (Node 24).
    setImmediate(() => {});
  });
}

function restoreEnv(saved: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
}
