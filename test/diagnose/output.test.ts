import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportRequestLine, generateTraceLines } from '../support/trace-fixtures.js';
import { diagnose, renderChart, renderReport, type DiagnoseResult } from '../../diagnose/index.js';
import { tempDir, writeLines } from './helpers.js';

/**
 * A small well-formedness check: every tag closes in order, attributes are quoted, and only
 * the XML entities are used. Enough to catch broken escaping or a missing `</g>`.
 */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos);)/g;
  let match: RegExpExecArray | null;
  let roots = 0;
  while ((match = token.exec(xml)) !== null) {
    const [whole, closing, name, , selfClosing] = match;
    if (name === undefined) assert.fail(`stray ${whole} at ${match.index}: ${xml.slice(match.index, match.index + 40)}`);
    if (closing) assert.equal(stack.pop(), name, `unbalanced </${name}> at ${match.index}`);
    else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    }
  }
  assert.deepEqual(stack, [], 'unclosed tags');
  assert.equal(roots, 1, 'exactly one root element');
}

describe('chart and report', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let result: DiagnoseResult;

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    result = await diagnose(await writeLines(path.join(dir, 'a.jsonl'), [...generateTraceLines({ seed: 9, traces: 500 })]));
  });
  after(() => cleanup());

  it('draws one stacked runtime/boundary bar per top edge, as well-formed SVG', () => {
    const svg = renderChart(result);
    assertWellFormedXml(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(svg.match(/fill="#4e79a7"\/>/g)?.length, 3 + 1, 'runtime bars + legend');
    assert.equal(svg.match(/fill="#f28e2b"\/>/g)?.length, 3 + 1, 'boundary bars + legend');
    for (const e of result.edges) assert.ok(svg.includes(`${e.caller} → ${e.callee}`));
    assert.equal(renderChart(result, { top: 1 }).match(/<g>/g)?.length, 1);
  });

  it('is byte-identical for the same input', async () => {
    const again = await diagnose(await writeLines(path.join(dir, 'b.jsonl'), [...generateTraceLines({ seed: 9, traces: 500 })]));
    assert.equal(renderChart(again), renderChart(result));
  });

  it('escapes labels and still renders with no edges', async () => {
    const span = { traceId: 'ab'.repeat(16), start: 0, end: 5, attributes: {} };
    const odd = await diagnose(
      await writeLines(path.join(dir, 'odd.jsonl'), [
        exportRequestLine([
          {
            service: { name: 'a&b', language: 'go' },
            spans: [{ ...span, spanId: '1'.repeat(16), name: 'GET /x?<y>&"z"', kind: 'client' }],
          },
          {
            service: { name: "c'd", language: 'rust' },
            spans: [{ ...span, spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), name: 'GET /x?<y>&"z"', kind: 'server' }],
          },
        ]),
      ]),
    );
    const svg = renderChart(odd);
    assertWellFormedXml(svg);
    assert.ok(svg.includes('a&amp;b → c&apos;d'));
    assert.ok(svg.includes('GET /x?&lt;y&gt;&amp;&quot;z&quot;'));
    assertWellFormedXml(renderChart({ ...odd, edges: [] }));
  });

  it('renders an aligned, colourless table by default', () => {
    const report = renderReport(result);
    assert.ok(!report.includes('\x1b['));
    const lines = report.split('\n');
    const header = lines.find((l) => l.includes('SHARE OF p99'));
    assert.ok(header);
    const p99Column = header.indexOf('p99') + 'p99'.length;
    const rows = lines.filter((l) => / (client|server|└ self|boundary)  /.test(l));
    assert.equal(rows.length, 3 * 4);
    // Right-aligned numbers end in the same column as their header.
    for (const row of rows) assert.match(row.slice(p99Column - 1, p99Column), /\d/, row);
    assert.match(report, /Verdicts\n 1\. the runtime \(identity\) is \d+% of p99 on gateway → identity/);
    assert.match(report, /presence\.updates\s+presence-publisher → presence/);
  });

  it('colours only when asked to', () => {
    assert.ok(renderReport(result, { color: true }).includes('\x1b[1m'));
  });
});
