// The two services of the runtime thesis bench (bench/thesis.ts), as a user gets them: rendered
// from templates/rust-hotpath and templates/ts-api for the same contract (thesis.token.v1,
// bench/thesis/proto), with the same work written into their handler files (bench/thesis/rust,
// bench/thesis/ts), built in release mode, and started as processes with a service config.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTemplate, templateManifest } from '../generators/service/render-template.js';
import type { GrpcContractFacts, TemplateContext } from '../generators/service/template-context.js';
import { REPO_ROOT, TOOLS_DIR } from '../test/support/tools.js';
import { sampleContext, toolsCache } from '../test/templates/support.js';

const here = dirname(fileURLToPath(import.meta.url));
export const THESIS_DIR = join(here, 'thesis');
export const PROTO_ROOT = join(THESIS_DIR, 'proto');
export const TOKEN_PROTO = 'thesis/token/v1/token.proto';
export const TOKEN_SERVICE = 'thesis.token.v1.TokenService';

export const TOKEN: GrpcContractFacts = {
  contract: 'token',
  grpcService: TOKEN_SERVICE,
  protoPackage: 'thesis.token.v1',
  serviceName: 'TokenService',
  protoFile: TOKEN_PROTO,
  names: { kebab: 'token', snake: 'token', pascal: 'Token', camel: 'token' },
  methods: [
    { name: 'Sign', camel: 'sign', snake: 'sign', inputType: 'thesis.token.v1.SignRequest', inputName: 'SignRequest', outputType: 'thesis.token.v1.SignResponse', outputName: 'SignResponse', clientStreaming: false, serverStreaming: false },
    { name: 'Verify', camel: 'verify', snake: 'verify', inputType: 'thesis.token.v1.VerifyRequest', inputName: 'VerifyRequest', outputType: 'thesis.token.v1.VerifyResponse', outputName: 'VerifyResponse', clientStreaming: false, serverStreaming: false },
  ],
};

export type Runtime = 'rust' | 'typescript';
const TEMPLATE: Record<Runtime, string> = { rust: 'rust-hotpath', typescript: 'ts-api' };
/** The bench's handler file, and where it goes in the rendered service. */
const HANDLERS: Record<Runtime, [from: string, to: string]> = {
  rust: [join(THESIS_DIR, 'rust', 'service.rs'), 'crates/server/src/service.rs'],
  typescript: [join(THESIS_DIR, 'ts', 'served.ts'), 'src/grpc/served.ts'],
};

/** The `token` service of system `thesis`: serves thesis.token.v1, calls nothing, no events. */
export function tokenContext(runtime: Runtime): TemplateContext {
  const sample = sampleContext(runtime);
  return {
    ...sample,
    system: { name: 'thesis', version: '0.1.0' },
    service: { ...sample.service, name: 'token', domain: 'token', namespace: 'thesis-token', image: 'registry.example.com/thesis/token:0.1.0' },
    names: TOKEN.names,
    serves: [TOKEN],
    calls: [],
    publishes: [],
    subscribes: [],
    protoFiles: [TOKEN_PROTO],
    usesNats: false,
  };
}

/** Environments of the builds: caches outside the clone, Node 24 first on PATH. */
export function buildEnv(runtime: Runtime): Record<string, string> {
  if (runtime === 'rust') {
    return {
      CARGO_HOME: toolsCache('cargo-home'),
      // The shared target dir of the rust-hotpath tests: dependencies built once per profile.
      CARGO_TARGET_DIR: toolsCache('cargo-target-rust-hotpath'),
      CARGO_TERM_COLOR: 'never',
      CARGO_INCREMENTAL: '0',
      RUSTUP_AUTO_INSTALL: '0',
    };
  }
  const bin = join(TOOLS_DIR, 'node24', 'bin');
  try {
    accessSync(join(bin, 'node'), constants.X_OK);
  } catch {
    throw new Error(`Node 24 is not installed (expected ${join(bin, 'node')}): run \`npm run tools\` (scripts/tools.d/10-node24.sh)`);
  }
  return {
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_cache: toolsCache('npm-node24'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_prefer_offline: 'true',
    OTEL_SDK_DISABLED: 'true',
  };
}

export interface Built {
  readonly runtime: Runtime;
  readonly dir: string;
  /** The command that starts the release build, and its working directory. */
  readonly command: readonly string[];
  readonly env: Record<string, string>;
  /** Seconds of each build step. */
  readonly steps: readonly { readonly command: string; readonly seconds: number }[];
}

/**
 * Renders the template into `<root>/<runtime>/token`, copies the contract and the bench's
 * handlers in, runs the template's post-render commands and the release build:
 * `cargo build --release --locked` (Rust), `npm run build` (tsc to dist/, TypeScript).
 */
export function renderAndBuild(root: string, runtime: Runtime, log: (line: string) => void): Built {
  const context = tokenContext(runtime);
  const dir = join(root, runtime, context.service.name);
  for (const [path, content] of renderTemplate(TEMPLATE[runtime], context)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(dirname(join(dir, 'proto', TOKEN_PROTO)), { recursive: true });
  copyFileSync(join(PROTO_ROOT, TOKEN_PROTO), join(dir, 'proto', TOKEN_PROTO));
  const [from, to] = HANDLERS[runtime];
  writeFileSync(join(dir, to), readFileSync(from));

  const env = buildEnv(runtime);
  const build = runtime === 'rust' ? ['cargo', 'build', '--release', '--locked'] : ['npm', 'run', 'build'];
  const steps: { command: string; seconds: number }[] = [];
  for (const command of [...templateManifest(TEMPLATE[runtime]).postRender, build]) {
    const [cmd, ...args] = command;
    const executable = cmd === 'buf' ? join(REPO_ROOT, 'node_modules', '.bin', 'buf') : cmd!;
    const started = performance.now();
    const result = spawnSync(executable, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60 * 60_000, env: { ...process.env, ...env } });
    const seconds = (performance.now() - started) / 1000;
    const line = command.join(' ');
    if (result.status !== 0) throw new Error(`${runtime}: \`${line}\` failed in ${dir} (exit ${result.status}):\n${result.error?.message ?? ''}${(result.stdout ?? '').slice(-8000)}${(result.stderr ?? '').slice(-8000)}`);
    steps.push({ command: line, seconds });
    log(`  ${runtime}: ${line}: ${seconds.toFixed(1)} s`);
  }
  const command =
    runtime === 'rust'
      ? [join(env.CARGO_TARGET_DIR!, 'release', context.names.kebab)]
      : [join(TOOLS_DIR, 'node24', 'bin', 'node'), '--enable-source-maps', '--import', './dist/telemetry.js', './dist/main.js'];
  return { runtime, dir, command, env, steps };
}

/** The service config synth would write for the token service, on loopback test ports. */
export function serviceConfig(runtime: Runtime, ports: { grpc: number; http: number }): object {
  return {
    schema: 'polyglot.dev/service-config/v1',
    system: 'thesis',
    domain: 'token',
    service: 'token',
    runtime,
    version: '0.1.0',
    deadline: '1s',
    deadlineMs: 1000,
    backoff: { initial: '25ms', initialMs: 25, max: '1s', maxMs: 1000, multiplier: 2 },
    ports,
    serves: [{ contract: 'token', grpcService: TOKEN_SERVICE, proto: TOKEN_PROTO }],
    calls: [],
    publishes: [],
    subscribes: [],
  };
}

export interface Running {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** The last 64 KiB of its output. */
  output(): string;
  /** User + system CPU seconds used so far (all its threads: tokio workers, libuv's pool). */
  cpuSeconds(): number;
  /** Peak resident memory so far (VmHWM), MiB. */
  peakRssMiB(): number;
  /** SIGTERM, then SIGKILL after 10 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of a process, in seconds, from /proc/<pid>/stat (fields 14 and 15). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Starts a built service with its config and `env`, and waits until its gRPC port accepts. */
export async function startService(name: string, built: Built, configPath: string, port: number, env: Record<string, string>): Promise<Running> {
  const [cmd, ...args] = built.command;
  const child: ChildProcess = spawn(cmd!, args, {
    cwd: built.dir,
    env: { ...process.env, ...built.env, POLYGLOT_CONFIG: configPath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-65_536));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) at start:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not listen on ${port} within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid!;
  return {
    name,
    pid,
    port,
    output: () => output,
    cpuSeconds: () => processCpuSeconds(pid),
    peakRssMiB: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

async function accepts(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
