import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanKey, TraceReader } from '../../diagnose/span-key.js';

const TRACE = '0123456789abcdeffedcba9876543210';
const SPAN = '89abcdef01234567';

describe('SpanKey', () => {
  it('reads canonical lowercase hex ids into words, most significant first', () => {
    const key = new SpanKey().set(TRACE, SPAN);
    assert.equal(key.exotic, undefined);
    assert.deepEqual(
      [...key.words].map((w) => w >>> 0),
      [0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210, 0x89abcdef, 0x01234567],
    );
  });

  it('keeps anything else as exact text: uppercase, other lengths, non-hex characters', () => {
    for (const [trace, span] of [
      [TRACE.toUpperCase(), SPAN],
      [TRACE, SPAN.toUpperCase()],
      [TRACE.slice(1), SPAN],
      [TRACE, `${SPAN}0`],
      [TRACE, 'g9abcdef01234567'],
      [`${TRACE.slice(0, 31)}z`, SPAN],
      ['t1', 's1'],
    ] as const) {
      const key = new SpanKey().set(trace, span);
      assert.equal(key.exotic, `${trace}\u0000${span}`, `${trace} / ${span}`);
      assert.deepEqual([...key.words], [0, 0, 0, 0, 0, 0]);
    }
  });

  it('gives equal ids equal hashes and tells apart ids that share a part', () => {
    const a = new SpanKey().set(TRACE, SPAN).hash;
    assert.equal(new SpanKey().set(TRACE, SPAN).hash, a);
    assert.notEqual(new SpanKey().set(TRACE, '89abcdef01234566').hash, a, 'another span of the trace');
    assert.notEqual(new SpanKey().set(`f${TRACE.slice(1)}`, SPAN).hash, a, 'the same span id in another trace');
    const ab = new SpanKey().set('ab', 'c');
    const a_bc = new SpanKey().set('a', 'bc');
    assert.notEqual(ab.exotic, a_bc.exotic);
  });

  it('shares one trace reading between keys without mixing up traces', () => {
    const traces = new TraceReader();
    const own = new SpanKey(traces);
    const parent = new SpanKey(traces);
    own.set(TRACE, SPAN);
    parent.set(TRACE, '0000000000000001');
    assert.deepEqual([...parent.words.subarray(0, 4)], [...own.words.subarray(0, 4)]);
    // An exotic trace in between must not leave its (absent) words behind for the next one.
    own.set('not-hex', SPAN);
    assert.equal(own.exotic, `not-hex\u0000${SPAN}`);
    parent.set(TRACE, SPAN);
    assert.equal(parent.exotic, undefined);
    assert.equal(parent.words[0]! >>> 0, 0x01234567);
    // A canonical trace with an exotic span id makes an exotic key; the next canonical one is whole again.
    own.set(TRACE, 'S1');
    assert.equal(own.exotic, `${TRACE}\u0000S1`);
    own.set(TRACE, SPAN);
    assert.deepEqual([...own.words, own.exotic], [...parent.words, undefined]);
  });
});
