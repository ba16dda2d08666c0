import { relative } from 'node:path';
import { Command } from 'commander';
import { locateApp, runApp } from './run-app.js';
import { formatSummary, summarize } from './summary.js';

/** `polyglot synth [dir]`: runs the system's main.ts and prints what it wrote. */
export function synthCommand(): Command {
  return new Command('synth')
    .description("synthesize a system: run its main.ts, write manifests and config to its output directory, print a summary")
    .argument('[dir]', 'the system directory (holds main.ts)', '.')
    .option('-o, --outdir <dir>', "output directory, relative to the system directory (default: cdk8s.yaml's output, else dist)")
    .action(async (dir: string, options: { outdir?: string }) => {
      const location = locateApp(dir, options.outdir);
      const code = await runApp(location);
      if (code !== 0) {
        console.error(`polyglot synth: ${relative(process.cwd(), location.entry) || location.entry} failed; the output directory was left as it was.`);
        process.exitCode = 1;
        return;
      }
      console.log(formatSummary(summarize(location.outdir), relative(process.cwd(), location.outdir) || '.'));
    });
}
