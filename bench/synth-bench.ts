import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchChildEnv } from './child-env.js';
import { measureProcess, type ProcessMeasure } from './measure-process.js';
import { planSystem } from './plan.js';
import { spread, type Spread } from './stats.js';
import { writeSystemFolder } from './system-folder.js';

/**
 * Synthesis speed, measured the way users pay for it:
 * - `polyglot`: the real CLI, `polyglot synth`, on a system folder with a buf module (a .proto per
 *   gRPC contract) and a contracts lock, so the proto checks and the event lock run
 *   (bench/system-folder.ts); no output from before, main.ts compiled anew (its bundle removed:
 *   a synth follows an edit of the model), and buf's findings in the folder's cache from the
 *   previous synth (constructs/contracts/buf-cache.ts): a synth after a change that did not
 *   touch the protos, the usual one;
 * - `polyglotFirst`: the same with buf's cache removed too, and a lock that does not record the
 *   sources it was made from, so buf lint and buf breaking both run: a synth after a proto changed
 *   (the worst case; a fresh clone with an up-to-date lock runs buf lint only);
 * - `handwritten`: the same object set written by hand in cdk8s-plus-28 (bench/handwritten.ts), the
 *   baseline the targets are judged against;
 * - `allowFrom`: the earlier baseline (bench/baseline.ts), plain cdk8s-plus with `allowFrom`, kept
 *   to compare with earlier results.
 * Every run is a whole process tree: wall time spawn to exit, CPU time (user + system of the tree,
 * threads and tools included) and peak RSS. Cases are interleaved, their order rotating per round,
 * and each ratio is the median of per-round ratios (paired), so machine noise hits all alike.
 */

export const SYNTH_CASES = ['polyglot', 'polyglotFirst', 'handwritten', 'allowFrom'] as const;
export type SynthCase = (typeof SYNTH_CASES)[number];

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);
const cli = join(repo, 'dist', 'cli', 'main.js');
const child = join(here, 'synth-process.ts');
const tsx = import.meta.resolve('tsx');

export interface SynthBenchOptions {
  readonly runs: number;
  readonly sizes: readonly number[];
  readonly seed: number;
  readonly jvnRuns: number;
}

interface Sample extends ProcessMeasure {
  readonly objects: number;
  readonly files: number;
}

export async function benchSynth(work: string, options: SynthBenchOptions) {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  const env = benchChildEnv(work);

  // Set-up, not timed: one system folder per size, locked as users lock theirs.
  const systems = new Map<number, string>();
  for (const services of options.sizes) {
    const dir = join(work, `system-${services}`);
    writeSystemFolder(dir, planSystem({ services, seed: options.seed }), options.seed);
    const locked = spawnSync(process.execPath, [cli, 'contracts', 'lock', dir], { env, encoding: 'utf8' });
    if (locked.status !== 0) throw new Error(`polyglot contracts lock failed for ${services} services:\n${locked.stderr}`);
    // Without the digest of the sources it was made from, the lock cannot tell that the protos
    // are unchanged, so `polyglotFirst` pays what a synth after a proto change pays: buf lint and
    // buf breaking both run (a fresh clone with an up-to-date lock runs buf lint only).
    forgetLockedSources(join(dir, 'contracts.lock.json'));
    // The user's previous run, which leaves buf's findings in the cache that `polyglot` reuses.
    const checked = spawnSync(process.execPath, [cli, 'check', dir], { env, encoding: 'utf8' });
    if (checked.status !== 0) throw new Error(`polyglot check failed for ${services} services:\n${checked.stdout}${checked.stderr}`);
    systems.set(services, dir);
  }

  let done = 0;
  const total = SYNTH_CASES.length * (1 + options.runs * options.sizes.length) + options.jvnRuns;
  const started = performance.now();
  const run = async (which: SynthCase, services: number, label: string): Promise<Sample> => {
    const measured =
      which === 'polyglot' || which === 'polyglotFirst'
        ? await runPolyglot(systems.get(services)!, env, { keepBufCache: which === 'polyglot' })
        : await runChild(which, services, options.seed, work, env);
    done++;
    console.log(
      `  [${String(done).padStart(3)}/${total}] ${label.padEnd(9)} ${which.padEnd(11)} ${String(services).padStart(5)} services  ` +
        `${measured.wallSeconds.toFixed(2).padStart(6)} s wall ${measured.cpuSeconds.toFixed(2).padStart(6)} s cpu ${measured.peakRssMB.toFixed(0).padStart(5)} MB   ` +
        `(${((performance.now() - started) / 1000).toFixed(0)} s elapsed)`,
    );
    return measured;
  };

  // Warm-up, not recorded: the tsx cache, the page cache, buf's cache.
  for (const which of SYNTH_CASES) await run(which, options.sizes[0]!, 'warm-up');

  const samples = new Map<string, Sample[]>();
  for (let r = 0; r < options.runs; r++) {
    for (const services of options.sizes) {
      const order = SYNTH_CASES.map((_, i) => SYNTH_CASES[(i + r) % SYNTH_CASES.length]!);
      for (const which of order) {
        const key = `${which}:${services}`;
        samples.set(key, [...(samples.get(key) ?? []), await run(which, services, `run ${r + 1}/${options.runs}`)]);
      }
    }
  }

  // jvn as the README's quick start runs it, `npm start` (into a temporary outdir, so the
  // committed output is not touched): with main.ts's bundle from the previous run, as a repeated
  // `npm start` finds it, and compiled anew, as on a fresh clone or after an edit; alternating.
  const jvn: ProcessMeasure[] = [];
  const jvnCompiled: ProcessMeasure[] = [];
  const jvnBundle = join(repo, 'node_modules', '.cache', 'polyglot', `app-${createHash('sha256').update(join(repo, 'examples', 'jvn', 'main.ts')).digest('hex').slice(0, 12)}`);
  const npmStart = () => measureProcess(['npm', 'start', '--silent', '--', '--outdir', join(mkdtempSync(join(work, 'jvn-')), 'out')], { cwd: repo, env });
  await npmStart(); // warm-up: the page cache, and a bundle for the first cached run
  for (let r = 0; r < options.jvnRuns; r++) {
    const cached = async () => jvn.push(await npmStart());
    const compiled = async () => {
      for (const ext of ['.mjs', '.json']) rmSync(`${jvnBundle}${ext}`, { force: true });
      jvnCompiled.push(await npmStart());
    };
    if (r % 2 === 0) {
      await cached();
      await compiled();
    } else {
      await compiled();
      await cached();
    }
    done++;
  }

  const perSize = options.sizes.map((services) => {
    const of = (which: SynthCase) => samples.get(`${which}:${services}`)!;
    const paired = (other: SynthCase, metric: 'wallSeconds' | 'cpuSeconds', mine: SynthCase = 'polyglot') => spread(of(mine).map((p, i) => p[metric] / of(other)[i]![metric]));
    return {
      services,
      objects: Object.fromEntries(SYNTH_CASES.map((c) => [c, of(c)[0]!.objects])),
      ...Object.fromEntries(SYNTH_CASES.map((c) => [c, summarize(of(c))])),
      ratio: {
        handwritten: { wall: paired('handwritten', 'wallSeconds'), cpu: paired('handwritten', 'cpuSeconds') },
        allowFrom: { wall: paired('allowFrom', 'wallSeconds'), cpu: paired('allowFrom', 'cpuSeconds') },
        firstToHandwritten: { wall: paired('handwritten', 'wallSeconds', 'polyglotFirst'), cpu: paired('handwritten', 'cpuSeconds', 'polyglotFirst') },
      },
    } as PerSize;
  });

  // Seconds per added service between consecutive sizes: flat means linear.
  const marginal = perSize.slice(1).map((s, i) => {
    const a = perSize[i]!;
    const per = (c: SynthCase, m: 'wall' | 'cpu') => (s[c][m].median - a[c][m].median) / (s.services - a.services);
    return {
      from: a.services,
      to: s.services,
      msPerService: Object.fromEntries(SYNTH_CASES.map((c) => [c, { wall: per(c, 'wall') * 1000, cpu: per(c, 'cpu') * 1000 }])),
    };
  });

  return {
    cases: {
      polyglot: '`polyglot synth` (the CLI) on a system folder with a buf module and a contracts lock; no output from before, main.ts compiled anew (a model edit), buf findings cached from the previous synth (protos unchanged)',
      polyglotFirst: 'the same with buf’s cache removed and a lock without its sources digest: main.ts compiled, buf lint and buf breaking run (a synth after a proto changed)',
      handwritten: 'the same object set by hand in cdk8s-plus-28 (bench/handwritten.ts), one NetworkPolicy per service',
      allowFrom: 'the earlier baseline: plain cdk8s-plus-28 with allowFrom (two NetworkPolicies per call), no ConfigMap/PDB/HPA/Ingress',
    },
    perSize,
    marginal,
    jvn: jvnSummary(jvn),
    jvnCompiled: jvnSummary(jvnCompiled),
  };
}

interface CaseSummary {
  readonly wall: Spread;
  readonly cpu: Spread;
  readonly peakRssMB: Spread;
  readonly files: number;
}

export interface PerSize {
  readonly services: number;
  readonly objects: Record<SynthCase, number>;
  readonly polyglot: CaseSummary;
  readonly polyglotFirst: CaseSummary;
  readonly handwritten: CaseSummary;
  readonly allowFrom: CaseSummary;
  readonly ratio: Record<'handwritten' | 'allowFrom' | 'firstToHandwritten', { wall: Spread; cpu: Spread }>;
}

function jvnSummary(list: readonly ProcessMeasure[]) {
  return { runs: list.length, wallSeconds: spread(list.map((s) => s.wallSeconds)), cpuSeconds: spread(list.map((s) => s.cpuSeconds)), peakRssMB: spread(list.map((s) => s.peakRssMB)) };
}

function summarize(list: readonly Sample[]): CaseSummary {
  return {
    wall: spread(list.map((s) => s.wallSeconds)),
    cpu: spread(list.map((s) => s.cpuSeconds)),
    peakRssMB: spread(list.map((s) => s.peakRssMB)),
    files: list[0]!.files,
  };
}

/**
 * `polyglot synth` on a prepared system, its last output removed first; buf's cache
 * (node_modules/.cache) kept or removed as asked.
 */
async function runPolyglot(dir: string, env: NodeJS.ProcessEnv, { keepBufCache }: { keepBufCache: boolean }): Promise<Sample> {
  for (const entry of readdirSync(dir)) if (!INPUTS.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
  // The compiled main.ts (cli/app-bundle.ts) goes every run: a synth follows an edit of the model,
  // so esbuild compiles it again. buf's findings stay unless the case is a proto change.
  const cache = join(dir, 'node_modules', '.cache', 'polyglot');
  if (existsSync(cache)) for (const entry of readdirSync(cache)) if (!keepBufCache || entry.startsWith('app-')) rmSync(join(cache, entry), { force: true });
  return measurePolyglot(dir, join(dir, 'out'), env);
}
const INPUTS = new Set(['package.json', 'main.ts', 'buf.yaml', 'contracts', 'contracts.lock.json', 'node_modules']);

async function measurePolyglot(dir: string, outdir: string, env: NodeJS.ProcessEnv): Promise<Sample> {
  const measured = await measureProcess([process.execPath, cli, 'synth', dir, '--outdir', outdir], { cwd: dir, env });
  return { ...measured, ...outputSize(outdir) };
}

async function runChild(which: Exclude<SynthCase, 'polyglot'>, services: number, seed: number, work: string, env: NodeJS.ProcessEnv): Promise<Sample> {
  const cwd = mkdtempSync(join(work, `${which}-${services}-`));
  const outdir = join(cwd, 'out');
  try {
    const measured = await measureProcess([process.execPath, '--import', tsx, child, which === 'allowFrom' ? 'baseline' : which, String(services), String(seed), outdir], { cwd, env });
    return { ...measured, ...outputSize(outdir) };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

function forgetLockedSources(lockFile: string): void {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { grpc?: { sourcesSha256?: string } };
  if (!lock.grpc?.sourcesSha256) throw new Error(`${lockFile} has no grpc.sourcesSha256 to remove: did the lock format change?`);
  delete lock.grpc.sourcesSha256;
  writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
}

/** Files and Kubernetes objects (top-level `kind:` lines of the manifests) under dir. */
function outputSize(dir: string): { files: number; objects: number } {
  const total = { files: 0, objects: 0 };
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      total.files++;
      if (name.endsWith('.k8s.yaml')) total.objects += (readFileSync(path, 'utf8').match(/^kind: /gm) ?? []).length;
    }
  };
  if (existsSync(dir)) walk(dir);
  return total;
}

/** The table `npm run bench` prints and bench/README.md quotes. */
export function synthTable(result: Awaited<ReturnType<typeof benchSynth>>): string {
  const f = (s: Spread, digits = 2) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  const rows = [
    ['services', 'objects', 'polyglot wall s', 'polyglot cpu s', 'handwritten wall s', 'handwritten cpu s', 'wall ratio', 'cpu ratio', 'first synth wall s', 'first synth cpu s', 'first: wall/cpu ratio', 'vs allowFrom (wall/cpu)', 'polyglot MB', 'handwritten MB'],
    ...result.perSize.map((s) => [
      String(s.services),
      `${s.objects.polyglot}/${s.objects.handwritten}`,
      f(s.polyglot.wall),
      f(s.polyglot.cpu),
      f(s.handwritten.wall),
      f(s.handwritten.cpu),
      `${s.ratio.handwritten.wall.median.toFixed(2)}×`,
      `${s.ratio.handwritten.cpu.median.toFixed(2)}×`,
      f(s.polyglotFirst.wall),
      f(s.polyglotFirst.cpu),
      `${s.ratio.firstToHandwritten.wall.median.toFixed(2)}× / ${s.ratio.firstToHandwritten.cpu.median.toFixed(2)}×`,
      `${s.ratio.allowFrom.wall.median.toFixed(2)}× / ${s.ratio.allowFrom.cpu.median.toFixed(2)}×`,
      s.polyglot.peakRssMB.max.toFixed(0),
      s.handwritten.peakRssMB.max.toFixed(0),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  for (const m of result.marginal) {
    const p = m.msPerService.polyglot!;
    const h = m.msPerService.handwritten!;
    lines.push(`per added service ${m.from}→${m.to}: polyglot ${p.wall.toFixed(1)} ms wall / ${p.cpu.toFixed(1)} ms cpu, handwritten ${h.wall.toFixed(1)} / ${h.cpu.toFixed(1)} ms`);
  }
  lines.push(`jvn (\`npm start\`, main.ts's bundle from the last run): ${f(result.jvn.wallSeconds)} s wall, ${f(result.jvn.cpuSeconds)} s cpu, ${result.jvn.peakRssMB.max.toFixed(0)} MB`);
  lines.push(`jvn (\`npm start\`, main.ts compiled: a fresh clone or an edit): ${f(result.jvnCompiled.wallSeconds)} s wall, ${f(result.jvnCompiled.cpuSeconds)} s cpu, ${result.jvnCompiled.peakRssMB.max.toFixed(0)} MB`);
  return lines.join('\n');
}
