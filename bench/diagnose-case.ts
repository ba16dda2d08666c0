import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTraceFile } from '../test/support/trace-fixtures.js';
import { spread, type Spread } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface DiagnoseBench {
  readonly fileMB: number;
  readonly runs: number;
  readonly diagnoseSeconds: Spread;
  readonly parseOnlySeconds: Spread;
  /** diagnose seconds / parse-only seconds, paired run by run. */
  readonly ratioToParseOnly: Spread;
  readonly diagnoseMBPerSecond: number;
  readonly diagnosePeakRssMB: Spread;
  readonly parseOnlyPeakRssMB: Spread;
}

/**
 * `polyglot diagnose` on a generated OTLP JSON trace file (seeded), against a bare
 * read-and-JSON.parse pass over the same file, interleaved run by run.
 */
export async function benchDiagnose(workDir: string, options: { megabytes: number; runs: number; seed: number }): Promise<DiagnoseBench> {
  const file = join(workDir, 'traces.jsonl');
  await writeTraceFile(file, { seed: options.seed, bytes: options.megabytes * 2 ** 20 });
  const fileMB = statSync(file).size / 2 ** 20;
  const tsx = import.meta.resolve('tsx');
  const run = (mode: 'diagnose' | 'parse-only') => {
    const child = spawnSync(process.execPath, ['--import', tsx, join(here, 'diagnose-process.ts'), mode, file], { encoding: 'utf8', timeout: 600_000 });
    const line = child.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (child.status !== 0 || !line) throw new Error(`diagnose bench (${mode}) failed (exit ${child.status}):\n${child.stderr.slice(-2000)}`);
    return JSON.parse(line.slice('BENCH_RESULT '.length)) as { seconds: number; maxRssMB: number };
  };
  const diagnoseRuns: { seconds: number; maxRssMB: number }[] = [];
  const parseRuns: { seconds: number; maxRssMB: number }[] = [];
  for (let r = 0; r < options.runs; r++) {
    // Alternate the order so neither always runs with the other's page cache.
    if (r % 2 === 0) {
      diagnoseRuns.push(run('diagnose'));
      parseRuns.push(run('parse-only'));
    } else {
      parseRuns.push(run('parse-only'));
      diagnoseRuns.push(run('diagnose'));
    }
    console.log(`  diagnose ${fileMB.toFixed(0)} MB run ${r + 1}/${options.runs}: diagnose ${diagnoseRuns.at(-1)!.seconds.toFixed(2)} s, parse-only ${parseRuns.at(-1)!.seconds.toFixed(2)} s`);
  }
  const diagnoseSeconds = spread(diagnoseRuns.map((r) => r.seconds));
  return {
    fileMB,
    runs: options.runs,
    diagnoseSeconds,
    parseOnlySeconds: spread(parseRuns.map((r) => r.seconds)),
    ratioToParseOnly: spread(diagnoseRuns.map((r, i) => r.seconds / parseRuns[i]!.seconds)),
    diagnoseMBPerSecond: fileMB / diagnoseSeconds.median,
    diagnosePeakRssMB: spread(diagnoseRuns.map((r) => r.maxRssMB)),
    parseOnlyPeakRssMB: spread(parseRuns.map((r) => r.maxRssMB)),
  };
}
