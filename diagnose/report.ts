import { edgeName, formatBytes, formatCount, formatMs, formatShare, plural } from './format.js';
import type { ModelCheck } from './model-check.js';
import type { DiagnoseResult, EdgeSummary } from './result.js';
import { textTable } from './text-table.js';

/** Options for {@link renderReport}. */
export interface ReportOptions {
  /**
   * Use ANSI colours. Pass `true` only for a TTY that wants them (honour `NO_COLOR`).
   * @default false
   */
  color?: boolean;
  /**
   * How many edges get a row in the slow-path table; `--json` has all of them.
   * @default 5
   */
  top?: number;
  /**
   * Wrap prose (verdict details, warnings) at this many columns.
   * @default 100
   */
  width?: number;
}

type Style = (text: string) => string;

/**
 * Renders a diagnosis as a plain-text report: slow paths with their verdicts, time inside
 * each service, NATS hop lag, unpaired spans and warnings. Aligned columns; colour only
 * when asked for.
 */
export function renderReport(result: DiagnoseResult, options: ReportOptions = {}): string {
  const color = options.color ?? false;
  const top = options.top ?? 5;
  const wrapAt = options.width ?? 100;
  const bold: Style = color ? (t) => `\x1b[1m${t}\x1b[22m` : (t) => t;
  const yellow: Style = color ? (t) => `\x1b[33m${t}\x1b[39m` : (t) => t;
  const cyan: Style = color ? (t) => `\x1b[36m${t}\x1b[39m` : (t) => t;
  const { totals } = result;
  const out: string[] = [];

  out.push(bold(`polyglot diagnose ${result.file}`));
  out.push(
    ` ${formatBytes(totals.bytes)}, ${formatCount(totals.lines)} lines, ${formatCount(totals.spans)} spans → ` +
      `${formatCount(totals.pairs)} client/server pairs, ${formatCount(totals.hops)} messaging hops`,
  );
  out.push(` percentiles are approximate, within ${formatPercent(result.percentileRelativeError)} of the exact value (a DDSketch per edge keeps memory flat)`);

  if (result.edges.length > 0) {
    const shown = result.edges.slice(0, top);
    const more = result.edges.length > shown.length ? '; --json lists all' : '';
    out.push('', bold(`Slow paths: ${shown.length} of ${result.edges.length} edges, slowest p99 client duration first (ms${more})`));
    out.push(...textTable(edgeRows(shown), ['right', 'left', 'right', 'left', 'right', 'right', 'right', 'right']));
  }

  if (result.model !== undefined) out.push('', ...modelSection(result.model, bold, yellow, wrapAt));

  if (result.verdicts.length > 0) {
    out.push('', bold('Verdicts'));
    for (const v of result.verdicts) {
      const paint = v.side === 'boundary' ? yellow : cyan;
      out.push(` ${v.rank}. ${paint(v.summary)} (${v.operation})`);
      out.push(...wrap(v.detail, wrapAt, '    '));
    }
  }

  if (result.services.length > 0) {
    out.push('', bold('Time inside each runtime: server span self time (ms)'));
    const rows = [['SERVICE', 'LANGUAGE', 'SERVER SPANS', 'p50', 'p95', 'p99']];
    for (const s of result.services) {
      rows.push([s.service, s.language ?? '?', formatCount(s.serverSpans), ...percentileCells(s.selfMs)]);
    }
    out.push(...textTable(rows, ['left', 'left', 'right', 'right', 'right', 'right']));
  }

  if (result.hops.length > 0) {
    out.push('', bold('Messaging hops: producer start → consumer start (ms)'));
    const rows = [['SUBJECT', 'FROM → TO', 'HOPS', 'p50', 'p95', 'p99']];
    for (const h of result.hops) {
      rows.push([
        h.subject,
        edgeName(h.producers.join(', '), h.consumers.join(', ')),
        formatCount(h.hops),
        ...percentileCells(h.lagMs),
      ]);
    }
    out.push(...textTable(rows, ['left', 'left', 'right', 'right', 'right', 'right']));
  }

  const { unpaired } = result;
  if (unpaired.clientsWithoutServer + unpaired.serversWithoutClient > 0) {
    out.push('', bold('Unpaired spans'));
    out.push(` ${formatCount(unpaired.clientsWithoutServer)} client spans without a server span (callee not instrumented?)`);
    for (const g of unpaired.clientGroups) out.push(`   ${formatCount(g.count)}  ${g.service} → ${g.target}`);
    out.push(` ${formatCount(unpaired.serversWithoutClient)} server spans whose parent is missing (caller not instrumented?)`);
    for (const g of unpaired.serverGroups) out.push(`   ${formatCount(g.count)}  ${g.service} ${g.target}`);
  }

  if (result.warnings.length > 0) {
    out.push('', bold(yellow(`Warnings (${result.warnings.length})`)));
    for (const w of result.warnings) out.push(...wrap(`- ${w.message}`, wrapAt, ' ', '   '));
  }
  return out.join('\n') + '\n';
}

/** Four rows per edge: the client call, the callee's span, its self time, and the boundary. */
function edgeRows(edges: readonly EdgeSummary[]): string[][] {
  const rows = [['#', 'EDGE', 'PAIRS', 'SPAN', 'p50', 'p95', 'p99', 'SHARE OF p99']];
  edges.forEach((e, i) => {
    const { tail } = e;
    rows.push(
      [String(i + 1), edgeName(e.caller, e.callee), formatCount(e.pairs), 'client', ...percentileCells(e.clientMs), ''],
      ['', e.operation, '', 'server', ...percentileCells(e.serverMs), formatShare(tail.runtimeShare)],
      ['', '', '', '└ self', ...percentileCells(e.serverSelfMs), formatShare(tail.runtimeShare * tail.selfShareOfRuntime)],
      ['', '', '', 'boundary', ...percentileCells(e.boundaryMs), formatShare(tail.boundaryShare)],
    );
  });
  return rows;
}

/** One line per finding, grouped the way a reviewer acts on them; a tick when there are none. */
function modelSection(check: ModelCheck, bold: Style, yellow: Style, width: number): string[] {
  const findings: string[] = [];
  for (const e of check.undeclaredEdges) {
    const why =
      e.reason === 'unknown-service'
        ? 'a service the model does not have'
        : e.reason === 'other-contract'
          ? `the model declares other calls from ${e.caller} to ${e.callee}, not this one`
          : `the model declares no call from ${e.caller} to ${e.callee}`;
    findings.push(`undeclared edge ${edgeName(e.caller, e.callee)} (${e.operation}): ${plural(e.pairs, 'pair')}; ${why}`);
  }
  for (const t of check.timeouts) {
    findings.push(
      `timeout ${edgeName(t.caller, t.callee)} (${t.contract}): p99 ${formatMs(t.p99ClientMs)} ms is over the declared per-try timeout of ${formatMs(t.timeoutMs)} ms`,
    );
  }
  for (const r of check.retries) {
    findings.push(
      `retries ${edgeName(r.caller, r.callee)} (${r.contract}): ${plural(r.calls, 'call')} retried more than the declared ${r.declaredRetries} (up to ${r.maxRetries})`,
    );
  }
  for (const d of check.deadlines) {
    findings.push(`deadline ${d.service}: p99 ${formatMs(d.p99Ms)} ms is over its deadline of ${formatMs(d.deadlineMs)} ms`);
  }
  for (const s of check.undeclaredServices) findings.push(`undeclared service ${s}: its spans name a service the model does not have`);

  const title = `Checked against the model ${check.system}: ${findings.length === 0 ? 'traces agree with it' : plural(findings.length, 'finding')}`;
  const out = [bold(findings.length === 0 ? title : yellow(title))];
  for (const f of findings) out.push(...wrap(`✗ ${f}`, width, ' ', '   '));
  if (check.unobservedEdges.length > 0) {
    const list = check.unobservedEdges.map((e) => `${edgeName(e.caller, e.callee)} (${e.contract})`).join(', ');
    out.push(...wrap(`not in the traces (nothing to check): ${list}`, width, ' ', '   '));
  }
  return out;
}

function formatPercent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}

function percentileCells(p: { p50: number; p95: number; p99: number }): string[] {
  return [formatMs(p.p50), formatMs(p.p95), formatMs(p.p99)];
}

/** Greedy word wrap; `first` prefixes the first line, `rest` (default: same) the others. */
function wrap(text: string, width: number, first: string, rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}
