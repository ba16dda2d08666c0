import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL, generateTraceLines, type FixtureCall } from '../support/trace-fixtures.js';
import { diagnose, type DiagnoseResult, type EdgeSummary } from '../../diagnose/index.js';
import { assertNear, quantile, tempDir, writeLines } from './helpers.js';

const TRACES = 5000;

function call(caller: string, callee: string): FixtureCall {
  const found = DEFAULT_MODEL.calls.find((c) => c.caller === caller && c.callee === callee);
  assert.ok(found, `${caller} → ${callee} in the model`);
  return found;
}

function edge(result: DiagnoseResult, caller: string, callee: string): EdgeSummary {
  const found = result.edges.find((e) => e.caller === caller && e.callee === callee);
  assert.ok(found, `edge ${caller} → ${callee} found`);
  return found;
}

describe('diagnose on the generated model (known answers)', () => {
  let result: DiagnoseResult;
  let asStrings: DiagnoseResult;
  let cleanup: () => Promise<void>;

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    const ints = await writeLines(path.join(tmp.dir, 'int.jsonl'), [...generateTraceLines({ seed: 11, traces: TRACES })]);
    const strings = await writeLines(
      path.join(tmp.dir, 'string.jsonl'),
      [...generateTraceLines({ seed: 11, traces: TRACES, kindAs: 'string' })],
    );
    result = await diagnose(ints);
    asStrings = await diagnose(strings);
  });
  after(() => cleanup());

  it('pairs every call and every message, with nothing left over', () => {
    assert.equal(result.totals.pairs, TRACES * DEFAULT_MODEL.calls.length);
    assert.equal(result.totals.hops, TRACES);
    for (const e of result.edges) assert.equal(e.pairs, TRACES);
    assert.deepEqual(result.unpaired, {
      clientsWithoutServer: 0,
      clientGroups: [],
      serversWithoutClient: 0,
      serverGroups: [],
      producersWithoutConsumer: 0,
      consumersWithoutProducer: 0,
    });
    assert.deepEqual(result.warnings, []);
  });

  it('measures the callee runtime and the boundary on gateway → ranking', () => {
    const model = call('gateway', 'ranking');
    const e = edge(result, 'gateway', 'ranking');
    assert.equal(e.operation, 'ranking.v1.Ranking/Rank');
    assert.equal(e.calleeLanguage, 'rust');
    assertNear(e.serverMs.p50, quantile(model.runtime, 0.5), 0.03, 'server p50');
    assertNear(e.serverMs.p95, quantile(model.runtime, 0.95), 0.03, 'server p95');
    assertNear(e.boundaryMs.p50, quantile(model.boundary, 0.5), 0.05, 'boundary p50');
    assertNear(e.boundaryMs.p95, quantile(model.boundary, 0.95), 0.05, 'boundary p95');
    assertNear(e.boundaryMs.p99, quantile(model.boundary, 0.99), 0.05, 'boundary p99');
    // ranking makes no calls, so its self time is its whole server span.
    assert.deepEqual(e.serverSelfMs, e.serverMs);
  });

  it('says the boundary is ≈ 60% of p99 on gateway → ranking', () => {
    const e = edge(result, 'gateway', 'ranking');
    assertNear(e.tail.boundaryShare, 0.6, 0.05, 'boundary share at p99');
    const verdict = result.verdicts.find((v) => v.caller === 'gateway' && v.callee === 'ranking');
    assert.ok(verdict);
    assert.equal(verdict.side, 'boundary');
    assert.match(verdict.summary, /^the boundary is (5[7-9]|6[0-3])% of p99 on gateway → ranking$/);
    assert.match(verdict.detail, /between gateway \(nodejs\) and ranking \(rust\)/);
  });

  it('blames the jwt-signer runtime on identity → jwt-signer', () => {
    const model = call('identity', 'jwt-signer');
    const e = edge(result, 'identity', 'jwt-signer');
    assertNear(e.serverSelfMs.p99, quantile(model.runtime, 0.99), 0.05, 'jwt-signer self p99');
    const verdict = result.verdicts.find((v) => v.callee === 'jwt-signer');
    assert.ok(verdict);
    assert.equal(verdict.side, 'runtime');
    assert.ok(verdict.share > 0.95, `runtime share ${verdict.share}`);
    assert.match(verdict.summary, /^the runtime \(jwt-signer\) is (9[5-9]|100)% of p99 on identity → jwt-signer$/);
    assert.match(verdict.detail, /Profile jwt-signer/);
  });

  it('ranks gateway → identity first and points past identity to jwt-signer', () => {
    assert.deepEqual(
      result.verdicts.map((v) => `${v.caller} → ${v.callee}`),
      ['gateway → identity', 'identity → jwt-signer', 'gateway → ranking'],
    );
    const first = result.verdicts[0]!;
    assert.equal(first.side, 'runtime');
    assert.ok(edge(result, 'gateway', 'identity').tail.selfShareOfRuntime < 0.2);
    assert.match(first.detail, /waiting on its downstream calls \(slowest: identity → jwt-signer/);
  });

  it('reports each runtime’s own time from server self time, excluding its downstream calls', () => {
    const self = new Map(result.services.map((s) => [s.service, s]));
    assert.equal(self.get('identity')?.language, 'go');
    assertNear(self.get('identity')!.selfMs.p50, quantile(call('gateway', 'identity').runtime, 0.5), 0.03, 'identity self p50');
    assertNear(self.get('gateway')!.selfMs.p50, quantile(DEFAULT_MODEL.entry.runtime, 0.5), 0.03, 'gateway self p50');
    assertNear(self.get('ranking')!.selfMs.p99, quantile(call('gateway', 'ranking').runtime, 0.99), 0.03, 'ranking self p99');
    assert.equal(self.get('gateway')!.serverSpans, TRACES);
  });

  it('measures NATS lag per subject', () => {
    const [hop] = result.hops;
    const model = DEFAULT_MODEL.messaging[0]!;
    assert.ok(hop);
    assert.equal(hop.subject, 'presence.updates');
    assert.deepEqual(hop.producers, ['presence-publisher']);
    assert.deepEqual(hop.consumers, ['presence']);
    assertNear(hop.lagMs.p50, quantile(model.lag, 0.5), 0.05, 'lag p50');
    assertNear(hop.lagMs.p99, quantile(model.lag, 0.99), 0.08, 'lag p99');
  });

  it('gives the same answer whether span kinds are integers or enum names', () => {
    // Only the file name and size differ ("SPAN_KIND_SERVER" is longer than 2).
    const normalize = (r: DiagnoseResult): DiagnoseResult => ({ ...r, file: '', totals: { ...r.totals, bytes: 0 } });
    assert.deepEqual(normalize(asStrings), normalize(result));
  });
});
