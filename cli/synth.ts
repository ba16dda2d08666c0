import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import type { SynthResult } from '../constructs/index.js';
import { locateApp, runAppInProcess } from './run-app.js';
import { formatSummary, summarize } from './summary.js';

/** `polyglot synth [dir]`: runs the system's main.ts and prints what it wrote. */
export function synthCommand(): Command {
  return new Command('synth')
    .description("synthesize a system: run its main.ts, write manifests and config to its output directory, print a summary")
    .argument('[dir]', 'the system directory (holds main.ts)', '.')
    .option('-o, --outdir <dir>', "output directory, relative to the system directory; wins over SystemProps.outdir (default: cdk8s.yaml's output, else the system's outdir, else dist)")
    .action(async (dir: string, options: { outdir?: string }) => {
      const location = locateApp(dir, options.outdir);
      const entry = relative(process.cwd(), location.entry) || location.entry;
      // The system's process says what it wrote; without that report, nothing was written.
      const scratch = mkdtempSync(join(tmpdir(), 'polyglot-synth-'));
      try {
        const resultFile = join(scratch, 'result.json');
        const { SYNTH_RESULT_ENV } = await import('../constructs/index.js');
        const code = await runAppInProcess(location, { [SYNTH_RESULT_ENV]: resultFile });
        if (code !== 0) {
          console.error(`polyglot synth: ${entry} failed; nothing was written and the previous output is unchanged.`);
          process.exitCode = 1;
          return;
        }
        let result: SynthResult;
        try {
          result = JSON.parse(readFileSync(resultFile, 'utf8')) as SynthResult;
        } catch {
          console.error(`polyglot synth: ${entry} never called system.synth(), so nothing was written; end main.ts with system.synth().`);
          process.exitCode = 1;
          return;
        }
        const label = relative(process.cwd(), result.outdir) || '.';
        console.log(formatSummary(summarize(result.outdir, result.written), label, result.kept));
        console.log(nextSteps(relative(process.cwd(), location.dir) || '.', label, result));
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
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
