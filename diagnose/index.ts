import { stat } from 'node:fs/promises';
import { Aggregator } from './aggregate.js';
import { formatCount, plural } from './format.js';
import { readOtlpFile, type ReadProgress, type ReadTotals } from './otlp-reader.js';
import { SpanPairer } from './pairing.js';
import type { DeclaredModel } from './declared.js';
import { checkAgainstModel } from './model-check.js';
import type { DiagnoseResult, EdgeSummary, UnpairedSummary } from './result.js';
import { RELATIVE_ACCURACY } from './sketch.js';
import { verdicts } from './verdict.js';
import { WarningCollector } from './warnings.js';

export { renderChart, type ChartOptions } from './chart.js';
export { renderReport, type ReportOptions } from './report.js';
export type * from './result.js';
export type * from './declared.js';
export type * from './model-check.js';
export { RELATIVE_ACCURACY } from './sketch.js';
export type { ReadProgress } from './otlp-reader.js';
export type { Percentiles } from './stats.js';
export type { DiagnoseWarning, WarningCode } from './warnings.js';

/** Options for {@link diagnose}. */
export interface DiagnoseOptions {
  /**
   * How many slow paths (edges ranked by p99 client duration) get a verdict.
   * @default 5
   */
  top?: number;
  /**
   * How many CLIENT/SERVER/PRODUCER/CONSUMER spans later a span still waiting for its
   * counterpart is given up on and counted as unpaired. Bounds memory on any file size; raise
   * it if one service's spans for a trace sit far from another's in the file.
   * @default 250000
   */
  window?: number;
  /** Called once per chunk read (about every MB), e.g. to draw a progress bar. */
  onProgress?: (progress: ReadProgress) => void;
  /**
   * The system's declared services and calls: the traces are checked against it, and services
   * whose spans carry no `telemetry.sdk.language` get the language of their runtime from it.
   * @default - no model: nothing is checked
   */
  model?: DeclaredModel;
}

/** The input file could not be read at all (missing, a directory, no permission). */
export class DiagnoseInputError extends Error {
  override readonly name = 'DiagnoseInputError';
}

/**
 * Reads an OpenTelemetry Collector file-exporter trace file (OTLP JSON Lines) and works out,
 * per caller → callee edge, whether the slow calls are slow inside the callee's runtime or at
 * the boundary between the services.
 *
 * Streams the file with bounded memory. Problems in the data (malformed or truncated lines,
 * clock skew, unpaired spans) become `warnings`; an empty file or one without a single pair
 * still returns a result, with a `no-data` warning explaining why.
 *
 * @throws {DiagnoseInputError} when the file cannot be opened.
 */
export async function diagnose(file: string, options: DiagnoseOptions = {}): Promise<DiagnoseResult> {
  await assertReadableFile(file);
  const warnings = new WarningCollector();
  const aggregator = new Aggregator();
  const pairer = new SpanPairer(aggregator, { window: options.window });
  let read: ReadTotals;
  try {
    read = await readOtlpFile(file, {
      onSpan: (span) => pairer.add(span),
      warnings,
      onProgress: options.onProgress,
    });
  } catch (error) {
    // I/O errors (the file vanished, EIO) get the clear message; anything else is a bug.
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    throw new DiagnoseInputError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  pairer.finish();

  aggregator.warnClockSkew(warnings);
  const unpaired = aggregator.unpairedSummary();
  warnUnpaired(unpaired, warnings);
  if (aggregator.pairs === 0 && aggregator.hops === 0) {
    warnings.add({ code: 'no-data', message: noDataMessage(file, read.spans, read.lines) });
  }

  const languages = new Map(options.model?.services.map((s) => [s.id, s.language]));
  const edges = aggregator.edgeSummaries().map((e) => withModelLanguages(e, languages));
  const services = aggregator.serviceSummaries().map((s) => ({ ...s, language: s.language ?? languages.get(s.service) }));
  return {
    file,
    totals: { ...read, pairs: aggregator.pairs, hops: aggregator.hops },
    verdicts: verdicts(edges, options.top ?? 5),
    edges,
    services,
    hops: aggregator.hopSummaries(),
    unpaired,
    warnings: warnings.list(),
    percentileRelativeError: RELATIVE_ACCURACY,
    ...(options.model ? { model: checkAgainstModel(edges, services, options.model) } : {}),
  };
}

/** The SDK's own `telemetry.sdk.language` wins; the model's runtime fills in where spans have none. */
function withModelLanguages(edge: EdgeSummary, languages: ReadonlyMap<string, string | undefined>): EdgeSummary {
  return {
    ...edge,
    callerLanguage: edge.callerLanguage ?? languages.get(edge.caller),
    calleeLanguage: edge.calleeLanguage ?? languages.get(edge.callee),
  };
}

async function assertReadableFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DiagnoseInputError(
      code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (info.isDirectory()) {
    throw new DiagnoseInputError(`${file} is a directory; pass the trace file the collector's file exporter writes`);
  }
}

function warnUnpaired(unpaired: UnpairedSummary, warnings: WarningCollector): void {
  if (unpaired.clientsWithoutServer > 0) {
    const top = unpaired.clientGroups[0];
    warnings.add({
      code: 'unpaired-clients',
      message:
        `${plural(unpaired.clientsWithoutServer, 'client span')} had no server span: the callee is probably not ` +
        `instrumented or does not propagate trace context` +
        (top ? ` (most from ${top.service} calling ${top.target}: ${formatCount(top.count)})` : ''),
    });
  }
  if (unpaired.serversWithoutClient > 0) {
    const top = unpaired.serverGroups[0];
    warnings.add({
      code: 'unpaired-servers',
      message:
        `${plural(unpaired.serversWithoutClient, 'server span')} had a parent that is not in the file: the caller ` +
        `is not instrumented or its spans were dropped` +
        (top ? ` (most on ${top.service} ${top.target}: ${formatCount(top.count)})` : ''),
    });
  }
  const messages = unpaired.producersWithoutConsumer + unpaired.consumersWithoutProducer;
  if (messages > 0) {
    warnings.add({
      code: 'unpaired-messages',
      message:
        `${plural(unpaired.producersWithoutConsumer, 'producer span')} had no consumer and ` +
        `${plural(unpaired.consumersWithoutProducer, 'consumer span')} had no producer (by parent or link)`,
    });
  }
}

function noDataMessage(file: string, spans: number, lines: number): string {
  if (lines === 0) return `${file} is empty: no trace data to diagnose`;
  if (spans === 0) return `${file} has no readable spans: is it the collector's file exporter output, in JSON?`;
  return (
    `${formatCount(spans)} spans but no CLIENT span with a SERVER child and no PRODUCER with a CONSUMER: ` +
    'both sides of a call must be instrumented and propagate trace context (W3C traceparent over gRPC metadata / NATS headers)'
  );
}
