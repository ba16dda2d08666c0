/**
 * The diagnose case of `npm run bench`: `polyglot diagnose` (the built CLI) on a generated OTLP
 * JSON trace file against a bare `readline` + `JSON.parse` pass over the same file, run by run
 * in alternating order, CPU time beside wall time.
 *
 *   npm run bench -- diagnose [--mb 1024] [--runs 3] [--seed 1] [--file traces.jsonl] [--out bench/results.json] [--no-write]
 *
 * Alone, it merges its `diagnose` key into results.json; the full `npm run bench` runs it too.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeTraceFile } from '../test/support/trace-fixtures.js';
import { childArgs, parseUsage, type ChildUsage, type DiagnoseMode } from './diagnose-process.js';
import { rounded, spread, type Spread } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');

/** One mode's runs. */
export interface ModeRuns {
  readonly wallSeconds: Spread;
  readonly cpuSeconds: Spread;
  readonly peakRssMB: Spread;
}

export interface DiagnoseBench {
  readonly fileMB: number;
  readonly runs: number;
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter: readonly number[];
  readonly diagnose: ModeRuns;
  readonly bareParse: ModeRuns;
  /** diagnose / bare parse, run r against run r (they ran back to back). */
  readonly pairedRatio: { readonly wall: Spread; readonly cpu: Spread };
  /** File MB / median diagnose wall seconds. */
  readonly diagnoseMBPerSecond: number;
  readonly targets: readonly { readonly target: string; readonly actual: number; readonly met: boolean }[];
}

interface Measured extends ChildUsage {
  readonly wallSeconds: number;
}

/** Builds dist/ (the bench measures the CLI users run), then measures. */
export async function benchDiagnose(
  workDir: string,
  options: { megabytes: number; runs: number; seed: number; file?: string },
): Promise<DiagnoseBench> {
  const build = spawnSync('npm', ['run', 'build'], { cwd: repo, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  let file = options.file;
  if (file === undefined) {
    file = join(workDir, 'traces.jsonl');
    console.log(`  generating ${options.megabytes} MB of OTLP JSON (seed ${options.seed})…`);
    await writeTraceFile(file, { seed: options.seed, bytes: options.megabytes * 2 ** 20 });
  }
  const fileMB = statSync(file).size / 2 ** 20;
  const chart = join(workDir, 'diagnose.svg');
  const loadAverageBefore = loadavg();
  const runs: Record<DiagnoseMode, Measured[]> = { diagnose: [], 'bare-parse': [] };
  for (let r = 0; r < options.runs; r++) {
    // Alternate the order so neither always runs with the other's page cache or right after it.
    const order: DiagnoseMode[] = r % 2 === 0 ? ['diagnose', 'bare-parse'] : ['bare-parse', 'diagnose'];
    for (const mode of order) runs[mode].push(await measure(mode, file, chart));
    const d = runs.diagnose.at(-1)!;
    const b = runs['bare-parse'].at(-1)!;
    console.log(
      `  diagnose ${fileMB.toFixed(0)} MB run ${r + 1}/${options.runs}: diagnose ${d.wallSeconds.toFixed(2)} s wall / ${d.cpuSeconds.toFixed(2)} s CPU / ${d.maxRssMB.toFixed(0)} MB, ` +
        `bare parse ${b.wallSeconds.toFixed(2)} s / ${b.cpuSeconds.toFixed(2)} s / ${b.maxRssMB.toFixed(0)} MB (load ${loadavg()[0]!.toFixed(1)})`,
    );
  }
  const summary = (list: Measured[]): ModeRuns => ({
    wallSeconds: spread(list.map((m) => m.wallSeconds)),
    cpuSeconds: spread(list.map((m) => m.cpuSeconds)),
    peakRssMB: spread(list.map((m) => m.maxRssMB)),
  });
  const diagnose = summary(runs.diagnose);
  const bareParse = summary(runs['bare-parse']);
  const pairedRatio = {
    wall: spread(runs.diagnose.map((d, i) => d.wallSeconds / runs['bare-parse'][i]!.wallSeconds)),
    cpu: spread(runs.diagnose.map((d, i) => d.cpuSeconds / runs['bare-parse'][i]!.cpuSeconds)),
  };
  const targets = [
    { target: 'diagnose CPU ≤ 1.2× a bare readline + JSON.parse pass (paired median)', actual: pairedRatio.cpu.median, met: pairedRatio.cpu.median <= 1.2 },
    { target: 'diagnose wall ≤ 1.2× a bare readline + JSON.parse pass (paired median)', actual: pairedRatio.wall.median, met: pairedRatio.wall.median <= 1.2 },
    ...(fileMB >= 1000
      ? [{ target: `diagnose peak RSS on ${(fileMB / 1024).toFixed(2)} GB < 300 MB (max over runs)`, actual: diagnose.peakRssMB.max, met: diagnose.peakRssMB.max < 300 }]
      : []),
  ];
  return {
    fileMB,
    runs: options.runs,
    loadAverageBefore,
    loadAverageAfter: loadavg(),
    diagnose,
    bareParse,
    pairedRatio,
    diagnoseMBPerSecond: fileMB / diagnose.wallSeconds.median,
    targets,
  };
}

/** One child, timed from spawn to exit; its own CPU and peak RSS from its usage line. */
async function measure(mode: DiagnoseMode, file: string, chart: string): Promise<Measured> {
  const t0 = performance.now();
  const child = spawn(process.execPath, childArgs(mode, repo, file, chart), { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const wallSeconds = (performance.now() - t0) / 1000;
  const usage = parseUsage(stderr);
  if (status !== 0 || usage === undefined) throw new Error(`${mode} failed (exit ${status}):\n${stderr.slice(-2000)}`);
  return { ...usage, wallSeconds };
}

/** One line for the harness's summary. */
export function diagnoseSummaryLine(b: DiagnoseBench): string {
  const f = (s: Spread) => `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
  return (
    `diagnose on ${b.fileMB.toFixed(0)} MB of OTLP JSON: ${f(b.diagnose.wallSeconds)} s wall, ${f(b.diagnose.cpuSeconds)} s CPU ` +
    `(${b.diagnoseMBPerSecond.toFixed(0)} MB/s, peak ${b.diagnose.peakRssMB.max.toFixed(0)} MB); paired ratio to a bare readline + JSON.parse pass: ` +
    `CPU ${b.pairedRatio.cpu.median.toFixed(2)}×, wall ${b.pairedRatio.wall.median.toFixed(2)}× (bare: ${f(b.bareParse.wallSeconds)} s wall, ${f(b.bareParse.cpuSeconds)} s CPU)`
  );
}

/** `npm run bench -- diagnose …`: this case alone, merged into results.json. */
export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      mb: { type: 'string', default: '1024' },
      runs: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
      file: { type: 'string' },
      out: { type: 'string', default: join(here, 'results.json') },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const work = mkdtempSync(join(tmpdir(), 'polyglot-bench-diagnose-'));
  try {
    console.log(`polyglot bench, diagnose case: ${cpus().length} cpus, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const result = rounded(
      await benchDiagnose(work, { megabytes: Number(values.mb), runs: Number(values.runs), seed: Number(values.seed), file: values.file }),
    );
    console.log(diagnoseSummaryLine(result));
    for (const t of result.targets) console.log(`  ${t.met ? 'met    ' : 'MISSED '} ${t.target}: ${t.actual.toFixed(2)}`);
    if (!values['no-write']) {
      const out = values.out!;
      const results = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
      results['diagnose'] = { ...result, date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
      writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
      console.log(`merged the diagnose case into ${relative(process.cwd(), out)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
