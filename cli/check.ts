import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import type { CheckReport } from '../constructs/index.js';
import { locateApp, runApp, runAppInProcess } from './run-app.js';

/**
 * Runs the system's main.ts in check mode ($POLYGLOT_CHECK_REPORT): every check and synthesizer
 * runs, nothing is written to the outdir, and the report comes back through a temporary file.
 * Throws with a message for a person when main.ts fails or never calls `synth()`.
 * `inProcess` runs main.ts in this process (one-shot commands); otherwise in a child process, so
 * a caller can read a model again after it changed (ES modules cannot be reloaded).
 */
export async function checkSystem(dir: string, options: { quiet?: boolean; inProcess?: boolean } = {}): Promise<CheckReport> {
  const location = locateApp(dir);
  const scratch = mkdtempSync(join(tmpdir(), 'polyglot-check-'));
  const file = join(scratch, 'report.json');
  try {
    const { CHECK_REPORT_ENV } = await import('../constructs/index.js');
    const run = options.inProcess ? runAppInProcess : runApp;
    const code = await run(location, { [CHECK_REPORT_ENV]: file }, { stdoutToStderr: options.quiet });
    const entry = relative(process.cwd(), location.entry) || location.entry;
    if (code !== 0) throw new Error(`${entry} failed (exit ${code}) before the model could be checked`);
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as CheckReport;
    } catch {
      throw new Error(`${entry} did not call system.synth(), so there was nothing to check`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `polyglot check [dir] [--json]`: every check synth runs, without writing anything. */
export function checkCommand(): Command {
  return new Command('check')
    .description('check a system without writing output: graph, deadline budgets, retries, contracts (buf lint/breaking, event lock); exit 1 on errors')
    .argument('[dir]', 'the system directory (holds main.ts)', '.')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const report = await checkSystem(dir, { quiet: options.json, inProcess: true });
      const errors = report.problems.filter((p) => p.severity === 'error').length;
      const warnings = report.problems.length - errors;
      if (options.json) {
        const { lock: _lock, lockFailure: _failure, lockFile: _file, schema: _schema, model: _model, requiredSecrets: _secrets, ...rest } = report;
        console.log(JSON.stringify({ ...rest, ok: errors === 0, errors, warnings }, null, 2));
      } else {
        console.log(await formatReport(report, errors, warnings));
      }
      if (errors > 0) process.exitCode = 1;
    });
}

/** The shared problem layout (grouped by construct path), ending in check's summary line. */
export async function formatReport(report: CheckReport, errors: number, warnings: number): Promise<string> {
  const { formatProblems } = await import('../constructs/index.js');
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const summary = `${errors > 0 ? '✗' : '✓'} ${report.system}: ${count(errors, 'error')}, ${count(warnings, 'warning')} (${count(report.services.length, 'service')}, ${count(report.contracts.length, 'contract')} checked)`;
  return formatProblems(report.problems, { summary });
}
