import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateSystem } from './generate.js';

export interface CheckPassResult {
  readonly buildMs: number;
  /** The check pass: `system.check()`, which builds the model graph and runs every check. */
  readonly checkMs: number;
  readonly edges: { calls: number; events: number };
  readonly problems: { errors: number; warnings: number };
  /** Which file built the model. */
  readonly source: string;
}

/**
 * The check pass alone on `services` services with 10 edges each (1000 services: 10 000 edges).
 * When bench/check.ts (the contract checks' own benchmark) exports `checkPass`, it is used;
 * otherwise the model comes from this bench's generator.
 */
export async function checkPass(services: number, seed: number): Promise<CheckPassResult> {
  const shared = fileURLToPath(new URL('./check.ts', import.meta.url));
  if (existsSync(shared)) {
    const module = (await import(pathToFileURL(shared).href)) as { checkPass?: (services: number, seed: number) => Promise<CheckPassResult> | CheckPassResult };
    if (typeof module.checkPass === 'function') return { ...(await module.checkPass(services, seed)), source: 'bench/check.ts' };
  }
  const t0 = performance.now();
  const { system, plan } = generateSystem({ services, seed, edgesPerService: 10 });
  const t1 = performance.now();
  const problems = system.check();
  const t2 = performance.now();
  return {
    buildMs: t1 - t0,
    checkMs: t2 - t1,
    edges: { calls: plan.callEdges, events: plan.eventEdges },
    problems: {
      errors: problems.filter((p) => p.severity === 'error').length,
      warnings: problems.filter((p) => p.severity !== 'error').length,
    },
    source: 'bench/check-pass.ts (generator, 10 edges per service)',
  };
}
