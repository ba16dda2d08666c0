import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { DIAGRAMS_ONLY_ENV, SYNTH_RESULT_ENV, type SynthResult } from '../constructs/index.js';
import { locateApp, runApp } from './run-app.js';

/**
 * `polyglot diagram [dir]`: runs the system's main.ts with synth limited to the diagrams. They go
 * to the output's `diagrams/` folder under the same rules as synth (refused outdirs, atomic swap,
 * other people's files kept); the manifests of the last synth stay as they were.
 */
export function diagramCommand(): Command {
  return new Command('diagram')
    .description("draw the system's diagrams alone (SVG, and Mermaid beside each) into the output's diagrams/ folder; no manifests are synthesized")
    .argument('[dir]', 'the system directory (holds main.ts)', '.')
    .option('-o, --outdir <dir>', "output directory, relative to the system directory (default: as for synth: cdk8s.yaml's output, else the system's outdir, else dist)")
    .action(async (dir: string, options: { outdir?: string }) => {
      const location = locateApp(dir, options.outdir);
      const entry = relative(process.cwd(), location.entry) || location.entry;
      const scratch = mkdtempSync(join(tmpdir(), 'polyglot-diagram-'));
      try {
        const resultFile = join(scratch, 'result.json');
        const code = await runApp(location, { [SYNTH_RESULT_ENV]: resultFile, [DIAGRAMS_ONLY_ENV]: '1' });
        if (code !== 0) {
          console.error(`polyglot diagram: ${entry} failed; nothing was written and the previous output is unchanged.`);
          process.exitCode = 1;
          return;
        }
        let result: SynthResult;
        try {
          result = JSON.parse(readFileSync(resultFile, 'utf8')) as SynthResult;
        } catch {
          console.error(`polyglot diagram: ${entry} never called system.synth(), so nothing was drawn; end main.ts with system.synth().`);
          process.exitCode = 1;
          return;
        }
        const outdir = relative(process.cwd(), result.outdir) || '.';
        const svgs = result.written.filter((path) => path.endsWith('.svg'));
        console.log(`wrote ${svgs.length} diagrams to ${join(outdir, 'diagrams')} (SVG, with Mermaid sources beside them):`);
        for (const path of svgs) console.log(`  ${join(outdir, path)}`);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
}
