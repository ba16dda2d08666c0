import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  diagnose,
  DiagnoseInputError,
  renderChart,
  renderReport,
  type DeclaredModel,
  type DiagnoseResult,
  type ReadProgress,
} from '../diagnose/index.js';
import type { ModelOutline } from '../constructs/index.js';
import { formatBytes, formatCount } from '../diagnose/format.js';

/** Where the command writes and how it reports its exit code; replaceable in tests. */
export interface DiagnoseCliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called with 1 when there is nothing to report or the input can't be read. */
  setExitCode(code: number): void;
}

/** Options parsed from the command line. */
interface DiagnoseCliOptions {
  out?: string;
  json?: boolean;
  top: number;
  window: number;
  /** A system folder; `false` with --no-model; unset: the current folder if it holds a system. */
  model?: string | false;
}

const processIo: DiagnoseCliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * `polyglot diagnose <file> [--out chart.svg] [--json] [--top N] [--window SPANS]`: reads an
 * OpenTelemetry Collector file-exporter trace file and says, per slow caller → callee edge,
 * whether the runtime or the boundary between services owns the p99.
 *
 * Exit code 0 when there was something to report; 1 when the file is missing or unreadable,
 * or holds no client/server pair and no messaging hop.
 *
 * @param io defaults to the real process streams and `process.exitCode`.
 */
export function diagnoseCommand(io: DiagnoseCliIo = processIo): Command {
  return new Command('diagnose')
    .description(
      'is the runtime the bottleneck, or the boundary? Pairs client/server and producer/consumer spans ' +
        'from OTLP JSON traces (the collector file exporter) and splits each slow path into runtime and boundary time',
    )
    .argument('<file>', 'OTLP JSON Lines trace file, as written by the OpenTelemetry Collector file exporter')
    .option('--out <svg>', 'where to write the chart (default: diagnose.svg next to the input)')
    .option('--json', 'print the structured result as JSON instead of the table')
    .option('--top <n>', 'how many slow paths get a verdict, a table row and a bar', positiveInteger, 5)
    .option(
      '--window <spans>',
      'how many spans later an unmatched span is counted as unpaired (bounds memory; raise it if pairs go missing)',
      positiveInteger,
      250_000,
    )
    .option('--model <dir>', 'check the traces against this system (the folder with its main.ts); default: the current folder when it holds a main.ts')
    .option('--no-model', 'do not check against a model, even inside a system folder')
    .action(async (file: string, options: DiagnoseCliOptions) => {
      const code = await runDiagnose(file, options, io);
      if (code !== 0) io.setExitCode(code);
    });
}

async function runDiagnose(file: string, options: DiagnoseCliOptions, io: DiagnoseCliIo): Promise<number> {
  let model: DeclaredModel | undefined;
  const modelDir = options.model === false ? undefined : (options.model ?? (existsSync('main.ts') ? '.' : undefined));
  if (modelDir !== undefined) {
    try {
      model = await loadModel(modelDir);
    } catch (error) {
      io.stderr.write(`polyglot diagnose: --model ${modelDir}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  const progress = io.stderr.isTTY && !options.json ? progressLine(io) : undefined;
  let result: DiagnoseResult;
  try {
    result = await diagnose(file, { top: options.top, window: options.window, onProgress: progress?.update, model });
  } catch (error) {
    progress?.clear();
    if (!(error instanceof DiagnoseInputError)) throw error;
    io.stderr.write(`polyglot diagnose: ${error.message}\n`);
    return 1;
  }
  progress?.clear();

  const nothingToReport = result.totals.pairs === 0 && result.totals.hops === 0;
  let chart: string | undefined;
  let chartError: string | undefined;
  if (!nothingToReport) {
    const target = options.out ?? path.join(path.dirname(file), 'diagnose.svg');
    try {
      await writeFile(target, renderChart(result, { top: options.top }));
      chart = target;
    } catch (error) {
      chartError = `cannot write the chart to ${target}: ${(error as Error).message}`;
    }
  }

  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ...result, chart: chart ?? null }, null, 2)}\n`);
  } else {
    const color = io.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
    io.stdout.write(renderReport(result, { color, top: options.top }));
    if (chart !== undefined) io.stdout.write(`\nChart: ${chart}\n`);
  }

  if (chartError !== undefined) {
    io.stderr.write(`polyglot diagnose: ${chartError}\n`);
    return 1;
  }
  if (nothingToReport) {
    const reason = result.warnings.find((w) => w.code === 'no-data')?.message ?? 'nothing to report';
    io.stderr.write(`polyglot diagnose: ${reason}\n`);
    return 1;
  }
  return 0;
}

/**
 * Runs the system in check mode (as `polyglot check` does: nothing written) and keeps what it
 * declares. Loaded lazily: reading traces alone needs none of the model's code.
 */
async function loadModel(dir: string): Promise<DeclaredModel> {
  const { checkSystem } = await import('./check.js');
  const report = await checkSystem(dir, { quiet: true });
  return declaredModel(report.system, report.model);
}

/**
 * The model as diagnose needs it, from the check report's outline: services named as their
 * telemetry names them (`service.namespace` is the domain, `service.name` the service).
 */
export function declaredModel(system: string, outline: ModelOutline): DeclaredModel {
  const id = (s: { name: string; domain: string }) => `${s.domain}/${s.name}`;
  return {
    system,
    services: outline.services.map((s) => ({ id: id(s), language: s.language, deadlineMs: s.deadlineMs })),
    edges: outline.calls.map((c) => ({
      caller: id(c.caller),
      callee: id(c.callee),
      contract: c.contract,
      rpcService: c.rpcService,
      timeoutMs: c.timeoutMs,
      retries: c.retries,
    })),
  };
}

/** A single self-overwriting progress line on stderr, for multi-GB files. */
function progressLine(io: DiagnoseCliIo): { update: (p: ReadProgress) => void; clear: () => void } {
  let shown = false;
  let last = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      shown = true;
      io.stderr.write(`\rreading… ${formatBytes(p.bytesRead)}, ${formatCount(p.spans)} spans`);
    },
    clear: () => {
      if (shown) io.stderr.write('\r\x1b[2K');
    },
  };
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
