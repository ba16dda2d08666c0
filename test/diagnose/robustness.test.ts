import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  exportRequestLine,
  generateTraceLines,
  type FixtureService,
  type FixtureSpan,
} from '../support/trace-fixtures.js';
import { diagnose, DiagnoseInputError } from '../../diagnose/index.js';
import { RELATIVE_ACCURACY } from '../../diagnose/sketch.js';
import { assertNear, tempDir, writeLines } from './helpers.js';

const gateway: FixtureService = { name: 'gateway', language: 'nodejs' };
const ranking: FixtureService = { name: 'ranking', language: 'rust' };
const TRACE = '0af7651916cd43dd8448eb211c80319c';

/** A client span on the caller and its server child on the callee, times in ms. */
function call(
  id: number,
  client: [number, number],
  server: [number, number],
  trace = TRACE,
): { client: FixtureSpan; server: FixtureSpan } {
  const clientId = `c${String(id).padStart(15, '0')}`;
  const attributes = { 'rpc.service': 'ranking.v1.Ranking', 'rpc.method': 'Rank' };
  return {
    client: { traceId: trace, spanId: clientId, name: 'Rank', kind: 'client', start: client[0], end: client[1], attributes },
    server: {
      traceId: trace,
      spanId: `5${String(id).padStart(15, '0')}`,
      parentSpanId: clientId,
      name: 'Rank',
      kind: 'server',
      start: server[0],
      end: server[1],
      attributes,
    },
  };
}

function line(spans: { gateway?: FixtureSpan[]; ranking?: FixtureSpan[] }, kindAs: 'int' | 'string' = 'int'): string {
  return exportRequestLine(
    [
      ...(spans.gateway ? [{ service: gateway, spans: spans.gateway }] : []),
      ...(spans.ranking ? [{ service: ranking, spans: spans.ranking }] : []),
    ],
    { kindAs },
  );
}

describe('diagnose on messy input', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let n = 0;
  const file = (lines: readonly string[], terminated = true): Promise<string> =>
    writeLines(path.join(dir, `input-${++n}.jsonl`), lines, terminated);

  before(async () => ({ dir, cleanup } = await tempDir()));
  after(() => cleanup());

  it('warns about a truncated last line with its number and keeps what came before', async () => {
    const lines = [...generateTraceLines({ seed: 3, traces: 200 })];
    const last = lines.at(-1)!;
    const cut = [...lines.slice(0, -1), last.slice(0, last.length / 2)];
    const result = await diagnose(await file(cut, false));
    assert.equal(result.totals.skippedLines, 1);
    const warning = result.warnings.find((w) => w.code === 'truncated-line');
    assert.ok(warning);
    assert.equal(warning.line, cut.length);
    assert.match(warning.message, new RegExp(`^line ${cut.length}: the file ends mid-record`));
    assert.ok(result.totals.pairs > 0);
    assert.equal(result.verdicts.length, 3);
  });

  it('skips a malformed line in the middle, says which, and loses nothing else', async () => {
    const lines = [...generateTraceLines({ seed: 4, traces: 200 })];
    const clean = await diagnose(await file(lines));
    const broken = [...lines.slice(0, 2), '{"resourceSpans": [ oops', ...lines.slice(2)];
    const result = await diagnose(await file(broken));
    assert.deepEqual(
      result.warnings.map((w) => [w.code, w.line]),
      [['malformed-line', 3]],
    );
    assert.match(result.warnings[0]!.message, /^line 3: not valid JSON/);
    assert.deepEqual(result.edges, clean.edges);
  });

  it('skips lines that are JSON but not trace data', async () => {
    const [first] = [...generateTraceLines({ seed: 5, traces: 20 })];
    const result = await diagnose(await file(['{"resourceMetrics":[]}', '[1,2]', first!]));
    assert.deepEqual(
      result.warnings.map((w) => [w.code, w.line]),
      [
        ['not-traces', 1],
        ['not-traces', 2],
      ],
    );
    assert.match(result.warnings[0]!.message, /metrics or logs, not traces/);
  });

  it('counts server spans whose parent is missing and client spans nobody answered', async () => {
    const paired = call(1, [0, 10], [2, 8]);
    const orphanServer = call(2, [0, 10], [2, 8]).server;
    const lonelyClient: FixtureSpan = {
      ...call(3, [0, 10], [2, 8]).client,
      attributes: { 'server.address': 'payments:443' },
    };
    const root: FixtureSpan = { traceId: TRACE, spanId: 'aaaaaaaaaaaaaaaa', name: 'GET /', kind: 'server', start: 0, end: 12 };
    const result = await diagnose(
      await file([line({ gateway: [paired.client, lonelyClient, root], ranking: [paired.server, orphanServer] })]),
    );
    assert.equal(result.totals.pairs, 1);
    assert.equal(result.unpaired.clientsWithoutServer, 1);
    assert.deepEqual(result.unpaired.clientGroups, [{ service: 'gateway', target: 'payments:443', count: 1 }]);
    // The root server span (no parent at all) is an entry point, not a missing parent.
    assert.equal(result.unpaired.serversWithoutClient, 1);
    assert.deepEqual(result.unpaired.serverGroups, [{ service: 'ranking', target: 'ranking.v1.Ranking/Rank', count: 1 }]);
    assert.deepEqual(
      result.warnings.map((w) => w.code),
      ['unpaired-clients', 'unpaired-servers'],
    );
  });

  it('pairs the server before its client as well as after', async () => {
    const a = call(1, [0, 10], [1, 9]);
    const b = call(2, [20, 30], [21, 29]);
    const result = await diagnose(await file([line({ ranking: [a.server] }), line({ gateway: [a.client, b.client] }), line({ ranking: [b.server] })]));
    assert.equal(result.totals.pairs, 2);
    assert.equal(result.edges[0]!.boundaryMs.p50, 2);
  });

  it('clamps a negative boundary to 0 and explains the clock skew', async () => {
    const calls = [
      call(1, [0, 10], [-1, 11]),
      call(2, [0, 10], [2, 8]),
      call(3, [0, 10], [0, 10.5]),
      // Shorter than its client but starting before it: the clocks disagree, the durations don't.
      call(4, [0, 10], [-1, 5]),
    ];
    const result = await diagnose(
      await file([line({ gateway: calls.map((c) => c.client), ranking: calls.map((c) => c.server) })]),
    );
    const [e] = result.edges;
    assert.ok(e);
    assert.equal(e.clockSkewClamped, 2);
    assert.equal(e.clockSkewShifted, 1);
    assert.deepEqual(e.boundaryMs, { p50: 0, p95: 4, p99: 4 });
    assert.ok(e.tail.boundaryShare >= 0 && e.tail.boundaryShare <= 1);
    assert.deepEqual(
      result.warnings.map((w) => w.message),
      [
        '2 pairs on gateway → ranking had server spans longer than the client span: clock skew between hosts; boundary clamped to 0',
        "1 pair on gateway → ranking had server spans starting before or ending after the client span: the hosts' clocks " +
          'disagree; durations come from one clock each, so runtime and boundary are unaffected',
      ],
    );
  });

  it('reads span kinds as integers, enum names, short names and numeric strings', async () => {
    const raw = (kind: unknown, spanId: string, parentSpanId?: string): unknown => ({
      traceId: TRACE,
      spanId,
      parentSpanId,
      name: 'x',
      kind,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000002000000',
    });
    const request = (service: string, spans: unknown[]): string =>
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
            scopeSpans: [{ spans }],
          },
        ],
      });
    const result = await diagnose(
      await file([
        request('a', [raw(3, '0000000000000001'), raw('SPAN_KIND_CLIENT', '0000000000000002'), raw('CLIENT', '0000000000000003'), raw('3', '0000000000000004')]),
        request('b', [
          raw(2, '0000000000000011', '0000000000000001'),
          raw('SPAN_KIND_SERVER', '0000000000000012', '0000000000000002'),
          raw('server', '0000000000000013', '0000000000000003'),
          raw('2', '0000000000000014', '0000000000000004'),
        ]),
      ]),
    );
    assert.equal(result.totals.pairs, 4);
    assert.equal(result.edges[0]!.caller, 'a');
  });

  it('keeps nanosecond precision on timestamps beyond 2^53', async () => {
    const request = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] },
          scopeSpans: [
            {
              spans: [
                { traceId: TRACE, spanId: '01', kind: 3, name: 'c', startTimeUnixNano: '1700000000000000001', endTimeUnixNano: '1700000000000003002' },
              ],
            },
          ],
        },
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'b' } },
              { key: 'service.namespace', value: { stringValue: 'shop' } },
            ],
          },
          scopeSpans: [
            {
              spans: [
                { traceId: TRACE, spanId: '02', parentSpanId: '01', kind: 2, name: 's', startTimeUnixNano: '1700000000000000502', endTimeUnixNano: '1700000000000002502' },
              ],
            },
          ],
        },
      ],
    });
    const [e] = (await diagnose(await file([request]))).edges;
    assert.ok(e);
    assert.equal(e.callee, 'shop/b');
    assert.equal(e.clientMs.p50, 0.003); // 3001 ns, rounded to the µs
    assert.equal(e.serverMs.p50, 0.002);
    assert.equal(e.boundaryMs.p50, 0.001);
  });

  it('excludes outgoing calls made under in-process spans from the server self time', async () => {
    const inbound = call(1, [0, 100], [5, 95]);
    const outbound = call(2, [30, 70], [35, 65]);
    const handler: FixtureSpan = {
      traceId: TRACE,
      spanId: 'ffffffffffffffff',
      parentSpanId: inbound.server.spanId,
      name: 'handle',
      kind: 'internal',
      start: 10,
      end: 90,
    };
    const viaHandler = { ...outbound.client, parentSpanId: handler.spanId };
    // ranking receives `inbound` and, inside its handler span, calls gateway back with `outbound`.
    const result = await diagnose(
      await file([
        line({ ranking: [viaHandler, handler, inbound.server] }),
        line({ gateway: [inbound.client, outbound.server] }),
      ]),
    );
    const rankingSelf = result.services.find((s) => s.service === 'ranking');
    assert.equal(rankingSelf?.selfMs.p50, 90 - 40);
    assert.equal(result.edges.find((e) => e.callee === 'ranking')?.serverSelfMs.p50, 50);
  });

  it('pairs NATS consumers with producers by parent or by span link', async () => {
    const producer = (spanId: string, trace = TRACE): FixtureSpan => ({
      traceId: trace,
      spanId,
      name: 'presence.updates publish',
      kind: 'producer',
      start: 0,
      end: 1,
      attributes: { 'messaging.destination.name': 'presence.updates' },
    });
    const consumer = (spanId: string, start: number, more: Partial<FixtureSpan>): FixtureSpan => ({
      traceId: TRACE,
      spanId,
      name: 'presence.updates process',
      kind: 'consumer',
      start,
      end: start + 1,
      ...more,
    });
    const other = '1111111111111111aaaaaaaaaaaaaaaa';
    const presence: FixtureService = { name: 'presence', language: 'erlang' };
    const publisher: FixtureService = { name: 'presence-publisher', language: 'go' };
    const result = await diagnose(
      await file([
        exportRequestLine([
          {
            service: presence,
            spans: [
              consumer('c000000000000001', 2, { parentSpanId: 'p000000000000001' }),
              consumer('c000000000000002', 5, { links: [{ traceId: other, spanId: 'p000000000000002' }] }),
              // Fan-out: a second subscriber of the first message.
              consumer('c000000000000003', 3, { parentSpanId: 'p000000000000001' }),
              // Consumer that started "before" its producer: clock skew.
              consumer('c000000000000004', -1, { parentSpanId: 'p000000000000003' }),
            ],
          },
        ]),
        exportRequestLine([
          { service: publisher, spans: [producer('p000000000000001'), producer('p000000000000002', other), producer('p000000000000003')] },
        ]),
      ]),
    );
    assert.equal(result.totals.hops, 4);
    const [hop] = result.hops;
    assert.ok(hop);
    assert.equal(hop.subject, 'presence.updates');
    assert.equal(hop.negativeLagClamped, 1);
    // Lags 0, 2, 3, 5 ms; the sketch's quantile rank is q·(n − 1) rounded down, within 1%.
    assertNear(hop.lagMs.p50, 2, RELATIVE_ACCURACY, 'p50');
    assertNear(hop.lagMs.p95, 3, RELATIVE_ACCURACY, 'p95');
    assertNear(hop.lagMs.p99, 3, RELATIVE_ACCURACY, 'p99');
    assert.deepEqual(result.warnings.map((w) => w.code), ['negative-lag']);
  });

  it('gives up on spans older than the window and reports them as unpaired', async () => {
    const first = call(0, [0, 10], [2, 8], 'f'.repeat(32));
    const filler = Array.from({ length: 3000 }, (_, i) => call(i + 1, [0, 10], [2, 8], (i + 1).toString(16).padStart(32, '0')));
    const lines = [
      line({ gateway: [first.client] }),
      ...filler.map((c) => line({ gateway: [c.client], ranking: [c.server] })),
      line({ ranking: [first.server] }),
    ];
    const small = await diagnose(await file(lines), { window: 1024 });
    assert.equal(small.totals.pairs, 3000);
    assert.equal(small.unpaired.clientsWithoutServer, 1);
    assert.equal(small.unpaired.serversWithoutClient, 1);
    const roomy = await diagnose(await file(lines));
    assert.equal(roomy.totals.pairs, 3001);
  });

  it('says so when the file is empty', async () => {
    const result = await diagnose(await file([]));
    assert.equal(result.totals.lines, 0);
    assert.deepEqual(result.edges, []);
    assert.equal(result.warnings.at(-1)?.code, 'no-data');
    assert.match(result.warnings.at(-1)!.message, /is empty/);
  });

  it('says so when there are spans but no pairs', async () => {
    const lonely = call(1, [0, 10], [2, 8]).client;
    const result = await diagnose(await file([line({ gateway: [lonely] })]));
    assert.equal(result.totals.spans, 1);
    assert.match(result.warnings.at(-1)!.message, /no CLIENT span with a SERVER child/);
  });

  it('counts spans without ids or times instead of failing', async () => {
    const good = call(1, [0, 10], [2, 8]);
    const request = JSON.parse(line({ gateway: [good.client, call(2, [0, 10], [2, 8]).client], ranking: [good.server] }));
    delete request.resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano;
    const result = await diagnose(await file([JSON.stringify(request)]));
    assert.equal(result.totals.pairs, 1);
    assert.equal(result.totals.invalidSpans, 1);
    assert.match(result.warnings[0]!.message, /^1 span had no traceId\/spanId or no valid start\/end time and was skipped/);
  });

  it('throws a DiagnoseInputError for a missing file or a directory', async () => {
    await assert.rejects(diagnose(path.join(dir, 'nope.jsonl')), (error: unknown) => {
      assert.ok(error instanceof DiagnoseInputError);
      assert.match(error.message, /^no such file: .*nope\.jsonl$/);
      return true;
    });
    await assert.rejects(diagnose(dir), /is a directory/);
  });
});
