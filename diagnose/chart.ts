import { edgeName, formatMs, formatShare } from './format.js';
import type { DiagnoseResult, EdgeSummary } from './result.js';

/** Options for {@link renderChart}. */
export interface ChartOptions {
  /**
   * How many edges (slowest p99 first) get a bar.
   * @default 5
   */
  top?: number;
  /**
   * Width of the image in pixels (the bars get what the labels leave, at least 100).
   * @default 880
   */
  width?: number;
}

const RUNTIME_COLOR = '#4e79a7';
const BOUNDARY_COLOR = '#f28e2b';
const LABEL_WIDTH = 270;
const RIGHT_MARGIN = 90;
const HEADER_HEIGHT = 74;
const ROW_HEIGHT = 46;
const BAR_HEIGHT = 22;
const AXIS_HEIGHT = 34;
/** Segments narrower than this get no percentage inside them: it would not fit. */
const MIN_LABELLED_SEGMENT = 40;
/** Label lengths that fit in LABEL_WIDTH at the label font sizes. */
const EDGE_MAX_CHARS = 34;
const OPERATION_MAX_CHARS = 40;

/**
 * Renders the slowest edges as horizontal stacked bars of their p99 client duration, split
 * into runtime (the callee's server span) and boundary (everything between the services).
 *
 * Output depends only on the result: no timestamps, ids or locale-dependent formatting, so
 * the same input gives byte-identical SVG.
 */
export function renderChart(result: DiagnoseResult, options: ChartOptions = {}): string {
  const edges = result.edges.slice(0, options.top ?? 5);
  const width = options.width ?? 880;
  const plotWidth = Math.max(100, width - LABEL_WIDTH - RIGHT_MARGIN);
  const height = HEADER_HEIGHT + Math.max(1, edges.length) * ROW_HEIGHT + AXIS_HEIGHT;
  const maxMs = Math.max(0, ...edges.map((e) => e.tail.p99ClientMs));
  const { step, max: axisMax } = niceAxis(maxMs);
  const x = (ms: number): number => LABEL_WIDTH + (axisMax > 0 ? (ms / axisMax) * plotWidth : 0);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<title>p99 client latency per edge: runtime vs boundary</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="bold" fill="#222">p99 client latency per edge: runtime vs boundary</text>`,
    legend(16, 50, RUNTIME_COLOR, 'runtime (callee server span)'),
    legend(236, 50, BOUNDARY_COLOR, 'boundary (network, serialization, queueing)'),
  ];

  const axisY = HEADER_HEIGHT + Math.max(1, edges.length) * ROW_HEIGHT;
  const ticks = step > 0 ? Math.round(axisMax / step) : 0;
  for (let i = 0; i <= ticks; i++) {
    // Multiplying (not accumulating) keeps 0.2-style steps free of float drift.
    const tick = i * step;
    const tx = num(x(tick));
    parts.push(
      `<line x1="${tx}" y1="${HEADER_HEIGHT - 6}" x2="${tx}" y2="${axisY}" stroke="#e3e3e3"/>`,
      `<text x="${tx}" y="${axisY + 16}" text-anchor="middle" fill="#555">${Number(tick.toPrecision(6))}${i === 0 ? '' : ' ms'}</text>`,
    );
  }

  if (edges.length === 0) {
    parts.push(
      `<text x="${num(width / 2)}" y="${HEADER_HEIGHT + ROW_HEIGHT / 2}" text-anchor="middle" fill="#555">no client → server pairs found</text>`,
    );
  }
  edges.forEach((edge, i) => parts.push(bar(edge, HEADER_HEIGHT + i * ROW_HEIGHT, x)));
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function bar(edge: EdgeSummary, top: number, x: (ms: number) => number): string {
  const { tail } = edge;
  const runtimeMs = tail.p99ClientMs * tail.runtimeShare;
  const y = top + (ROW_HEIGHT - BAR_HEIGHT) / 2;
  const x0 = x(0);
  const x1 = x(runtimeMs);
  const x2 = x(tail.p99ClientMs);
  const out = [
    `<g>`,
    `<title>${escape(`${edgeName(edge.caller, edge.callee)} ${edge.operation}: p99 ${formatMs(tail.p99ClientMs)} ms, ` +
      `runtime ${formatShare(tail.runtimeShare)}, boundary ${formatShare(tail.boundaryShare)}`)}</title>`,
    `<text x="16" y="${num(top + 19)}" font-weight="bold" fill="#222">${escape(truncate(edgeName(edge.caller, edge.callee), EDGE_MAX_CHARS))}</text>`,
    `<text x="16" y="${num(top + 35)}" font-size="11" fill="#666">${escape(truncate(edge.operation, OPERATION_MAX_CHARS))}</text>`,
    `<rect x="${num(x0)}" y="${num(y)}" width="${num(x1 - x0)}" height="${BAR_HEIGHT}" fill="${RUNTIME_COLOR}"/>`,
    `<rect x="${num(x1)}" y="${num(y)}" width="${num(x2 - x1)}" height="${BAR_HEIGHT}" fill="${BOUNDARY_COLOR}"/>`,
  ];
  const textY = num(y + BAR_HEIGHT / 2 + 4);
  if (x1 - x0 >= MIN_LABELLED_SEGMENT) {
    out.push(`<text x="${num((x0 + x1) / 2)}" y="${textY}" text-anchor="middle" fill="#ffffff">${formatShare(tail.runtimeShare)}</text>`);
  }
  if (x2 - x1 >= MIN_LABELLED_SEGMENT) {
    out.push(`<text x="${num((x1 + x2) / 2)}" y="${textY}" text-anchor="middle" fill="#ffffff">${formatShare(tail.boundaryShare)}</text>`);
  }
  out.push(`<text x="${num(x2 + 6)}" y="${textY}" fill="#222">${formatMs(tail.p99ClientMs)} ms</text>`, `</g>`);
  return out.join('\n');
}

function legend(x: number, y: number, color: string, label: string): string {
  return (
    `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${color}"/>` +
    `<text x="${x + 18}" y="${y}" fill="#333">${escape(label)}</text>`
  );
}

/** An axis maximum and tick step of 1, 2 or 5 × 10^k with about five ticks. */
function niceAxis(max: number): { step: number; max: number } {
  if (!(max > 0)) return { step: 0, max: 0 };
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const f = raw / magnitude;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
  return { step, max: Math.ceil(max / step - 1e-9) * step };
}

/** Coordinates with one decimal: enough for pixels, short, and stable across platforms. */
function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
