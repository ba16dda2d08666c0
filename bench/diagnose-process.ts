/**
 * The two child processes of the diagnose case, as command lines for plain `node` (no tsx, so
 * neither pays for a TypeScript loader):
 *
 * - diagnose: the built CLI, `node dist/cli/main.js diagnose <file> --json --no-model`, exactly
 *   what a user runs (stream, parse, pair, sketch, report);
 * - bare-parse: the floor any streaming OTLP JSON reader pays, `node:readline` over the file and
 *   `JSON.parse` of every line, nothing else.
 *
 * Both get the same preload, which prints one `BENCH_USAGE {...}` line on stderr at exit: CPU
 * (user + system, every thread of the process) and peak RSS, from `process.resourceUsage()`.
 */
import { join } from 'node:path';

/** Preloaded into both children: a data: URL, so it needs no file and no loader. */
const USAGE_PRELOAD =
  'data:text/javascript,' +
  encodeURIComponent(
    'process.on("exit", () => { const u = process.resourceUsage(); ' +
      'process.stderr.write("BENCH_USAGE " + JSON.stringify({ cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, ' +
      'userSeconds: u.userCPUTime / 1e6, systemSeconds: u.systemCPUTime / 1e6, maxRssMB: u.maxRSS / 1024 }) + "\\n"); });',
  );

/** The baseline, as an ES module for `node --input-type=module -e`. The file is argv[1]. */
const BARE_PARSE = `
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
let lines = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity })) {
  if (line.length > 0) { JSON.parse(line); lines++; }
}
console.log(JSON.stringify({ lines }));
`;

export type DiagnoseMode = 'diagnose' | 'bare-parse';

/** What one measured child reported about itself. */
export interface ChildUsage {
  readonly cpuSeconds: number;
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly maxRssMB: number;
}

/** `node` arguments for one child reading `file`; the chart goes to `chart`. */
export function childArgs(mode: DiagnoseMode, repo: string, file: string, chart: string): string[] {
  if (mode === 'diagnose') {
    return ['--import', USAGE_PRELOAD, join(repo, 'dist/cli/main.js'), 'diagnose', file, '--json', '--no-model', '--out', chart];
  }
  return ['--import', USAGE_PRELOAD, '--input-type=module', '-e', BARE_PARSE, file];
}

/** The usage line a child printed on stderr. */
export function parseUsage(stderr: string): ChildUsage | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith('BENCH_USAGE '));
  return line ? (JSON.parse(line.slice('BENCH_USAGE '.length)) as ChildUsage) : undefined;
}
