/**
 * `npm run bench`: synthesis speed of polyglot against cdk8s-plus-28 written by hand, the check
 * pass, diagnose, and the Elixir fan-out capacity. See bench/README.md for what is measured and
 * how to read it; bench/synth-bench.ts for the synthesis cases.
 *
 *   npm run bench -- [--runs 5] [--sizes 10,100,1000,3000] [--jvn-runs 5] [--check-services 1000] [--seed 1]
 *                    [--out bench/results.json] [--skip-elixir] [--elixir-runs 3] [--elixir-sizes …] [--elixir-ws-sizes …]
 *   npm run bench -- elixir [options of bench/elixir-capacity.ts]   (the Elixir fan-out capacity alone)
 *   npm run bench -- diagnose [options of bench/diagnose-case.ts]   (the diagnose case alone)
 *   npm run bench -- thesis [options of bench/thesis.ts]            (the runtime thesis: Rust vs TypeScript over gRPC)
 *
 * The thesis case needs cargo, Node 24 and ghz and takes ~10 minutes: only `-- thesis` runs it;
 * a full run keeps its `thesis` key in the results file and prints its table.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildResult } from './synth-process.js';
import { benchChildEnv } from './child-env.js';
import { benchDiagnose, diagnoseSummaryLine, main as diagnoseMain } from './diagnose-case.js';
import { benchElixirCapacity, elixirCapacityTable, elixirOptions, main as elixirMain } from './elixir-capacity.js';
import { measureProcess } from './measure-process.js';
import { machineInfo } from './machine.js';
import { rounded, spread } from './stats.js';
import { benchSynth, synthTable } from './synth-bench.js';
import { main as thesisMain, thesisTable } from './thesis.js';

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
// `npm run bench -- thesis …`: only the runtime thesis case.
if (process.argv[2] === 'thesis') {
  await thesisMain(process.argv.slice(3));
  process.exit(0);
}

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    sizes: { type: 'string', default: '10,100,1000,3000' },
    'jvn-runs': { type: 'string', default: '5' },
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

const work = mkdtempSync(join(tmpdir(), 'polyglot-bench-'));
const started = performance.now();
const loadBefore = loadavg();
console.log(`polyglot bench: ${runs} runs per case, sizes ${sizes.join(', ')}, check pass on ${checkServices} services; ${cpus().length} cpus, node ${process.version}, load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);

const synth = await benchSynth(work, { runs, sizes, seed, jvnRuns: Number(args['jvn-runs']) });

/** The check pass alone, in-process timings of a child (bench/synth-process.ts check). */
const checks: { result: ChildResult; seconds: number; peakRssMB: number }[] = [];
const checkEnv = benchChildEnv(work);
for (let r = 0; r < checkRuns; r++) {
  const cwd = mkdtempSync(join(work, 'check-'));
  const measured = await measureProcess([process.execPath, '--import', tsx, child, 'check', String(checkServices), String(seed), join(cwd, 'out')], { cwd, env: checkEnv });
  rmSync(cwd, { recursive: true, force: true });
  const line = measured.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error('the check case printed no BENCH_RESULT line');
  checks.push({ result: JSON.parse(line.slice('BENCH_RESULT '.length)) as ChildResult, seconds: measured.wallSeconds, peakRssMB: measured.peakRssMB });
  console.log(`  check ${r + 1}/${checkRuns}: ${checks.at(-1)!.result.workMs.toFixed(0)} ms`);
}
const diagnoseBench = await benchDiagnose(work, { megabytes: Number(args['diagnose-mb']), runs: Number(args['diagnose-runs']), seed });
// Last, so its VMs do not load the machine under the synth cases. --skip-elixir keeps the block
// already in the results file.
const elixirCapacity = args['skip-elixir']
  ? (existsSync(args.out!) ? JSON.parse(readFileSync(args.out!, 'utf8')).elixirCapacity : undefined)
  : await benchElixirCapacity(elixirOptions({ runs: args['elixir-runs'], sizes: args['elixir-sizes'], 'ws-sizes': args['elixir-ws-sizes'] }));
rmSync(work, { recursive: true, force: true });

// ---- summary ----

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

const biggest = synth.perSize.at(-1)!;
const marginal = synth.marginal.find((m) => m.from >= 1000);
const marginalBefore = synth.marginal.find((m) => m.to === marginal?.from);
const targets = [
  ...synth.perSize.flatMap((s) => [
    { target: `${s.services} services: polyglot ≤ 1.0× hand-written cdk8s-plus, CPU (paired median)`, actual: s.ratio.handwritten.cpu.median, met: s.ratio.handwritten.cpu.median <= 1 },
    { target: `${s.services} services: polyglot ≤ 1.0× hand-written cdk8s-plus, wall (paired median)`, actual: s.ratio.handwritten.wall.median, met: s.ratio.handwritten.wall.median <= 1 },
    { target: `${s.services} services: first synth (buf runs) ≤ 1.0× hand-written cdk8s-plus, CPU (paired median)`, actual: s.ratio.firstToHandwritten.cpu.median, met: s.ratio.firstToHandwritten.cpu.median <= 1 },
    { target: `${s.services} services: first synth (buf runs) ≤ 1.0× hand-written cdk8s-plus, wall (paired median)`, actual: s.ratio.firstToHandwritten.wall.median, met: s.ratio.firstToHandwritten.wall.median <= 1 },
  ]),
  ...(marginal && marginalBefore
    ? [
        {
          target: `time per added service flat from ${marginal.from} to ${marginal.to} (CPU ms/service ≤ 1.15× that of ${marginalBefore.from}→${marginalBefore.to})`,
          actual: marginal.msPerService.polyglot!.cpu / marginalBefore.msPerService.polyglot!.cpu,
          met: marginal.msPerService.polyglot!.cpu <= 1.15 * marginalBefore.msPerService.polyglot!.cpu,
        },
      ]
    : []),
  { target: `peak RSS at ${biggest.services} services < 1024 MB (max over runs, whole tree)`, actual: biggest.polyglot.peakRssMB.max, met: biggest.polyglot.peakRssMB.max < 1024 },
  { target: 'jvn `npm start` < 1 s wall (median; a quiet machine; main.ts bundle from the last run)', actual: synth.jvn.wallSeconds.median, met: synth.jvn.wallSeconds.median < 1 },
  { target: 'jvn `npm start` < 1 s wall (median; a quiet machine; main.ts compiled, as on a fresh clone)', actual: synth.jvnCompiled.wallSeconds.median, met: synth.jvnCompiled.wallSeconds.median < 1 },
];

const results = rounded({
  generatedBy: 'npm run bench (bench/run.ts)',
  machine: machineInfo(loadBefore),
  config: {
    runsPerCase: runs,
    checkRuns,
    seed,
    edgesPerService: 5,
    eventShare: '1/3',
    interleaved: 'per round and size: the four cases in an order that rotates every round; ratios are medians of per-round ratios',
    wallSeconds: (performance.now() - started) / 1000,
  },
  synth,
  check,
  diagnose: diagnoseBench,
  targets,
  elixirCapacity,
  // Kept from the results file: written by `npm run bench -- thesis` alone.
  thesis: existsSync(args.out!) ? JSON.parse(readFileSync(args.out!, 'utf8')).thesis : undefined,
});

console.log(`\nsynthesis: median (min–max) over ${runs} runs; whole process trees, spawn to exit\n`);
console.log(synthTable(synth));
console.log(
  `\ncheck pass, ${check.services} services / ${(check.edges?.calls ?? 0) + (check.edges?.events ?? 0)} edges (${check.source}): ` +
    `${check.checkSeconds.median.toFixed(3)} s, ${check.problems?.errors} errors, ${check.problems?.warnings} warnings`,
);
console.log(diagnoseSummaryLine(diagnoseBench));
if (elixirCapacity) console.log(`\nElixir fan-out capacity${args['skip-elixir'] ? ' (kept from the results file)' : ''}:\n${elixirCapacityTable(elixirCapacity)}`);
if (results.thesis) console.log(`\nRuntime thesis (kept from the results file, ${results.thesis.machine?.date}; \`npm run bench -- thesis\` re-runs it):\n${thesisTable(results.thesis)}`);
console.log('\ntargets:');
for (const t of targets) console.log(`  ${t.met ? 'met    ' : 'MISSED '} ${t.target}: ${Number(t.actual).toFixed(2)}`);
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);

if (!args['no-write']) {
  mkdirSync(dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${relative(process.cwd(), args.out!)}`);
}
