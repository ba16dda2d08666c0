/**
 * `npm run bench`: synthesis speed and scaling of polyglot against plain cdk8s-plus-28.
 *
 * Every measurement is a whole child process (bench/synth-process.ts), timed from spawn to exit,
 * repeated `--runs` times with polyglot and baseline runs interleaved (alternating which goes
 * first) so machine noise hits both alike. Prints a table and writes bench/results.json.
 * See bench/README.md for what is measured and how to read it.
 *
 *   npm run bench -- [--runs 7] [--sizes 10,100,1000] [--check-services 1000] [--seed 1] [--out bench/results.json]
 *                    [--skip-elixir] [--elixir-runs 3] [--elixir-sizes 10000,50000,100000] [--elixir-ws-sizes 10000,max]
 *   npm run bench -- elixir [options of bench/elixir-capacity.ts]   (the Elixir fan-out capacity alone)
 *   npm run bench -- diagnose [options of bench/diagnose-case.ts]   (the diagnose case alone)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildResult } from './synth-process.js';
import { benchDiagnose, diagnoseSummaryLine, main as diagnoseMain } from './diagnose-case.js';
import { benchElixirCapacity, elixirCapacityTable, elixirOptions, main as elixirMain } from './elixir-capacity.js';
import { rounded, spread, type Spread } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, 'synth-process.ts');
const tsx = import.meta.resolve('tsx');

// `npm run bench -- diagnose …`: only the diagnose case (bench/diagnose-case.ts).
if (process.argv[2] === 'diagnose') {
  await diagnoseMain(process.argv.slice(3));
  process.exit(0);
}

// `npm run bench -- elixir …`: only the Elixir fan-out capacity case (minutes, needs Elixir).
if (process.argv[2] === 'elixir') {
  await elixirMain(process.argv.slice(3));
  process.exit(0);
}

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    sizes: { type: 'string', default: '10,100,1000' },
    'check-services': { type: 'string', default: '1000' },
    'check-runs': { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(here, 'results.json') },
    'no-write': { type: 'boolean', default: false },
    'diagnose-mb': { type: 'string', default: '200' },
    'diagnose-runs': { type: 'string', default: '3' },
    'skip-elixir': { type: 'boolean', default: false },
    'elixir-runs': { type: 'string' },
    'elixir-sizes': { type: 'string' },
    'elixir-ws-sizes': { type: 'string' },
  },
});
const runs = Number(args.runs);
const sizes = args.sizes!.split(',').map(Number);
const checkServices = Number(args['check-services']);
const checkRuns = Number(args['check-runs'] ?? args.runs);
const seed = Number(args.seed);
const cases = ['polyglot', 'baseline'] as const;
type Case = (typeof cases)[number];

interface Output {
  readonly files: number;
  readonly bytes: number;
  /** Kubernetes objects: top-level `kind:` lines of the *.k8s.yaml files. */
  readonly objects: number;
}

interface Run {
  readonly seconds: number;
  readonly result: ChildResult;
  readonly output: Output;
  /** Peak of the summed RSS of the child and its own children (polyglot renders diagrams in a
   * Graphviz child process), sampled every 20 ms from /proc; at least the child's own maxRSS. */
  readonly peakRssMB: number;
}

const work = mkdtempSync(join(tmpdir(), 'polyglot-bench-'));
const started = performance.now();
const loadBefore = loadavg();
let spawned = 0;
const PAGE_KB = 4; // x86-64 and arm64 Linux pages
const total = 2 + runs * sizes.length * cases.length + checkRuns;

/** Runs one case as a child process in an empty directory of its own; returns its wall time. */
async function measure(which: Case | 'check', services: number, label: string): Promise<Run> {
  const cwd = mkdtempSync(join(work, `${which}-${services}-`));
  const outdir = join(cwd, 'out');
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
  delete env.CDK8S_OUTDIR;
  const t0 = performance.now();
  const proc = spawn(process.execPath, ['--import', tsx, child, which, String(services), String(seed), outdir], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let treePeakKB = 0;
  const sampler = setInterval(() => (treePeakKB = Math.max(treePeakKB, treeRssKB(proc.pid))), 20);
  const [seconds, status] = await new Promise<[number, number | string | null]>((done) => {
    let at = 0;
    proc.on('exit', () => (at = performance.now()));
    proc.on('close', (code, signal) => done([((at || performance.now()) - t0) / 1000, code ?? signal]));
  });
  clearInterval(sampler);
  // Measured after the child exited: reading the output back is not part of the case.
  const output = outputSize(outdir);
  rmSync(cwd, { recursive: true, force: true });
  spawned++;
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (status !== 0 || !line) throw new Error(`${which} ${services} failed (exit ${status}):\n${stderr.slice(-4000)}`);
  const result = JSON.parse(line.slice('BENCH_RESULT '.length)) as ChildResult;
  const peakRssMB = Math.max(result.maxRssMB, treePeakKB / 1024);
  const elapsed = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `  [${String(spawned).padStart(2)}/${total}] ${label.padEnd(9)} ${which.padEnd(8)} ${String(services).padStart(5)} services  ` +
      `${seconds.toFixed(2).padStart(6)} s  ${peakRssMB.toFixed(0).padStart(4)} MB   (${elapsed} s elapsed)`,
  );
  return { seconds, result, output, peakRssMB };
}

/** Resident memory of a process and all its descendants, in kB (0 once it is gone). */
function treeRssKB(root: number | undefined): number {
  if (root === undefined) return 0;
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after "(comm)": state ppid … rss is the 24th field overall, in pages.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      rss.set(pid, (Number(fields[21]) * PAGE_KB) || 0);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    total += rss.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

console.log(`polyglot bench: ${runs} runs per case, sizes ${sizes.join(', ')}, check pass on ${checkServices} services; ${cpus().length} cpus, node ${process.version}`);

// Warm-up, not recorded: fills tsx's transform cache and the page cache for both cases.
for (const which of cases) await measure(which, sizes[0]!, 'warm-up');

const byCase = new Map<string, Run[]>();
for (let r = 0; r < runs; r++) {
  for (const services of sizes) {
    // Alternate the order, so neither case always runs right after the other's output was freed.
    const order: readonly Case[] = r % 2 === 0 ? cases : [...cases].reverse();
    for (const which of order) {
      const key = `${which}:${services}`;
      byCase.set(key, [...(byCase.get(key) ?? []), await measure(which, services, `run ${r + 1}/${runs}`)]);
    }
  }
}
const checks: Run[] = [];
for (let r = 0; r < checkRuns; r++) checks.push(await measure('check', checkServices, `run ${r + 1}/${checkRuns}`));
const diagnoseBench = await benchDiagnose(work, { megabytes: Number(args['diagnose-mb']), runs: Number(args['diagnose-runs']), seed });
// Last, so its VMs do not load the machine under the synth cases. --skip-elixir keeps the block
// already in the results file.
const elixirCapacity = args['skip-elixir']
  ? (existsSync(args.out!) ? JSON.parse(readFileSync(args.out!, 'utf8')).elixirCapacity : undefined)
  : await benchElixirCapacity(elixirOptions({ runs: args['elixir-runs'], sizes: args['elixir-sizes'], 'ws-sizes': args['elixir-ws-sizes'] }));
rmSync(work, { recursive: true, force: true });

// ---- summary ----

function summarize(list: Run[]) {
  return {
    seconds: spread(list.map((r) => r.seconds)),
    inProcessSeconds: spread(list.map((r) => (r.result.buildMs + r.result.workMs) / 1000)),
    phasesMedianSeconds: {
      startup: spread(list.map((r) => r.result.startupMs / 1000)).median,
      import: spread(list.map((r) => r.result.importMs / 1000)).median,
      build: spread(list.map((r) => r.result.buildMs / 1000)).median,
      synth: spread(list.map((r) => r.result.workMs / 1000)).median,
    },
    peakRssMB: spread(list.map((r) => r.peakRssMB)),
    ownPeakRssMB: spread(list.map((r) => r.result.maxRssMB)),
    output: list[0]!.output,
    runs: list.map((r) => ({ seconds: r.seconds, inProcessSeconds: (r.result.buildMs + r.result.workMs) / 1000, peakRssMB: r.peakRssMB })),
  };
}

const perSize = sizes.map((services) => {
  const polyglot = summarize(byCase.get(`polyglot:${services}`)!);
  const baseline = summarize(byCase.get(`baseline:${services}`)!);
  // Run r of each case ran back to back, so their quotient cancels most of the drift between runs.
  const paired = polyglot.runs.map((p, i) => p.seconds / baseline.runs[i]!.seconds);
  const edges = byCase.get(`polyglot:${services}`)![0]!.result.edges!;
  return {
    services,
    domains: Math.min(20, services),
    edges: { calls: edges.calls, events: edges.events, total: edges.calls + edges.events },
    polyglot,
    baseline,
    ratio: {
      /** median polyglot seconds / median baseline seconds (whole processes) */
      median: polyglot.seconds.median / baseline.seconds.median,
      paired: spread(paired),
      /** the same for model construction + synth inside the process (no node/tsx start-up) */
      inProcess: polyglot.inProcessSeconds.median / baseline.inProcessSeconds.median,
    },
  };
});

const sizeOf = (n: number) => perSize.find((s) => s.services === n);
const scale = (c: 'polyglot' | 'baseline', from: number, to: number) => {
  const a = sizeOf(from);
  const b = sizeOf(to);
  if (!a || !b) return undefined;
  return { wholeProcess: b[c].seconds.median / a[c].seconds.median, inProcess: b[c].inProcessSeconds.median / a[c].inProcessSeconds.median };
};
const scaling = {
  polyglot: { '10→100': scale('polyglot', 10, 100), '100→1000': scale('polyglot', 100, 1000) },
  baseline: { '10→100': scale('baseline', 10, 100), '100→1000': scale('baseline', 100, 1000) },
};

const check = {
  services: checkServices,
  edges: checks[0]!.result.edges,
  source: checks[0]!.result.source,
  problems: checks[0]!.result.problems,
  checkSeconds: spread(checks.map((r) => r.result.workMs / 1000)),
  buildSeconds: spread(checks.map((r) => r.result.buildMs / 1000)),
  processSeconds: spread(checks.map((r) => r.seconds)),
  peakRssMB: spread(checks.map((r) => r.peakRssMB)),
};

const big = sizeOf(1000);
const targets = big && sizeOf(100)
  ? [
      {
        target: '1000-service synth ≤ 1.25× plain cdk8s-plus (median whole-process seconds)',
        actual: big.ratio.median,
        met: big.ratio.median <= 1.25,
      },
      {
        target: 'linear: 1000-service time ≤ 11× the 100-service time (whole process)',
        actual: scaling.polyglot['100→1000']?.wholeProcess ?? Number.NaN,
        met: (scaling.polyglot['100→1000']?.wholeProcess ?? Infinity) <= 11,
      },
      {
        target: 'linear, inside the process (model + synth, no start-up): ≤ 11×',
        actual: scaling.polyglot['100→1000']?.inProcess ?? Number.NaN,
        met: (scaling.polyglot['100→1000']?.inProcess ?? Infinity) <= 11,
      },
      { target: 'peak RSS at 1000 services < 1024 MB (max over runs)', actual: big.polyglot.peakRssMB.max, met: big.polyglot.peakRssMB.max < 1024 },
    ]
  : [];

const results = rounded({
  generatedBy: 'npm run bench (bench/run.ts)',
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMB: Math.round(totalmem() / 2 ** 20),
    freeMemoryMB: Math.round(freemem() / 2 ** 20),
    loadAverageBefore: loadBefore,
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    date: new Date().toISOString(),
  },
  config: {
    runsPerCase: runs,
    checkRuns,
    seed,
    edgesPerService: 5,
    eventShare: '1/3',
    interleaved: 'per run and size: polyglot then baseline, reversed on every other run',
    wallSeconds: (performance.now() - started) / 1000,
  },
  sizes: perSize,
  scaling,
  check,
  diagnose: diagnoseBench,
  targets,
  elixirCapacity,
});

// ---- table ----

const f = (s: Spread, digits = 2) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
const rows = [
  ['services', 'edges', 'polyglot s', 'cdk8s-plus s', 'ratio (paired range)', 'in-process ratio', 'polyglot MB', 'cdk8s-plus MB', 'output polyglot / cdk8s-plus'],
  ...perSize.map((s) => [
    String(s.services),
    String(s.edges.total),
    f(s.polyglot.seconds),
    f(s.baseline.seconds),
    `${s.ratio.median.toFixed(2)}× (${s.ratio.paired.min.toFixed(2)}–${s.ratio.paired.max.toFixed(2)})`,
    `${s.ratio.inProcess.toFixed(2)}×`,
    f(s.polyglot.peakRssMB, 0),
    f(s.baseline.peakRssMB, 0),
    `${s.polyglot.output?.files} files ${mb(s.polyglot.output?.bytes)} / ${s.baseline.output?.files} files ${mb(s.baseline.output?.bytes)}`,
  ]),
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log('\nmedian (min–max) over', runs, 'runs; seconds are whole processes, spawn to exit\n');
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log('\ninside the processes (median seconds): start-up (node + tsx) / import / build model / synth');
for (const s of perSize) {
  const p = (c: 'polyglot' | 'baseline') => {
    const x = s[c].phasesMedianSeconds;
    return `${x.startup.toFixed(2)} / ${x.import.toFixed(2)} / ${x.build.toFixed(2)} / ${x.synth.toFixed(2)}`;
  };
  console.log(`  ${String(s.services).padStart(5)} services   polyglot ${p('polyglot')}   cdk8s-plus ${p('baseline')}`);
}
const sp = scaling.polyglot['100→1000'];
const sb = scaling.baseline['100→1000'];
if (sp && sb) {
  console.log(`\nscaling 100→1000: polyglot ${sp.wholeProcess.toFixed(2)}× (in-process ${sp.inProcess.toFixed(2)}×), cdk8s-plus ${sb.wholeProcess.toFixed(2)}× (in-process ${sb.inProcess.toFixed(2)}×)`);
}
console.log(
  `check pass, ${check.services} services / ${(check.edges?.calls ?? 0) + (check.edges?.events ?? 0)} edges (${check.source}): ` +
    `${f(check.checkSeconds, 3)} s, ${check.problems?.errors} errors, ${check.problems?.warnings} warnings`,
);
console.log(diagnoseSummaryLine(diagnoseBench));
if (elixirCapacity) console.log(`\nElixir fan-out capacity${args['skip-elixir'] ? ' (kept from the results file)' : ''}:\n${elixirCapacityTable(elixirCapacity)}`);
console.log('\ntargets:');
for (const t of targets) console.log(`  ${t.met ? 'met    ' : 'MISSED '} ${t.target}: ${Number(t.actual).toFixed(2)}`);
if (targets.length === 0) console.log('  (the targets need sizes 100 and 1000)');
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);

if (!args['no-write']) {
  mkdirSync(dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${relative(process.cwd(), args.out!)}`);
}

/** Files, bytes and Kubernetes objects under dir. */
function outputSize(dir: string): Output {
  const total = { files: 0, bytes: 0, objects: 0 };
  if (!existsSync(dir)) return total;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        walk(path);
        continue;
      }
      total.files++;
      total.bytes += stat.size;
      if (name.endsWith('.k8s.yaml')) total.objects += (readFileSync(path, 'utf8').match(/^kind: /gm) ?? []).length;
    }
  };
  walk(dir);
  return total;
}

function mb(bytes: number | undefined): string {
  return `${((bytes ?? 0) / 2 ** 20).toFixed(1)} MB`;
}
