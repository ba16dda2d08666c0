import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagnose, type DiagnoseResult } from '../../diagnose/index.js';
import { QuantileSketch, RELATIVE_ACCURACY } from '../../diagnose/sketch.js';
import { DEFAULT_MODEL, generateTraceLines } from '../support/trace-fixtures.js';
import { seeded, tempDir, writeLines } from './helpers.js';

const QS = [0.5, 0.95, 0.99] as const;
const NAMES = ['p50', 'p95', 'p99'] as const;

/** The exact value the sketch approximates: rank q·(n − 1) rounded down, as DDSketch defines it. */
function exact(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function assertWithinBound(actual: number, expected: number, what: string): void {
  // 1e-9 ms of slack for the rounding of reported milliseconds to the nanosecond.
  const bound = RELATIVE_ACCURACY * Math.abs(expected) + 1e-3;
  assert.ok(Math.abs(actual - expected) <= bound, `${what}: ${actual} is not within ${RELATIVE_ACCURACY * 100}% of the exact ${expected}`);
}

describe('QuantileSketch', () => {
  it('is within its relative error of the exact percentiles on skewed random data', () => {
    const rand = seeded(3);
    for (let round = 0; round < 20; round++) {
      const sketch = new QuantileSketch();
      const values: number[] = [];
      const n = 1 + Math.floor(rand() * 5000);
      for (let i = 0; i < n; i++) {
        // Log-uniform over six decades, with a few exact zeros: durations look like this.
        const v = rand() < 0.02 ? 0 : 10 ** (3 + 6 * rand());
        values.push(v);
        sketch.add(v);
      }
      for (const q of QS) assertWithinBound(sketch.quantile(q), exact(values, q), `round ${round}, n ${n}, q ${q}`);
    }
  });

  it('merges: two halves give the percentiles of the whole', () => {
    const rand = seeded(4);
    const whole = new QuantileSketch();
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    for (let i = 0; i < 10_000; i++) {
      const v = 1e6 * (1 + 99 * rand() ** 3);
      whole.add(v);
      (i % 3 === 0 ? a : b).add(v);
    }
    a.merge(b);
    for (const q of QS) assert.equal(a.quantile(q), whole.quantile(q));
    assert.equal(a.count, 10_000);
  });

  it('ignores NaN and is NaN when empty', () => {
    const sketch = new QuantileSketch();
    assert.ok(Number.isNaN(sketch.quantile(0.5)));
    sketch.add(Number.NaN);
    assert.equal(sketch.count, 0);
  });
});

interface RawSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  service: string;
  start: bigint;
  end: bigint;
  subject?: string;
}

/** Every span of a fixture file, decoded the slow, obvious way. */
function rawSpans(lines: readonly string[]): RawSpan[] {
  const out: RawSpan[] = [];
  for (const line of lines) {
    for (const rs of JSON.parse(line).resourceSpans) {
      const service = rs.resource.attributes.find((a: { key: string }) => a.key === 'service.name').value.stringValue;
      for (const scope of rs.scopeSpans) {
        for (const s of scope.spans) {
          const subject = s.attributes.find((a: { key: string }) => a.key === 'messaging.destination.name')?.value.stringValue;
          out.push({ ...s, service, start: BigInt(s.startTimeUnixNano), end: BigInt(s.endTimeUnixNano), subject });
        }
      }
    }
  }
  return out;
}

const ms = (ns: bigint): number => Number(ns) / 1e6;

describe('diagnose percentiles against exact ones on the fixture', () => {
  let result: DiagnoseResult;
  let spans: RawSpan[];
  let cleanup: () => Promise<void>;

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    const lines = [...generateTraceLines({ seed: 21, traces: 4000 })];
    spans = rawSpans(lines);
    result = await diagnose(await writeLines(path.join(tmp.dir, 'traces.jsonl'), lines));
  });
  after(() => cleanup());

  it('every edge: client, server and boundary within the bound', () => {
    const byId = new Map(spans.map((s) => [s.traceId + s.spanId, s]));
    const samples = new Map<string, { client: number[]; server: number[]; boundary: number[] }>();
    for (const server of spans) {
      if (server.kind !== 2 || !server.parentSpanId) continue;
      const client = byId.get(server.traceId + server.parentSpanId)!;
      const key = `${client.service} → ${server.service}`;
      const s = samples.get(key) ?? { client: [], server: [], boundary: [] };
      samples.set(key, s);
      const c = ms(client.end - client.start);
      const d = ms(server.end - server.start);
      s.client.push(c);
      s.server.push(d);
      s.boundary.push(Math.max(0, c - d));
    }
    assert.equal(result.edges.length, DEFAULT_MODEL.calls.length);
    for (const edge of result.edges) {
      const s = samples.get(`${edge.caller} → ${edge.callee}`)!;
      assert.equal(edge.pairs, s.client.length);
      QS.forEach((q, i) => {
        assertWithinBound(edge.clientMs[NAMES[i]!], exact(s.client, q), `${edge.caller} → ${edge.callee} client ${NAMES[i]}`);
        assertWithinBound(edge.serverMs[NAMES[i]!], exact(s.server, q), `${edge.caller} → ${edge.callee} server ${NAMES[i]}`);
        assertWithinBound(edge.boundaryMs[NAMES[i]!], exact(s.boundary, q), `${edge.caller} → ${edge.callee} boundary ${NAMES[i]}`);
      });
    }
  });

  it('every service and messaging subject within the bound', () => {
    for (const service of result.services) {
      const durations = spans.filter((s) => s.kind === 2 && s.service === service.service).map((s) => ms(s.end - s.start));
      QS.forEach((q, i) => assertWithinBound(service.durationMs[NAMES[i]!], exact(durations, q), `${service.service} ${NAMES[i]}`));
    }
    const producers = new Map(spans.filter((s) => s.kind === 4).map((s) => [s.traceId + s.spanId, s]));
    for (const hop of result.hops) {
      const lags = spans
        .filter((s) => s.kind === 5 && s.subject === hop.subject)
        .map((c) => Math.max(0, ms(c.start - producers.get(c.traceId + c.parentSpanId)!.start)));
      QS.forEach((q, i) => assertWithinBound(hop.lagMs[NAMES[i]!], exact(lags, q), `${hop.subject} ${NAMES[i]}`));
    }
  });

  it('says so in the result', () => {
    assert.equal(result.percentileRelativeError, RELATIVE_ACCURACY);
  });
});
