// Load and telemetry sink of the runtime thesis bench: ghz (the gRPC load generator,
// scripts/install-bench-tools.sh) run once per measurement with its CPU time, and the real
// OpenTelemetry Collector (`.tools/bin/otelcol-polyglot`, scripts/install-tools.sh) as the OTLP
// sink of the instrumented Rust service, counting the spans it received.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, TOOLS_DIR, toolPath } from '../test/support/tools.js';

export const GHZ = join(TOOLS_DIR, 'bin', 'ghz');

/** Installs ghz (cached by version; a no-op once cached) and checks it runs. */
export function ensureGhz(): void {
  const install = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'install-bench-tools.sh')], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error(`scripts/install-bench-tools.sh failed (exit ${install.status})`);
  accessSync(GHZ, constants.X_OK);
}

export interface LoadSpec {
  readonly port: number;
  /** Fully qualified method, `pkg.Service/Method`. */
  readonly call: string;
  readonly data: object;
  readonly protoRoot: string;
  readonly protoFile: string;
  readonly concurrency: number;
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second in all; absent: as fast as the server answers (closed loop). */
  readonly rps?: number;
}

export interface LoadResult {
  readonly count: number;
  readonly ok: number;
  readonly errors: Record<string, number>;
  /** Requests per second over the run (ghz's `rps`). */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly averageMs: number;
  /** User + system CPU seconds of ghz itself. */
  readonly ghzCpuSeconds: number;
}

interface GhzReport {
  count: number;
  rps: number;
  average: number;
  latencyDistribution: { percentage: number; latency: number }[] | null;
  statusCodeDistribution: Record<string, number> | null;
  errorDistribution: Record<string, number> | null;
}

/** Runs ghz once against 127.0.0.1:<port>; `workDir` holds its report for the time of the run. */
export function runGhz(spec: LoadSpec, workDir: string): LoadResult {
  const report = join(workDir, `ghz-${process.pid}-${Date.now()}.json`);
  const times = join(workDir, `ghz-${process.pid}-${Date.now()}.time`);
  const args = [
    '--insecure',
    '--proto', join(spec.protoRoot, spec.protoFile),
    '--import-paths', spec.protoRoot,
    '--call', spec.call,
    '--data', JSON.stringify(spec.data),
    '--concurrency', String(spec.concurrency),
    '--connections', String(spec.connections),
    '--duration', `${spec.seconds}s`,
    // Requests in flight when the time is up are answered and counted (`close` would count them
    // as UNAVAILABLE errors of the client's own making).
    '--duration-stop', 'wait',
    '--timeout', '5s',
    ...(spec.rps !== undefined ? ['--rps', String(spec.rps)] : []),
    '--format', 'json',
    '--output', report,
    `127.0.0.1:${spec.port}`,
  ];
  // /usr/bin/time: ghz's own CPU time (it shares the two cores with the server it drives).
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', times, GHZ, ...args], { encoding: 'utf8', timeout: (spec.seconds + 60) * 1000 });
  try {
    if (run.status !== 0) throw new Error(`ghz failed (exit ${run.status}): ${run.error?.message ?? ''}${run.stdout}${run.stderr}`);
    const r = JSON.parse(readFileSync(report, 'utf8')) as GhzReport;
    const [user, system] = readFileSync(times, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    const latency = (p: number) => (r.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? Number.NaN) / 1e6;
    const statuses = r.statusCodeDistribution ?? {};
    const ok = statuses['OK'] ?? 0;
    const errors = Object.fromEntries(Object.entries({ ...statuses, ...(r.errorDistribution ?? {}) }).filter(([k]) => k !== 'OK'));
    return { count: r.count, ok, errors, rps: r.rps, p50Ms: latency(50), p90Ms: latency(90), p99Ms: latency(99), averageMs: r.average / 1e6, ghzCpuSeconds: (user ?? 0) + (system ?? 0) };
  } finally {
    rmSync(report, { force: true });
    rmSync(times, { force: true });
  }
}

export interface Collector {
  readonly endpoint: string;
  readonly pid: number;
  /** Spans the debug exporter reported so far. */
  spans(): number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The real collector, OTLP/gRPC on loopback → batch → debug exporter (one log line per batch,
 * with its span count). Its own metrics endpoint is off: no fixed port to collide on.
 */
export async function startCollector(dir: string, port: number): Promise<Collector> {
  const config = join(dir, 'otelcol.yaml');
  writeFileSync(
    config,
    [
      'receivers:',
      '  otlp:',
      '    protocols:',
      '      grpc:',
      `        endpoint: 127.0.0.1:${port}`,
      'processors:',
      '  batch: {}',
      'exporters:',
      '  debug:',
      '    verbosity: basic',
      'service:',
      '  telemetry:',
      '    metrics:',
      '      level: none',
      '  pipelines:',
      '    traces:',
      '      receivers: [otlp]',
      '      processors: [batch]',
      '      exporters: [debug]',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(toolPath('otelcol'), ['--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let spans = 0;
  let tail = '';
  let log = '';
  const read = (chunk: Buffer) => {
    const text = tail + chunk.toString('utf8');
    const lines = text.split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) {
      const match = /"spans": (\d+)/.exec(line);
      if (match) spans += Number(match[1]);
      else log = (log + line + '\n').slice(-16_384);
    }
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!/Everything is ready/.test(log)) {
    if (child.exitCode !== null) throw new Error(`the collector exited (${child.exitCode}):\n${log}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the collector did not start within 30 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    spans: () => spans,
    output: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
