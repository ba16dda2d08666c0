/**
 * What one measured child process of `npm run bench` runs: one case, once, then one JSON line
 * (prefixed `BENCH_RESULT `) on stdout with its in-process timings and peak RSS. The parent
 * (run.ts) times the whole process from spawn to exit, then measures the output it left.
 *
 *   node --import tsx bench/synth-process.ts <polyglot|handwritten|baseline|check> <services> <seed> <outdir>
 *
 * - polyglot: build the generated model and `system.synth()` into outdir (everything the System
 *   produces: checks, manifests, NATS, OTel, contracts, diagrams, catalog);
 * - handwritten: the same object set written by hand in cdk8s-plus-28 (bench/handwritten.ts);
 * - baseline: the same services in plain cdk8s-plus-28 with `allowFrom` (bench/baseline.ts);
 * - check: build a model with 10 edges per service and time the check pass alone.
 */
// Everything before this line (node start-up, the tsx loader, module imports) counts as start-up.
const startup = performance.now();

export interface ChildResult {
  readonly case: string;
  readonly services: number;
  /** Milliseconds: process start to the first line of this module (node, tsx loader). */
  readonly startupMs: number;
  /** Milliseconds: importing the library (polyglot's constructs, or cdk8s-plus for the baseline). */
  readonly importMs: number;
  /** Milliseconds: model construction, then synth (or the check pass). */
  readonly buildMs: number;
  readonly workMs: number;
  readonly maxRssMB: number;
  readonly edges?: { calls: number; events: number };
  readonly problems?: { errors: number; warnings: number };
  readonly source?: string;
}

const [mode, servicesArg, seedArg, outdirArg] = process.argv.slice(2);
const services = Number(servicesArg);
const seed = Number(seedArg ?? 1);
if (!mode || !Number.isInteger(services) || !outdirArg) {
  console.error('usage: synth-process.ts <polyglot|handwritten|baseline|check> <services> <seed> <outdir>');
  process.exit(2);
}
const outdir: string = outdirArg;

const result = await run(mode);
console.log(`BENCH_RESULT ${JSON.stringify(result)}`);

async function run(which: string): Promise<ChildResult> {
  const { planSystem } = await import('./plan.js');
  const i0 = performance.now();
  switch (which) {
    case 'polyglot': {
      const { buildSystem } = await import('./generate.js');
      const importMs = performance.now() - i0;
      const t0 = performance.now();
      const plan = planSystem({ services, seed });
      const { system } = buildSystem(plan, outdir);
      const t1 = performance.now();
      system.synth();
      const t2 = performance.now();
      return finish(which, importMs, t1 - t0, t2 - t1, { calls: plan.callEdges, events: plan.eventEdges });
    }
    case 'handwritten': {
      const { buildHandwritten } = await import('./handwritten.js');
      const importMs = performance.now() - i0;
      const t0 = performance.now();
      const plan = planSystem({ services, seed });
      const app = buildHandwritten(plan, outdir);
      const t1 = performance.now();
      app.synth();
      const t2 = performance.now();
      return finish(which, importMs, t1 - t0, t2 - t1, { calls: plan.callEdges, events: plan.eventEdges });
    }
    case 'baseline': {
      const { buildBaseline } = await import('./baseline.js');
      const importMs = performance.now() - i0;
      const t0 = performance.now();
      const plan = planSystem({ services, seed });
      const app = buildBaseline(plan, outdir);
      const t1 = performance.now();
      app.synth();
      const t2 = performance.now();
      return finish(which, importMs, t1 - t0, t2 - t1, { calls: plan.callEdges, events: plan.eventEdges });
    }
    case 'check': {
      const { checkPass } = await import('./check-pass.js');
      const importMs = performance.now() - i0;
      const measured = await checkPass(services, seed);
      return {
        case: which,
        services,
        startupMs: startup,
        importMs,
        buildMs: measured.buildMs,
        workMs: measured.checkMs,
        maxRssMB: maxRssMB(),
        edges: measured.edges,
        problems: measured.problems,
        source: measured.source,
      };
    }
    default:
      throw new Error(`unknown case '${which}'`);
  }
}

function finish(which: string, importMs: number, buildMs: number, workMs: number, edges: { calls: number; events: number }): ChildResult {
  return { case: which, services, startupMs: startup, importMs, buildMs, workMs, maxRssMB: maxRssMB(), edges };
}

function maxRssMB(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes
}
