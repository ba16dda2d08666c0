import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Command } from 'commander';
import { checkSystem, formatReport } from './check.js';

/** The errors `--force` accepts: the lock is the baseline, and forcing moves it. */
const FORCEABLE = new Set(['event-breaking-change', 'grpc-breaking-change', 'contracts-lock-invalid']);

/** `polyglot contracts …`: the contract baseline. */
export function contractsCommand(): Command {
  return new Command('contracts').description('manage the contract baseline (contracts.lock.json)').addCommand(lockCommand());
}

/**
 * `polyglot contracts lock [dir] [--force]`: records every event's JSON Schema and version, and
 * the buf image of the protos, in the system's lock file. Refuses while the model has errors,
 * breaking changes included (raise the version instead); `--force` accepts breaking changes.
 */
function lockCommand(): Command {
  return new Command('lock')
    .description("write the system's contracts.lock.json: each event's JSON Schema and version, and the gRPC baseline image")
    .argument('[dir]', 'the system directory (holds main.ts)', '.')
    .option('--force', 'lock even over breaking changes (when nothing outside this change depends on the old shape)')
    .action(async (dir: string, options: { force?: boolean }) => {
      const report = await checkSystem(dir, { inProcess: true });
      const blocking = report.problems.filter((p) => p.severity === 'error' && !(options.force && FORCEABLE.has(p.code)));
      const target = relative(process.cwd(), report.lockFile) || report.lockFile;
      if (blocking.length > 0 || !report.lock) {
        const reason = report.lockFailure ?? (await formatReport({ ...report, problems: blocking }, blocking.length, 0));
        console.error(`${reason}\n\npolyglot contracts lock: nothing was locked; ${target} is unchanged.`);
        process.exitCode = 1;
        return;
      }
      const { renderLock } = await import('../constructs/index.js');
      const content = renderLock(report.lock);
      const unchanged = existsSync(report.lockFile) && readFileSync(report.lockFile, 'utf8') === content;
      if (!unchanged) writeFileSync(report.lockFile, content);
      const events = Object.keys(report.lock.events).length;
      const grpc = report.lock.grpc ? ', and the gRPC baseline image' : '';
      console.log(`${unchanged ? 'unchanged' : 'wrote'} ${target}: ${events} event${events === 1 ? '' : 's'}${grpc}`);
    });
}
