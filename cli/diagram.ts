import { join, relative } from 'node:path';
import { Command } from 'commander';
import { locateApp } from './run-app.js';
import { synthesizeApp } from './synth-run.js';

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
      const { DIAGRAMS_ONLY_ENV } = await import('../constructs/index.js');
      const result = await synthesizeApp(locateApp(dir, options.outdir), 'diagram', 'drawn', { [DIAGRAMS_ONLY_ENV]: '1' });
      if (!result) return;
      const outdir = relative(process.cwd(), result.outdir) || '.';
      const svgs = result.written.filter((path) => path.endsWith('.svg'));
      console.log(`wrote ${svgs.length} diagrams to ${join(outdir, 'diagrams')} (SVG, with Mermaid sources beside them):`);
      for (const path of svgs) console.log(`  ${join(outdir, path)}`);
    });
}
