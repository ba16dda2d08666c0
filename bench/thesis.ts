/**
 * The runtime thesis (issue 12 item 3): is the hot path measurably faster and steadier at p99 in
 * Rust than the same work in the service plane's TypeScript, and what does the Rust service's
 * OpenTelemetry pipeline cost?
 *
 * Renders templates/rust-hotpath and templates/ts-api for the same contract (thesis.token.v1:
 * Sign and Verify Ed25519 JWTs), writes the same work into both (bench/thesis/rust/service.rs:
 * the `hotpath` crate; bench/thesis/ts/served.ts: node:crypto), builds both in release mode
 * (`cargo build --release`; `tsc` to dist/, run by plain Node 24 as the image does), checks that
 * each verifies the other's tokens, and starts three processes on loopback:
 *
 *   ts          the TypeScript service: one Node process (what a TS service ships as), OTel off
 *   rust        the Rust service, OTel off (no OTLP endpoint: no exporter, no span export)
 *   rust-otel   the same binary with OTEL_EXPORTER_OTLP_ENDPOINT set: every call is a sampled
 *               server span exported over OTLP/gRPC to the real collector (otelcol-polyglot)
 *
 * ghz drives them in interleaved rounds (the arms' order rotates every round), per method:
 * closed loop at a fixed concurrency (throughput, p50/p99), then open loop at a fixed request
 * rate (latency at equal load). Each run records the server's CPU seconds (/proc), ghz's own CPU
 * seconds, and the 1-minute load average. Writes the `thesis` key of bench/results.json.
 *
 *   npm run bench -- thesis [--rounds 3] [--seconds 5] [--concurrency 32] [--connections 4]
 *                           [--rps auto|N] [--methods Verify,Sign] [--no-write] [--out bench/results.json]
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../test/templates/support.js';
import { machineInfo } from './machine.js';
import { rounded, spread, type Spread } from './stats.js';
import { ensureGhz, runGhz, startCollector, type LoadResult } from './thesis-load.js';
import { PROTO_ROOT, renderAndBuild, serviceConfig, startService, THESIS_DIR, TOKEN_PROTO, TOKEN_SERVICE, type Built, type Running } from './thesis-services.js';

const here = dirname(fileURLToPath(import.meta.url));
const ARMS = ['ts', 'rust', 'rust-otel'] as const;
type Arm = (typeof ARMS)[number];
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ThesisOptions {
  readonly rounds: number;
  readonly seconds: number;
  readonly concurrency: number;
  readonly connections: number;
  /** Requests per second of the fixed-rate phase; 'auto': half the TS service's median throughput
   * in the fixed-concurrency phase, rounded down to 100 (a load both can carry). */
  readonly rps: number | 'auto';
  readonly methods: readonly ('Sign' | 'Verify')[];
  readonly warmupSeconds: number;
  readonly log: (line: string) => void;
}

interface Measurement extends LoadResult {
  readonly arm: Arm;
  readonly round: number;
  readonly serverCpuSeconds: number;
  /** Server CPU milliseconds per 1000 answered requests. */
  readonly serverCpuMsPer1k: number;
  readonly ghzCpuMsPer1k: number;
  readonly load1m: number;
}

/** A token the bench signs itself (node:crypto), for Verify: the same bytes both services check. */
function benchToken(privatePem: string): string {
  const iat = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'EdDSA' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ iss: 'thesis', sub: 'user-1', aud: 'thesis-api', iat, exp: iat + 24 * 3600 })).toString('base64url');
  const signature = sign(null, Buffer.from(`${header}.${payload}`), privatePem).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

const load1 = () => Number(loadavg()[0]!.toFixed(2));

export async function benchThesis(options: ThesisOptions): Promise<Json> {
  const o = options;
  const started = performance.now();
  const loadBefore = loadavg();
  ensureGhz();
  const root = mkdtempSync(join(tmpdir(), 'polyglot-bench-thesis-'));
  const services: Running[] = [];
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
  // Interrupted (Ctrl-C, kill): stop what this case started and remove its folder, then exit.
  const interrupted = (signal: NodeJS.Signals) => {
    for (const pid of [...services.map((s) => s.pid), ...(collector ? [collector.pid] : [])]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    o.log('thesis: rendering and building both services in release mode…');
    const built: Record<'rust' | 'typescript', Built> = {
      rust: renderAndBuild(root, 'rust', o.log),
      typescript: renderAndBuild(root, 'typescript', o.log),
    };

    const keys = generateKeyPairSync('ed25519');
    const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const token = benchToken(privatePem);
    const common = { THESIS_JWT_PRIVATE_KEY: privatePem, THESIS_JWT_PUBLIC_KEY: publicPem };
    // No OTEL_* from the caller's environment reaches the services: each arm sets its own.
    for (const name of Object.keys(process.env)) if (name.startsWith('OTEL_')) delete process.env[name];

    collector = await startCollector(root, await freePort());
    const ports: Record<Arm, number> = { ts: await freePort(), rust: await freePort(), 'rust-otel': await freePort() };
    const start = async (arm: Arm, b: Built, env: Record<string, string>) => {
      const config = join(root, `${arm}.json`);
      writeFileSync(config, JSON.stringify(serviceConfig(b.runtime, { grpc: ports[arm], http: await freePort() })));
      const running = await startService(arm, b, config, ports[arm], { ...common, ...env });
      services.push(running);
      return running;
    };
    const running: Record<Arm, Running> = {
      ts: await start('ts', built.typescript, { OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info' }),
      rust: await start('rust', built.rust, { RUST_LOG: 'info' }),
      'rust-otel': await start('rust-otel', built.rust, { RUST_LOG: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_SERVICE_NAME: 'token' }),
    };

    // Same work: each verifies what the other signed (and refuses a forgery).
    copyFileSync(join(THESIS_DIR, 'ts', 'cross-check.ts'), join(built.typescript.dir, 'cross-check.ts'));
    const check = spawnSync(built.typescript.command[0]!, ['--conditions=development', 'cross-check.ts', String(ports.rust), String(ports.ts), token], {
      cwd: built.typescript.dir,
      encoding: 'utf8',
      env: { ...process.env, ...built.typescript.env },
      timeout: 60_000,
    });
    const crossCheck = JSON.parse(check.stdout.trim().split('\n').pop() || '{}') as Json;
    if (check.status !== 0 || !crossCheck['ok']) throw new Error(`the services disagree on the work (exit ${check.status}):\n${check.stdout}${check.stderr}`);
    o.log(`thesis: cross-check ok (each verifies the other's tokens; byte-identical tokens: ${crossCheck['sameBytes']})`);

    const data = { Sign: { subject: 'user-1', audience: 'thesis-api', ttl_seconds: 300 }, Verify: { token } } as const;
    const measure = (arm: Arm, method: 'Sign' | 'Verify', round: number, seconds: number, rps?: number): Measurement => {
      const service = running[arm];
      const load1m = load1();
      const cpuBefore = service.cpuSeconds();
      const result = runGhz(
        { port: service.port, call: `${TOKEN_SERVICE}/${method}`, data: data[method], protoRoot: PROTO_ROOT, protoFile: TOKEN_PROTO, concurrency: o.concurrency, connections: o.connections, seconds, ...(rps !== undefined ? { rps } : {}) },
        root,
      );
      const serverCpuSeconds = service.cpuSeconds() - cpuBefore;
      const per1k = (cpu: number) => (result.ok > 0 ? (cpu * 1e6) / result.ok : Number.NaN);
      const m = { ...result, arm, round, serverCpuSeconds, serverCpuMsPer1k: per1k(serverCpuSeconds), ghzCpuMsPer1k: per1k(result.ghzCpuSeconds), load1m };
      const errors = Object.entries(result.errors).map(([k, v]) => `${k}: ${v}`).join(', ');
      o.log(
        `  ${method.padEnd(6)} ${arm.padEnd(9)} ${rps !== undefined ? `rate ${rps}/s` : `c=${o.concurrency}`}  ${result.rps.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  server CPU ${m.serverCpuMsPer1k.toFixed(0)} ms/1k  ghz CPU ${m.ghzCpuMsPer1k.toFixed(0)} ms/1k  load ${load1m}` +
          (errors ? `  ERRORS ${errors}` : ''),
      );
      return m;
    };

    o.log(`thesis: warm-up (${o.warmupSeconds} s per arm and method, not recorded)`);
    for (const method of o.methods) for (const arm of ARMS) measure(arm, method, 0, o.warmupSeconds);

    // Rotating order: each arm runs first, second and third equally often.
    const order = (round: number) => ARMS.map((_, i) => ARMS[(i + round) % ARMS.length]!);
    const runPhase = (label: string, rpsOf: (method: 'Sign' | 'Verify') => number | undefined) => {
      const runs: Measurement[] = [];
      for (let round = 1; round <= o.rounds; round++) {
        o.log(`thesis: ${label}, round ${round}/${o.rounds}`);
        for (const method of o.methods) for (const arm of order(round)) runs.push({ ...measure(arm, method, round, o.seconds, rpsOf(method)), method } as Measurement & { method: string });
      }
      return runs as (Measurement & { method: 'Sign' | 'Verify' })[];
    };

    const closed = runPhase(`closed loop at concurrency ${o.concurrency}`, () => undefined);
    const rates = Object.fromEntries(
      o.methods.map((method) => {
        if (o.rps !== 'auto') return [method, o.rps];
        const ts = spread(closed.filter((m) => m.method === method && m.arm === 'ts').map((m) => m.rps)).median;
        return [method, Math.max(100, Math.floor(ts / 2 / 100) * 100)];
      }),
    ) as Record<'Sign' | 'Verify', number>;
    const open = runPhase(`open loop at a fixed rate (${o.methods.map((m) => `${m} ${rates[m]}/s`).join(', ')})`, (method) => rates[method]);

    const exits: Record<string, number | null> = {};
    const peakRssMiB: Record<string, number> = {};
    for (const service of services) {
      peakRssMiB[service.name] = service.peakRssMiB();
      exits[service.name] = await service.stop();
    }
    services.length = 0;
    // The batch processor flushes on shutdown: every span the Rust service exported is counted.
    await collector.stop();
    const spansReceived = collector.spans();
    collector = undefined;

    const summarize = (runs: (Measurement & { method: string })[], method: string, arm: Arm) => {
      const list = runs.filter((m) => m.method === method && m.arm === arm);
      return {
        rps: spread(list.map((m) => m.rps)),
        p50Ms: spread(list.map((m) => m.p50Ms)),
        p99Ms: spread(list.map((m) => m.p99Ms)),
        serverCpuMsPer1k: spread(list.map((m) => m.serverCpuMsPer1k)),
        ghzCpuMsPer1k: spread(list.map((m) => m.ghzCpuMsPer1k)),
        requests: list.reduce((n, m) => n + m.count, 0),
        errors: list.reduce((n, m) => n + (m.count - m.ok), 0),
        load1m: list.map((m) => m.load1m),
      };
    };
    // Runs of the same round ran back to back: their ratio cancels most of the drift between rounds.
    const paired = (runs: (Measurement & { method: string })[], method: string, a: Arm, b: Arm, pick: (m: Measurement) => number) =>
      spread(
        runs
          .filter((m) => m.method === method && m.arm === a)
          .map((x) => pick(x) / pick(runs.find((y) => y.method === method && y.arm === b && y.round === x.round)!)),
      );
    const phase = (runs: (Measurement & { method: string })[]) =>
      Object.fromEntries(
        o.methods.map((method) => [
          method,
          {
            ...Object.fromEntries(ARMS.map((arm) => [arm, summarize(runs, method, arm)])),
            rustOverTsThroughput: paired(runs, method, 'rust', 'ts', (m) => m.rps),
            tsOverRustP99: paired(runs, method, 'ts', 'rust', (m) => m.p99Ms),
            tsOverRustCpuPerRequest: paired(runs, method, 'ts', 'rust', (m) => m.serverCpuMsPer1k),
            // 1 − (rust-otel req/s ÷ rust req/s), per round.
            otelThroughputCost: spread(runs.filter((m) => m.method === method && m.arm === 'rust-otel').map((x) => 1 - x.rps / runs.find((y) => y.method === method && y.arm === 'rust' && y.round === x.round)!.rps)),
            otelCpuPerRequest: paired(runs, method, 'rust-otel', 'rust', (m) => m.serverCpuMsPer1k),
          },
        ]),
      );
    const closedSummary = phase(closed);
    const openSummary = phase(open);
    const otelRequests = [...closed, ...open].filter((m) => m.arm === 'rust-otel').reduce((n, m) => n + m.ok, 0);

    const targets = o.methods.flatMap((method) => {
      const c = closedSummary[method] as Json;
      return [
        { target: `${method}: Rust ≥ 5× the TypeScript throughput (closed loop, median of paired rounds)`, actual: c['rustOverTsThroughput'].median, met: c['rustOverTsThroughput'].median >= 5 },
        { target: `${method}: Rust p99 < TypeScript p99 (closed loop, medians)`, actual: `${c['rust'].p99Ms.median.toFixed(2)} ms vs ${c['ts'].p99Ms.median.toFixed(2)} ms`, met: c['rust'].p99Ms.median < c['ts'].p99Ms.median },
        { target: `${method}: Rust p99 < TypeScript p99 (fixed rate ${rates[method]}/s, medians)`, actual: `${(openSummary[method] as Json)['rust'].p99Ms.median.toFixed(2)} ms vs ${(openSummary[method] as Json)['ts'].p99Ms.median.toFixed(2)} ms`, met: (openSummary[method] as Json)['rust'].p99Ms.median < (openSummary[method] as Json)['ts'].p99Ms.median },
        { target: `${method}: OTel pipeline costs ≤ 10% of the Rust throughput (closed loop, median of paired rounds)`, actual: c['otelThroughputCost'].median, met: c['otelThroughputCost'].median <= 0.1 },
      ];
    });

    return rounded({
      generatedBy: 'npm run bench -- thesis (bench/thesis.ts)',
      machine: machineInfo(loadBefore),
      config: {
        contract: `${TOKEN_SERVICE} (bench/thesis/proto/${TOKEN_PROTO})`,
        work: 'Sign: Ed25519 JWT over {iss,sub,aud,iat,exp}; Verify: signature, alg, iss, aud, exp, iat of a token the bench signed',
        rust: 'templates/rust-hotpath, cargo build --release (lto thin), tonic 0.14 on tokio multi-thread (2 workers here), hotpath crate (jsonwebtoken 12, rust_crypto)',
        typescript: 'templates/ts-api on Node 24 (tsc to dist/), @grpc/grpc-js server, node:crypto one-shot sign/verify with callbacks (libuv thread pool); one process',
        otel: 'rust-otel: OTEL_EXPORTER_OTLP_ENDPOINT to otelcol-polyglot on loopback (otlp → batch → debug exporter), default sampler (every call a span)',
        load: `ghz ${o.connections} connections, ${o.concurrency} workers, ${o.seconds} s per run, ${o.rounds} rounds, arms rotated every round; warm-up ${o.warmupSeconds} s per arm and method`,
        concurrency: o.concurrency,
        connections: o.connections,
        rates,
        wallSeconds: (performance.now() - started) / 1000,
      },
      build: Object.fromEntries(Object.values(built).map((b) => [b.runtime, b.steps])),
      crossCheck,
      closedLoop: closedSummary,
      fixedRate: openSummary,
      otel: { spansReceived, requestsAnswered: otelRequests, warmupIncluded: 'spans include the warm-up calls' },
      peakRssMiB,
      exitCodes: exits,
      runs: { closed, open },
      targets,
    });
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    for (const service of services) await service.stop().catch(() => undefined);
    await collector?.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}

/** The markdown table for bench/README.md (also printed). */
export function thesisTable(r: Json): string {
  const f = (s: Spread, d = 0) => `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
  const lines = [
    '| phase | method | service | req/s | p50 ms | p99 ms | server CPU ms / 1k req | ghz CPU ms / 1k req | errors | load 1m |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const phase of ['closedLoop', 'fixedRate'] as const) {
    for (const [method, arms] of Object.entries(r[phase] as Json)) {
      for (const arm of ARMS) {
        const a = (arms as Json)[arm];
        const name = phase === 'fixedRate' ? `rate ${r['config'].rates[method]}/s` : `concurrency ${r['config'].concurrency}`;
        lines.push(`| ${name} | ${method} | ${arm} | ${f(a.rps)} | ${f(a.p50Ms, 2)} | ${f(a.p99Ms, 2)} | ${f(a.serverCpuMsPer1k)} | ${f(a.ghzCpuMsPer1k)} | ${a.errors} | ${a.load1m.join(', ')} |`);
      }
    }
  }
  lines.push('', '| method | phase | Rust / TS throughput | TS / Rust p99 | TS / Rust server CPU per request | OTel: throughput cost | OTel: CPU per request |', '|---|---|---:|---:|---:|---:|---:|');
  for (const [phase, label] of [['closedLoop', 'closed loop'], ['fixedRate', 'fixed rate']] as const) {
    for (const [method, s] of Object.entries(r[phase] as Json)) {
      const x = s as Json;
      const pct = (v: Spread) => `${(v.median * 100).toFixed(1)}% (${(v.min * 100).toFixed(1)}–${(v.max * 100).toFixed(1)})`;
      lines.push(`| ${method} | ${label} | ${f(x['rustOverTsThroughput'], 2)}× | ${f(x['tsOverRustP99'], 2)}× | ${f(x['tsOverRustCpuPerRequest'], 2)}× | ${phase === 'closedLoop' ? pct(x['otelThroughputCost']) : '–'} | ${f(x['otelCpuPerRequest'], 2)}× |`);
    }
  }
  return lines.join('\n');
}

export function thesisOptions(args: { rounds?: string | undefined; seconds?: string | undefined; concurrency?: string | undefined; connections?: string | undefined; rps?: string | undefined; methods?: string | undefined; warmup?: string | undefined }): ThesisOptions {
  const methods = (args.methods ?? 'Verify,Sign').split(',').map((m) => m.trim());
  for (const m of methods) if (m !== 'Sign' && m !== 'Verify') throw new Error(`--methods: unknown method ${m} (Sign, Verify)`);
  return {
    rounds: Number(args.rounds ?? 3),
    seconds: Number(args.seconds ?? 5),
    concurrency: Number(args.concurrency ?? 32),
    connections: Number(args.connections ?? 4),
    rps: !args.rps || args.rps === 'auto' ? 'auto' : Number(args.rps),
    methods: methods as ('Sign' | 'Verify')[],
    warmupSeconds: Number(args.warmup ?? 3),
    log: (line) => console.log(line),
  };
}

/** `npm run bench -- thesis …` (bench/run.ts) and `node --import tsx bench/thesis.ts …`: runs the
 * case and merges its `thesis` key into results.json (the other keys stay). */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
      connections: { type: 'string' },
      rps: { type: 'string' },
      methods: { type: 'string' },
      warmup: { type: 'string' },
      out: { type: 'string', default: join(here, 'results.json') },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const result = await benchThesis(thesisOptions(values));
  console.log(`\n${thesisTable(result)}\n\ntargets:`);
  for (const t of result['targets'] as Json[]) console.log(`  ${t['met'] ? 'met    ' : 'MISSED '} ${t['target']}: ${typeof t['actual'] === 'number' ? t['actual'].toFixed(3) : t['actual']}`);
  console.log(`otel: ${result['otel'].spansReceived} spans received by the collector for ${result['otel'].requestsAnswered} answered requests (+ warm-up)`);
  if (!values['no-write']) {
    const out = values.out!;
    const all = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Json) : {};
    writeFileSync(out, `${JSON.stringify({ ...all, thesis: result }, null, 2)}\n`);
    console.log(`wrote the thesis key of ${relative(process.cwd(), out)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
