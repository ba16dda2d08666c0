import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChildIntervals, ClientEntry, isClient, isServer, ServerEntry } from '../../diagnose/pairing-entries.js';
import { SpanKind, type SpanRecord } from '../../diagnose/span.js';

const children = (c: ChildIntervals): [number, number, string][] =>
  Array.from({ length: c.childCount }, (_, i) => [c.children[2 * i]!, c.children[2 * i + 1]!, c.childOps[i]!]);

const span = (start: number, end: number): SpanRecord => ({
  traceId: 't',
  spanId: 's',
  parentSpanId: '',
  kind: SpanKind.Server,
  service: { id: 'svc', language: undefined },
  name: 'GET /',
  operation: 'a.v1.A/Get',
  peer: undefined,
  destination: undefined,
  links: undefined,
  start,
  end,
});

describe('pairing entries', () => {
  it('ChildIntervals appends children and other sets in order, and reuse forgets old ones', () => {
    const a = new ChildIntervals();
    a.addChild(1, 2, 'x');
    a.addChild(3, 5, '');
    const b = new ChildIntervals();
    b.addChild(0, 9, 'y');
    b.addAll(a);
    assert.deepEqual(children(b), [[0, 9, 'y'], [1, 2, 'x'], [3, 5, '']]);
    // Reused: the arrays keep old values past childCount, which must not count.
    b.childCount = 0;
    b.addChild(7, 8, 'z');
    assert.deepEqual(children(b), [[7, 8, 'z']]);
    a.addAll(b);
    assert.deepEqual(children(a), [[1, 2, 'x'], [3, 5, ''], [7, 8, 'z']]);
  });

  it('a recycled ServerEntry starts over: no children, self, pair or waiting from its last span', () => {
    const entry = new ServerEntry<string>().fill(span(10, 20));
    entry.addChild(11, 12, 'x');
    entry.self = 9;
    entry.pair = 'handle';
    entry.waiting = true;
    entry.fill(span(30, 45));
    assert.deepEqual([entry.start, entry.end, entry.childCount, entry.pair, entry.waiting], [30, 45, 0, undefined, false]);
    assert.ok(Number.isNaN(entry.self));
    assert.deepEqual(children(entry), []);
  });

  it('tells client entries from server entries', () => {
    const client = new ClientEntry().fill(span(1, 2));
    const server = new ServerEntry<string>();
    assert.ok(isClient(client) && !isServer(client));
    assert.ok(isServer(server) && !isClient(server));
    assert.equal(client.operation, 'a.v1.A/Get');
  });
});
