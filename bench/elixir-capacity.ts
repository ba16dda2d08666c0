/**
 * The Elixir fan-out capacity (issue 13 item 3): how many sessions one BEAM node of the
 * `templates/elixir-fanout` service holds, what a session costs in memory, how fast a 1 KiB
 * message reaches the LAST subscriber of a topic, and how long the drain takes, next to the
 * numbers the model gives the pod (ELIXIR_PROFILE: memory request/limit, preStop drain; jvn's
 * `perPod`).
 *
 * Renders the sample Elixir service into a temp folder, compiles it (Debian's Elixir/OTP with
 * cowboy from `.tools/erl-libs`, `FANOUT_SYSTEM_LIBS=1`, as the integ test does), then runs two
 * kinds of child VMs:
 *
 * - simulated: `mix run bench/elixir/sim.exs N …`: N real sessions of the core fed by
 *   `Fanout.publish/2`, each with a tiny sink process as its transport (one fresh VM per N and run);
 * - websocket: the service itself (`mix run --no-halt`, a distributed node) and a client node
 *   (`bench/elixir/ws_clients.exs`) with K raw websocket clients over loopback, spread over
 *   several 127.0.0.x source addresses; K is capped by the open-file limit (one fd per
 *   connection on each side), and the drain is the real one: SIGTERM to the service.
 *
 * Part of `npm run bench` (bench/run.ts), and runnable alone, which merges its key into results.json:
 *
 *   npm run bench -- elixir [--runs 3] [--sizes 10000,50000,100000] [--ws-sizes 10000,max] [--ws-runs 1] [--no-write]
 *   node --import tsx bench/elixir-capacity.ts …   (the same)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ELIXIR_PROFILE } from '../constructs/index.js';
import { TOOLS_DIR } from '../test/support/tools.js';
import { rounded } from './stats.js';
import { freePort, renderService, sampleContext, toolsCache, type RenderedService } from '../test/templates/support.js';

const here = dirname(fileURLToPath(import.meta.url));
const SIM = join(here, 'elixir', 'sim.exs');
const WS_CLIENTS = join(here, 'elixir', 'ws_clients.exs');
const ERL_LIBS = join(TOOLS_DIR, 'erl-libs');
/** jvn (examples/jvn/system.ts) sizes its websocket tier with `perPod: 50_000`. */
const JVN_PER_POD = 50_000;
const SOURCE_ADDRESSES = 8;
const VM_FLAGS = '+P 4000000 +Q 1048576';

export interface ElixirCapacityOptions {
  /** Simulated session counts, one fresh VM each. */
  readonly sizes: readonly number[];
  /** Websocket connection counts; `max` = what the open-file limit allows. */
  readonly wsSizes: readonly (number | 'max')[];
  readonly runs: number;
  readonly wsRuns: number;
  readonly publishes1k: number;
  readonly publishesAll: number;
  readonly log?: (line: string) => void;
}

export const DEFAULT_ELIXIR_OPTIONS: ElixirCapacityOptions = {
  sizes: [10_000, 50_000, 100_000],
  wsSizes: [10_000, 'max'],
  runs: 3,
  wsRuns: 1,
  publishes1k: 50,
  publishesAll: 10,
};

/** What a simulated run drains: 1 = unthrottled (window 0, the raw work), 2 = over the service's own window. */
type DrainMode = 1 | 2;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function elixirEnv(): Record<string, string> {
  const version = spawnSync('elixir', ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(`elixir is not installed (run \`npm run tools\`, scripts/tools.d/50-elixir.sh): ${version.error?.message ?? version.stderr}`);
  for (const app of ['cowboy', 'cowlib', 'ranch']) {
    if (!existsSync(ERL_LIBS) || !readdirSync(ERL_LIBS).some((d) => d.startsWith(`${app}-`))) {
      throw new Error(`${app} is missing from ${ERL_LIBS}: run \`npm run tools\` (scripts/tools.d/50-elixir.sh)`);
    }
  }
  return { ERL_LIBS, FANOUT_SYSTEM_LIBS: '1', MIX_ENV: 'dev', MIX_HOME: toolsCache('mix'), HEX_HOME: toolsCache('hex'), FANOUT_CORE: 'Billing' };
}

/** The hard open-file limit of this process (children inherit it; only root outside a container can raise it). */
function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = Number(line?.trim().split(/\s+/)[3]);
  return Number.isFinite(soft) ? soft : 1024;
}

interface Child {
  readonly done: Promise<{ code: number | null; output: string }>;
  readonly pid: number | undefined;
  kill(): void;
  output(): string;
}

function run(cmd: string, args: readonly string[], cwd: string, env: Record<string, string>, timeoutMs: number): Child {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
  return { done, pid: child.pid, kill: () => child.exitCode === null && child.kill('SIGKILL'), output: () => output };
}

function benchResult(what: string, code: number | null, output: string): Json {
  const line = output.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) throw new Error(`${what} failed (exit ${code}):\n${output.slice(-4000)}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as Json;
}

async function healthy(port: number, child: Child, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await response.text();
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the service did not come up:\n${child.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Bytes of a Kubernetes memory quantity with a binary suffix (the profile's '512Mi', '2Gi'). */
function memoryBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * 1024 ** ['', 'Ki', 'Mi', 'Gi', 'Ti'].indexOf(match[2] ?? '');
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const load1 = () => Number(loadavg()[0]!.toFixed(2));

async function simulated(service: RenderedService, env: Record<string, string>, n: number, o: ElixirCapacityOptions, drain: DrainMode): Promise<Json> {
  const ports = { HTTP_PORT: String(await freePort()), WEBSOCKET_PORT: String(await freePort()) };
  const load = load1();
  const child = run('elixir', ['--erl', VM_FLAGS, '-S', 'mix', 'run', SIM, String(n), String(o.publishes1k), String(o.publishesAll), String(drain)], service.dir, { ...env, ...ports }, 30 * 60_000);
  const { code, output } = await child.done;
  return { ...benchResult(`simulated ${n}`, code, output), loadAverage1mAtStart: load };
}

async function websocket(service: RenderedService, env: Record<string, string>, k: number, o: ElixirCapacityOptions, i: number): Promise<Json> {
  const ports = { http: await freePort(), websocket: await freePort() };
  const cookie = `fanout-bench-${process.pid}-${Date.now()}`;
  const name = `fanout_bench_srv_${process.pid}_${i}`;
  const load = load1();
  const server = run('elixir', ['--sname', name, '--cookie', cookie, '--erl', VM_FLAGS, '-S', 'mix', 'run', '--no-halt'], service.dir, { ...env, HTTP_PORT: String(ports.http), WEBSOCKET_PORT: String(ports.websocket) }, 30 * 60_000);
  try {
    await healthy(ports.http, server, 180_000);
    const ebin = join(service.dir, '_build', 'dev', 'lib', 'billing', 'ebin');
    const drainBudgetMs = (ELIXIR_PROFILE.preStopDrainSeconds + ELIXIR_PROFILE.terminationGraceSeconds) * 1000;
    const client = run(
      'elixir',
      ['--sname', `fanout_bench_cli_${process.pid}_${i}`, '--cookie', cookie, '--erl', VM_FLAGS, '-pa', ebin, WS_CLIENTS, `${name}@${hostname().split('.')[0]}`, String(ports.websocket), String(k), String(o.publishes1k), String(o.publishesAll), String(SOURCE_ADDRESSES)],
      service.dir,
      { ...env, DRAIN_TIMEOUT_MS: String(drainBudgetMs) },
      30 * 60_000,
    );
    const { code, output } = await client.done;
    const result = benchResult(`websocket ${k}`, code, output);
    const exit = await Promise.race([server.done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000))]);
    const log = server.output();
    return {
      ...result,
      loadAverage1mAtStart: load,
      serverExit: exit?.code ?? 'still running 20 s after the drain',
      serverDrainLog: log.split('\n').filter((l) => /drain/.test(l)).map((l) => l.replace(/^\S+ /, '')),
      serverErrors: (log.match(/\[error\]/g) ?? []).length,
    };
  } finally {
    server.kill();
  }
}

/** Runs the whole case; returns the `elixirCapacity` block of results.json. */
export async function benchElixirCapacity(options: Partial<ElixirCapacityOptions> = {}): Promise<Json> {
  const o = { ...DEFAULT_ELIXIR_OPTIONS, ...options };
  const log = o.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const env = elixirEnv();
  const loadBefore = loadavg();
  const service = renderService('elixir-fanout', sampleContext('elixir'), env);
  // The rendered test config: a complete service config (topics test.rooms.message.*).
  env.POLYGLOT_CONFIG = join(service.dir, 'apps', 'billing', 'test', 'fixtures', 'service.json');
  try {
    let t = performance.now();
    const compiled = service.run(['mix', 'compile']);
    if (compiled.status !== 0) throw new Error(`mix compile failed:\n${compiled.output}`);
    const compileSeconds = (performance.now() - t) / 1000;
    log(`  elixir: rendered and compiled the sample service in ${compileSeconds.toFixed(1)} s`);

    const sim = new Map<number, Json[]>();
    for (let r = 0; r < o.runs; r++) {
      for (const n of o.sizes) {
        t = performance.now();
        // The first run drains over the service's own window (as on SIGTERM), the others unthrottled.
        const res = await simulated(service, env, n, o, r === 0 ? 2 : 1);
        sim.set(n, [...(sim.get(n) ?? []), res]);
        log(
          `  elixir sim ${String(n).padStart(6)} run ${r + 1}/${o.runs}: ${(res.memory.totalBytesPerSession / 1024).toFixed(1)} KiB/session (idle ${(res.memory.idle.totalBytesPerSession / 1024).toFixed(1)}), ` +
            `1k p50/p99 ${res.fanout1k.lastReceiptMs.p50}/${res.fanout1k.lastReceiptMs.p99} ms, all p50/p99 ${res.fanoutAll.lastReceiptMs.p50}/${res.fanoutAll.lastReceiptMs.p99} ms, ` +
            `drain ${res.drain.windowMs ? `window ${res.drain.windowMs / 1000} s: last told ${(res.drain.lastToldMs / 1000).toFixed(1)} s` : `unthrottled ${(res.drain.ms / 1000).toFixed(1)} s`}, told ${res.drain.told}/${res.drain.sessions}  (${((performance.now() - t) / 1000).toFixed(0)} s, load ${res.loadAverage1mAtStart})`,
        );
      }
    }

    const fdLimit = openFileLimit();
    const wsMax = Math.max(1000, Math.floor((fdLimit - 1000) / 1000) * 1000);
    const wsSizes = [...new Set(o.wsSizes.map((k) => (k === 'max' ? wsMax : Math.min(k, wsMax))))];
    const ws = new Map<number, Json[]>();
    let i = 0;
    for (let r = 0; r < o.wsRuns; r++) {
      for (const k of wsSizes) {
        t = performance.now();
        const res = await websocket(service, env, k, o, i++);
        ws.set(k, [...(ws.get(k) ?? []), res]);
        log(
          `  elixir websocket ${String(k).padStart(6)} run ${r + 1}/${o.wsRuns}: ${res.connections} connected, ${(res.memory.totalBytesPerConnection / 1024).toFixed(1)} KiB/conn ` +
            `(RSS ${(res.memory.rssBytesPerConnection / 1024).toFixed(1)}; idle ${(res.memory.idle.totalBytesPerConnection / 1024).toFixed(1)}, RSS ${(res.memory.idle.rssBytesPerConnection / 1024).toFixed(1)}), subscribed ${res.subscribed.smallTopicAtOnce}/${res.subscribed.allTopicAtOnce}, 1k p50/p99 ${res.fanout1k.lastReceiptMs.p50}/${res.fanout1k.lastReceiptMs.p99} ms, ` +
            `all p50/p99 ${res.fanoutAll.lastReceiptMs.p50}/${res.fanoutAll.lastReceiptMs.p99} ms, SIGTERM→last told ${(res.drain.lastToldMs / 1000).toFixed(1)} s  (${((performance.now() - t) / 1000).toFixed(0)} s)`,
        );
      }
    }

    return rounded(summarize(sim, ws, { o, fdLimit, wsMax, compileSeconds, loadBefore, wallSeconds: (performance.now() - started) / 1000 }));
  } finally {
    service.remove();
  }
}

function summarize(sim: Map<number, Json[]>, ws: Map<number, Json[]>, meta: { o: ElixirCapacityOptions; fdLimit: number; wsMax: number; compileSeconds: number; loadBefore: number[]; wallSeconds: number }): Json {
  const limitBytes = memoryBytes(ELIXIR_PROFILE.resources.memoryLimit);
  const requestBytes = memoryBytes(ELIXIR_PROFILE.resources.memoryRequest);
  const med = (runs: Json[], pick: (r: Json) => number) => median(runs.map(pick));
  const simRows = [...sim].map(([n, runs]) => ({
    sessions: n,
    runs: runs.length,
    loadAverage1m: runs.map((r) => r.loadAverage1mAtStart),
    bytesPerSession: {
      erlangMemoryTotal: med(runs, (r) => r.memory.totalBytesPerSession),
      processes: med(runs, (r) => r.memory.processesBytesPerSession),
      ets: med(runs, (r) => r.memory.etsBytesPerSession),
      rss: med(runs, (r) => r.memory.rssBytesPerSession),
      sessionProcess: med(runs, (r) => r.memory.sessionProcessBytesPerSession),
      sessionProcessAllTopicOnly: med(runs, (r) => r.memory.byGroup.others.sessionBytesAvg),
      sessionProcessIn1kTopic: med(runs, (r) => r.memory.byGroup['test.rooms.message.k1'].sessionBytesAvg),
      sinkProcess: med(runs, (r) => r.memory.sinkBytesPerSession),
    },
    idleBytesPerSession: {
      afterMs: runs[0]!.memory.idle.afterMs,
      erlangMemoryTotal: med(runs, (r) => r.memory.idle.totalBytesPerSession),
      processes: med(runs, (r) => r.memory.idle.processesBytesPerSession),
      rss: med(runs, (r) => r.memory.idle.rssBytesPerSession),
      sessionProcess: med(runs, (r) => r.memory.idle.sessionProcessBytesPerSession),
      sessionProcessAllTopicOnly: med(runs, (r) => r.memory.idle.byGroup.others.sessionBytesAvg),
      sessionProcessIn1kTopic: med(runs, (r) => r.memory.idle.byGroup['test.rooms.message.k1'].sessionBytesAvg),
      hibernatingSessions: med(runs, (r) => r.memory.idle.hibernating.sessions),
    },
    vmTotalBytesWithSessions: med(runs, (r) => r.memory.withSessions.total),
    vmRssBytesWithSessions: med(runs, (r) => r.memory.withSessions.rssBytes),
    fanout1kMs: { p50: med(runs, (r) => r.fanout1k.lastReceiptMs.p50), p99: med(runs, (r) => r.fanout1k.lastReceiptMs.p99), publishCallP50: med(runs, (r) => r.fanout1k.publishCallMs.p50), samplesPerRun: runs[0]!.fanout1k.lastReceiptMs.samples },
    fanoutAllMs: { p50: med(runs, (r) => r.fanoutAll.lastReceiptMs.p50), p99: med(runs, (r) => r.fanoutAll.lastReceiptMs.p99), publishCallP50: med(runs, (r) => r.fanoutAll.publishCallMs.p50), samplesPerRun: runs[0]!.fanoutAll.lastReceiptMs.samples },
    drainUnthrottledMs: med(runs.filter((r) => r.drain.windowMs === 0), (r) => r.drain.ms),
    drainUnthrottledRuns: runs.filter((r) => r.drain.windowMs === 0).length,
    drainInWindow: runs.filter((r) => r.drain.windowMs > 0).map((r) => r.drain),
    drains: runs.map((r) => r.drain),
    subscribeFailed: runs.map((r) => r.subscribeFailed),
    setupMs: { open: med(runs, (r) => r.setupMs.open), join1kAtOnce: med(runs, (r) => r.setupMs.join1kAtOnce), subscribeAll: med(runs, (r) => r.setupMs.subscribeAll) },
    evictedWhileJoining: runs.map((r) => r.evictedWhileJoining),
    reached: runs.map((r) => r.reached),
  }));
  const wsRows = [...ws].map(([k, runs]) => ({
    requested: k,
    connections: runs.map((r) => r.connections),
    failed: runs.map((r) => r.failed),
    failures: runs.map((r) => r.failures),
    loadAverage1m: runs.map((r) => r.loadAverage1mAtStart),
    bytesPerConnection: {
      erlangMemoryTotal: med(runs, (r) => r.memory.totalBytesPerConnection),
      processes: med(runs, (r) => r.memory.processesBytesPerConnection),
      binary: med(runs, (r) => r.memory.binaryBytesPerConnection),
      ets: med(runs, (r) => r.memory.etsBytesPerConnection),
      rss: med(runs, (r) => r.memory.rssBytesPerConnection),
      sessionProcess: med(runs, (r) => r.memory.sessionProcessBytes),
      websocketProcess: med(runs, (r) => r.memory.websocketProcessBytes),
      byGroup: runs[0]!.memory.byGroup,
    },
    idleBytesPerConnection: {
      afterMs: runs[0]!.memory.idle.afterMs,
      erlangMemoryTotal: med(runs, (r) => r.memory.idle.totalBytesPerConnection),
      processes: med(runs, (r) => r.memory.idle.processesBytesPerConnection),
      rss: med(runs, (r) => r.memory.idle.rssBytesPerConnection),
      sessionProcess: med(runs, (r) => r.memory.idle.sessionProcessBytes),
      websocketProcess: med(runs, (r) => r.memory.idle.websocketProcessBytes),
      byGroup: runs[0]!.memory.idle.byGroup,
      hibernating: runs[0]!.memory.idle.hibernating,
    },
    vmRssBytes: med(runs, (r) => r.memory.subscribed.rssBytes),
    fanout1kMs: { p50: med(runs, (r) => r.fanout1k.lastReceiptMs.p50), p99: med(runs, (r) => r.fanout1k.lastReceiptMs.p99), reached: runs.map((r) => r.fanout1k.reached), incomplete: runs.map((r) => r.fanout1k.incomplete) },
    fanoutAllMs: { p50: med(runs, (r) => r.fanoutAll.lastReceiptMs.p50), p99: med(runs, (r) => r.fanoutAll.lastReceiptMs.p99), reached: runs.map((r) => r.fanoutAll.reached), incomplete: runs.map((r) => r.fanoutAll.incomplete) },
    drain: runs.map((r) => ({ ...r.drain, serverExit: r.serverExit, log: r.serverDrainLog })),
    setupMs: { connect: med(runs, (r) => r.setupMs.connect), join1kAtOnce: med(runs, (r) => r.setupMs.join1kAtOnce), joinAllAtOnce: med(runs, (r) => r.setupMs.joinAllAtOnce) },
    subscribed: runs.map((r) => r.subscribed),
    serverErrors: runs.map((r) => r.serverErrors),
  }));

  // The model's side: what the pod gets, and what perPod sessions would take at the measured cost.
  const perSessionSim = simRows.find((r) => r.sessions === JVN_PER_POD)?.bytesPerSession;
  const largestWs = wsRows.at(-1);
  const baseVmBytes = median([...[...sim.values()].flat().map((r: Json) => r.memory.before.rssBytes), ...[...ws.values()].flat().map((r: Json) => r.memory.before.rssBytes)]);
  const projection = (bytesPerSession: number | undefined) =>
    bytesPerSession === undefined ? undefined : { bytesPerSession, rssAtPerPodBytes: baseVmBytes + bytesPerSession * JVN_PER_POD, shareOfLimit: (baseVmBytes + bytesPerSession * JVN_PER_POD) / limitBytes, sessionsThatFitLimit: Math.floor((limitBytes - baseVmBytes) / bytesPerSession) };
  const model = {
    source: 'ELIXIR_PROFILE (constructs/services/elixir-fanout.ts), perPod from examples/jvn/system.ts',
    memoryRequestBytes: requestBytes,
    memoryLimitBytes: limitBytes,
    cpuLimit: ELIXIR_PROFILE.resources.cpuLimit,
    perPod: JVN_PER_POD,
    preStopDrainSeconds: ELIXIR_PROFILE.preStopDrainSeconds,
    terminationGraceSeconds: ELIXIR_PROFILE.terminationGraceSeconds,
    baseVmRssBytes: baseVmBytes,
    atPerPodFromSimulatedRss: projection(perSessionSim?.rss),
    atPerPodFromWebsocketRss: projection(largestWs?.bytesPerConnection.rss),
    atPerPodFromWebsocketIdleRss: projection(largestWs?.idleBytesPerConnection.rss),
  };

  return {
    generatedBy: 'bench/elixir-capacity.ts (npm run bench; or node --import tsx bench/elixir-capacity.ts)',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryMB: Math.round(totalmem() / 2 ** 20), loadAverageBefore: meta.loadBefore, openFileLimit: meta.fdLimit, date: new Date().toISOString() },
    config: {
      runs: meta.o.runs,
      wsRuns: meta.o.wsRuns,
      publishesTo1kTopic: meta.o.publishes1k,
      publishesToAllTopic: meta.o.publishesAll,
      payloadBytes: 1024,
      latency: 'wall clock from just before Fanout.publish/2 to the receipt of the frame by the LAST subscriber (sink process, or websocket client socket read); p99 is nearest-rank over the publishes of one run, the table shows the median over runs',
      wsMax: meta.wsMax,
      wsLimitedBy: `open-file limit ${meta.fdLimit} (each connection is one fd in the service VM and one in the client VM; the limit cannot be raised in this container)`,
      sourceAddresses: `127.0.0.2..127.0.0.${1 + SOURCE_ADDRESSES}`,
      compileSeconds: meta.compileSeconds,
      wallSeconds: meta.wallSeconds,
    },
    simulated: simRows,
    websocket: wsRows,
    model,
  };
}

/** A markdown table for bench/README.md (also printed). */
export function elixirCapacityTable(r: Json): string {
  const kib = (b: number) => (b / 1024).toFixed(1);
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  const lines = [
    '| kind | sessions | KiB/session after bursts (erlang:memory / RSS) | KiB/session idle (erlang:memory / RSS) | session proc KiB after bursts → idle (all-topic only / in 1k topic) | 1k topic p50 / p99 ms | all-sessions p50 / p99 ms | drain, every session on one topic | load 1m |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  const secs = (ms: number) => (ms / 1000).toFixed(1);
  for (const s of r.simulated as Json[]) {
    const i = s.idleBytesPerSession;
    const windowed = (s.drainInWindow as Json[]).map((d) => `last told ${secs(d.lastToldMs)} s of a ${secs(d.windowMs)} s window${d.told === d.sessions ? '' : `, told ${d.told}/${d.sessions}`}`);
    const unthrottled = s.drainUnthrottledRuns ? [`${secs(s.drainUnthrottledMs)} s unthrottled`] : [];
    lines.push(
      `| simulated | ${s.sessions} | ${kib(s.bytesPerSession.erlangMemoryTotal)} / ${kib(s.bytesPerSession.rss)} | ${kib(i.erlangMemoryTotal)} / ${kib(i.rss)} | ` +
        `${kib(s.bytesPerSession.sessionProcessAllTopicOnly)} → ${kib(i.sessionProcessAllTopicOnly)} / ${kib(s.bytesPerSession.sessionProcessIn1kTopic)} → ${kib(i.sessionProcessIn1kTopic)} | ` +
        `${s.fanout1kMs.p50.toFixed(0)} / ${s.fanout1kMs.p99.toFixed(0)} | ${s.fanoutAllMs.p50.toFixed(0)} / ${s.fanoutAllMs.p99.toFixed(0)} | ${[...unthrottled, ...windowed].join('; ')} | ${s.loadAverage1m.join(', ')} |`,
    );
  }
  for (const w of r.websocket as Json[]) {
    const d = w.drain[0];
    const hot = w.bytesPerConnection;
    const idle = w.idleBytesPerConnection;
    const group = (g: Json, name: string) => `${kib(g[name].sessionBytesAvg)} + ws ${kib(g[name].transportBytesAvg)}`;
    lines.push(
      `| websocket | ${w.connections.join(', ')} | ${kib(hot.erlangMemoryTotal)} / ${kib(hot.rss)} | ${kib(idle.erlangMemoryTotal)} / ${kib(idle.rss)} | ` +
        `${group(hot.byGroup, 'others')} → ${group(idle.byGroup, 'others')} / ${group(hot.byGroup, 'test.rooms.message.k1')} → ${group(idle.byGroup, 'test.rooms.message.k1')} | ` +
        `${w.fanout1kMs.p50.toFixed(0)} / ${w.fanout1kMs.p99.toFixed(0)} | ${w.fanoutAllMs.p50.toFixed(0)} / ${w.fanoutAllMs.p99.toFixed(0)} | SIGTERM → last told ${secs(d.lastToldMs)} s (window ${r.model.preStopDrainSeconds} s)${d.allTold ? '' : `, NOT all told (${d.told}/${d.sessions})`} | ${w.loadAverage1m.join(', ')} |`,
    );
  }
  const m = r.model;
  const fit = (p: Json | undefined, what: string) =>
    p ? `${what}: ${m.perPod} sessions ≈ ${mib(p.rssAtPerPodBytes)} MiB RSS = ${(p.shareOfLimit * 100).toFixed(0)} % of the ${mib(m.memoryLimitBytes)} MiB limit; the limit holds ≈ ${p.sessionsThatFitLimit} sessions` : `${what}: not measured`;
  lines.push('', `Model: limit ${mib(m.memoryLimitBytes)} MiB, request ${mib(m.memoryRequestBytes)} MiB, cpu limit ${m.cpuLimit}, perPod ${m.perPod}, preStop drain ${m.preStopDrainSeconds} s. Idle VM ${mib(m.baseVmRssBytes)} MiB RSS.`);
  lines.push(`- ${fit(m.atPerPodFromSimulatedRss, 'simulated (50k, RSS)')}`);
  lines.push(`- ${fit(m.atPerPodFromWebsocketRss, 'websocket (largest run, RSS after bursts)')}`);
  lines.push(`- ${fit(m.atPerPodFromWebsocketIdleRss, 'websocket (largest run, RSS idle)')}`);
  return lines.join('\n');
}

/** `npm run bench -- elixir [options]` and `node --import tsx bench/elixir-capacity.ts [options]`:
 * runs this case alone and merges its key into results.json (the other keys stay). */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: String(DEFAULT_ELIXIR_OPTIONS.runs) },
      'ws-runs': { type: 'string', default: String(DEFAULT_ELIXIR_OPTIONS.wsRuns) },
      sizes: { type: 'string', default: DEFAULT_ELIXIR_OPTIONS.sizes.join(',') },
      'ws-sizes': { type: 'string', default: DEFAULT_ELIXIR_OPTIONS.wsSizes.join(',') },
      out: { type: 'string', default: join(here, 'results.json') },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const result = await benchElixirCapacity(elixirOptions(values));
  console.log(`\n${elixirCapacityTable(result)}\n`);
  if (!values['no-write']) {
    const out = values.out!;
    const all = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Json) : {};
    writeFileSync(out, `${JSON.stringify({ ...all, elixirCapacity: result }, null, 2)}\n`);
    console.log(`wrote elixirCapacity into ${out}`);
  }
}

/** Options from command-line strings (shared with bench/run.ts's --elixir-* flags). */
export function elixirOptions(values: { runs?: string; 'ws-runs'?: string; sizes?: string; 'ws-sizes'?: string }): Partial<ElixirCapacityOptions> {
  return {
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values['ws-runs'] ? { wsRuns: Number(values['ws-runs']) } : {}),
    ...(values.sizes !== undefined ? { sizes: values.sizes.split(',').filter(Boolean).map(Number) } : {}),
    ...(values['ws-sizes'] !== undefined ? { wsSizes: values['ws-sizes'].split(',').filter(Boolean).map((s) => (s === 'max' ? ('max' as const) : Number(s))) } : {}),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
