import { relative } from 'node:path';
import { Command } from 'commander';
import type { SynthResult } from '../constructs/index.js';
import { locateApp } from './run-app.js';
import { synthesizeApp } from './synth-run.js';
import { formatSummary, summarize } from './summary.js';

/** `polyglot synth [dir]`: runs the system's main.ts and prints what it wrote. */
export function synthCommand(): Command {
  return new Command('synth')
    .description("synthesize a system: run its main.ts, write manifests and config to its output directory, print a summary")
    .argument('[dir]', 'the system directory (holds main.ts)', '.')
    .option('-o, --outdir <dir>', "output directory, relative to the system directory; wins over SystemProps.outdir (default: cdk8s.yaml's output, else the system's outdir, else dist)")
    .action(async (dir: string, options: { outdir?: string }) => {
      const location = locateApp(dir, options.outdir);
      const result = await synthesizeApp(location, 'synth', 'written');
      if (!result) return;
      const label = relative(process.cwd(), result.outdir) || '.';
      console.log(formatSummary(summarize(result.outdir, result.written), label, result.kept));
      console.log(nextSteps(relative(process.cwd(), location.dir) || '.', label, result));
    });
}

/** What to run next to deploy the output (README: Deploying). */
function nextSteps(dir: string, outdir: string, result: SynthResult): string {
  const needsSecrets = result.written.includes('secrets.json');
  const steps = [
    'install the prerequisites once: the NACK CRDs and controller, an ingress controller (README: Deploying)',
    ...(needsSecrets ? [`polyglot secrets ${dir} --apply      # NATS passwords, random, never written to disk; once`] : []),
    `kubectl apply -k ${outdir}`,
  ];
  return ['next:', ...steps.map((step, i) => `  ${i + 1}. ${step}`)].join('\n');
}
