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
    .option('--diagrams', 'also draw the architecture diagrams as SVG (by default only their Mermaid sources are written; `polyglot diagram` draws them alone)')
    .action(async (dir: string, options: { outdir?: string; diagrams?: boolean }) => {
      const location = locateApp(dir, options.outdir);
      const { DRAW_DIAGRAMS_ENV } = await import('../constructs/index.js');
      const result = await synthesizeApp(location, 'synth', 'written', options.diagrams ? { [DRAW_DIAGRAMS_ENV]: '1' } : {});
      if (!result) return;
      const label = relative(process.cwd(), result.outdir) || '.';
      console.log(formatSummary(summarize(result.outdir, result.written), label, result.kept));
      console.log(nextSteps(relative(process.cwd(), location.dir) || '.', label, relative(location.dir, result.outdir) || '.', result));
    });
}

/** What to run next to deploy the output (README: Deploying). */
function nextSteps(dir: string, outdir: string, outdirFromDir: string, result: SynthResult): string {
  const needsSecrets = result.written.includes('secrets.json');
  const steps = [
    'install the prerequisites once: the NACK CRDs and controller, an ingress controller (README: Deploying)',
    ...(needsSecrets ? [`polyglot secrets ${dir} --apply      # NATS passwords, random, never written to disk; once`] : []),
    `kubectl apply -k ${outdir}`,
  ];
  const drawn = result.written.some((path) => path.endsWith('.svg'));
  const pictures = drawn ? [] : [`pictures: polyglot diagram ${dir} --outdir ${outdirFromDir}   # draws diagrams/*.mmd as SVG`];
  return ['next:', ...steps.map((step, i) => `  ${i + 1}. ${step}`), ...pictures].join('\n');
}
