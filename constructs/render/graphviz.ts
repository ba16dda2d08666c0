import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Renders DOT sources to SVG, all in one child process (Graphviz as WebAssembly, no system
 * package). Synchronous, like the rest of synth.
 */
export function renderSvgs(dots: readonly string[]): string[] {
  if (dots.length === 0) return [];
  // Run from source (tsx) or from the build: the worker sits next to this file either way.
  const fromSource = import.meta.url.endsWith('.ts');
  const worker = fileURLToPath(new URL(`./graphviz-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  const args = fromSource ? ['--import', import.meta.resolve('tsx'), worker] : [worker];
  const output = execFileSync(process.execPath, args, { input: JSON.stringify(dots), maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' });
  return JSON.parse(output) as string[];
}
