import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { SynthResult } from '../constructs/index.js';
import { runAppInProcess, type AppLocation } from './run-app.js';

/**
 * Runs a system's main.ts to synthesize (`polyglot synth`, `polyglot diagram`) and returns what it
 * reports it wrote. The system's process says what it wrote; without that report, nothing was
 * written. On failure prints one sentence for a person, sets exit code 1 and returns undefined.
 */
export async function synthesizeApp(location: AppLocation, command: string, nothing: string, extraEnv: Record<string, string> = {}): Promise<SynthResult | undefined> {
  const entry = relative(process.cwd(), location.entry) || location.entry;
  const scratch = mkdtempSync(join(tmpdir(), `polyglot-${command}-`));
  try {
    const resultFile = join(scratch, 'result.json');
    const { SYNTH_RESULT_ENV } = await import('../constructs/index.js');
    const code = await runAppInProcess(location, { [SYNTH_RESULT_ENV]: resultFile, ...extraEnv });
    if (code !== 0) {
      console.error(`polyglot ${command}: ${entry} failed; nothing was ${nothing} and the previous output is unchanged.`);
      process.exitCode = 1;
      return undefined;
    }
    try {
      return JSON.parse(readFileSync(resultFile, 'utf8')) as SynthResult;
    } catch {
      console.error(`polyglot ${command}: ${entry} never called system.synth(), so nothing was ${nothing}; end main.ts with system.synth().`);
      process.exitCode = 1;
      return undefined;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
