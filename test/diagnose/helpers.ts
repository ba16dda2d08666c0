import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { diagnoseCommand, type DiagnoseCliIo } from '../../cli/diagnose.js';
import { mulberry32 } from '../support/prng.js';
import type { Latency } from '../support/trace-fixtures.js';

/** A fresh temp directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'polyglot-diagnose-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes `lines` joined by newlines, with a trailing newline unless `terminated` is false. */
export async function writeLines(file: string, lines: readonly string[], terminated = true): Promise<string> {
  await writeFile(file, lines.join('\n') + (terminated && lines.length > 0 ? '\n' : ''));
  return file;
}

/** The true q-quantile (0..1) of a fixture latency distribution, by bisection on its CDF. */
export function quantile(latency: Latency, q: number): number {
  const uniform = (x: number, min: number, max: number): number =>
    x <= min ? 0 : x >= max ? 1 : (x - min) / (max - min);
  const p = latency.spike?.probability ?? 0;
  const cdf = (x: number): number =>
    (1 - p) * uniform(x, latency.min, latency.max) +
    (latency.spike ? p * uniform(x, latency.spike.min, latency.spike.max) : 0);
  let lo = 0;
  let hi = Math.max(latency.max, latency.spike?.max ?? 0);
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Asserts `actual` is within `relative` (e.g. 0.05 = 5%) of `expected`. */
export function assertNear(actual: number, expected: number, relative: number, what: string): void {
  const ok = Math.abs(actual - expected) <= relative * Math.abs(expected);
  if (!ok) throw new Error(`${what}: expected ≈ ${expected} (±${relative * 100}%), got ${actual}`);
}

/** A deterministic PRNG for tests (tests must not depend on Math.random either). */
export const seeded = mulberry32;

/** What one in-process run of `polyglot diagnose` printed and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `polyglot diagnose` in-process with captured streams; `tty` says whether stdout is a terminal. */
export async function runDiagnoseCli(args: string[], tty = false): Promise<CliRun> {
  const out = { code: 0, stdout: '', stderr: '' };
  const io: DiagnoseCliIo = {
    stdout: { write: (t: string) => (out.stdout += t), isTTY: tty },
    stderr: { write: (t: string) => (out.stderr += t) },
    env: {},
    setExitCode: (code) => {
      out.code = code;
    },
  };
  await diagnoseCommand(io).parseAsync(args, { from: 'user' });
  return out;
}
