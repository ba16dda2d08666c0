import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanKey } from '../../diagnose/span-key.js';
import { SpanKeyTable } from '../../diagnose/span-key-table.js';
import { mulberry32 } from '../support/prng.js';

const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');
const TRACE_A = hex(0xa, 32);
const TRACE_B = hex(0xb, 32);

/** A fresh key; `hash` forces collisions when given (the table must not rely on hashes differing). */
function key(traceId: string, spanId: string, hash?: number): SpanKey {
  const k = new SpanKey().set(traceId, spanId);
  if (hash !== undefined) k.hash = hash;
  return k;
}

function evicted<V>(table: SpanKeyTable<V>, limit: number): V[] {
  const out: V[] = [];
  table.evictBefore(limit, (v) => out.push(v));
  return out;
}

describe('SpanKeyTable', () => {
  it('stores, finds, replaces and deletes by trace and span id', () => {
    const table = new SpanKeyTable<string>();
    assert.equal(table.get(key(TRACE_A, hex(1, 16))), undefined);
    table.set(key(TRACE_A, hex(1, 16)), 'a1', 1);
    table.set(key(TRACE_B, hex(1, 16)), 'b1', 2);
    table.set(key(TRACE_A, hex(2, 16)), 'a2', 3);
    assert.equal(table.size, 3);
    assert.equal(table.get(key(TRACE_A, hex(1, 16))), 'a1');
    assert.equal(table.get(key(TRACE_B, hex(1, 16))), 'b1', 'the same span id in another trace is another entry');
    assert.equal(table.get(key(TRACE_B, hex(2, 16))), undefined);
    table.delete(key(TRACE_A, hex(1, 16)));
    assert.equal(table.get(key(TRACE_A, hex(1, 16))), undefined);
    assert.equal(table.get(key(TRACE_B, hex(1, 16))), 'b1');
    table.delete(key(TRACE_A, hex(9, 16)));
    assert.equal(table.size, 2, 'deleting a missing key changes nothing');
  });

  it('never takes an exotic key for a canonical one, even with equal hashes', () => {
    const table = new SpanKeyTable<string>();
    const lower = key(TRACE_A, 'abcdef0123456789', 7);
    const upper = key(TRACE_A, 'ABCDEF0123456789', 7);
    table.set(lower, 'lower', 1);
    assert.equal(table.get(upper), undefined);
    table.set(upper, 'upper', 2);
    assert.equal(table.get(lower), 'lower');
    assert.equal(table.get(upper), 'upper');
    table.set(key('t1', 's1', 7), 'exotic', 3);
    assert.equal(table.get(key('t1', 's1', 7)), 'exotic');
    assert.equal(table.get(key('t1', 's2', 7)), undefined);
    // Exotic keys store zero words: an all-zero canonical key must still not match one.
    assert.equal(table.get(key(hex(0, 32), hex(0, 16), 7)), undefined);
  });

  it('finds every entry of a probe run after deletions in its middle, also across the end of the slots', () => {
    const table = new SpanKeyTable<number>();
    // 1024 slots at first: hashes 1022 and 1023 run over the end and wrap to slot 0 onwards.
    const homes = [1022, 1022, 1023, 1022, 1023, 0, 1, 0, 1022];
    const keys = homes.map((home, i) => key(TRACE_A, hex(i + 1, 16), home));
    keys.forEach((k, i) => table.set(k, i, i));
    for (const gone of [1, 3, 5, 0]) {
      table.delete(keys[gone]!);
      keys.forEach((k, i) => {
        const deleted = [1, 3, 5, 0].slice(0, [1, 3, 5, 0].indexOf(gone) + 1).includes(i);
        assert.equal(table.get(k), deleted ? undefined : i, `entry ${i} after deleting ${gone}`);
      });
    }
  });

  it('takes an entry out in one lookup, or only when the value is wanted', () => {
    const table = new SpanKeyTable<string>();
    table.set(key(TRACE_A, hex(1, 16)), 'client', 1);
    table.set(key(TRACE_A, hex(2, 16)), 'server', 2);
    const isServer = (v: string): v is 'server' => v === 'server';
    assert.equal(table.takeIf(key(TRACE_A, hex(1, 16)), isServer), undefined);
    assert.equal(table.get(key(TRACE_A, hex(1, 16))), 'client', 'an unwanted value stays');
    assert.equal(table.takeIf(key(TRACE_A, hex(2, 16)), isServer), 'server');
    assert.equal(table.get(key(TRACE_A, hex(2, 16))), undefined);
    assert.equal(table.take(key(TRACE_A, hex(1, 16))), 'client');
    assert.equal(table.take(key(TRACE_A, hex(1, 16))), undefined);
    assert.equal(table.size, 0);
    assert.deepEqual(evicted(table, Number.POSITIVE_INFINITY), [], 'taken entries are not evicted later');
  });

  it('evicts in store order, keeps a replaced entry in its place with its new sequence number', () => {
    const table = new SpanKeyTable<string>();
    table.set(key(TRACE_A, hex(1, 16)), 'first', 1);
    table.set(key(TRACE_A, hex(2, 16)), 'second', 2);
    table.set(key(TRACE_A, hex(3, 16)), 'third', 3);
    table.set(key(TRACE_A, hex(1, 16)), 'first again', 10);
    // Like a Map scanned from the front: the replaced entry, now young, stops the scan.
    assert.deepEqual(evicted(table, 5), []);
    table.delete(key(TRACE_A, hex(1, 16)));
    assert.deepEqual(evicted(table, 5), ['second', 'third']);
    assert.equal(table.size, 0);
  });

  it('lets the eviction callback use the table', () => {
    const table = new SpanKeyTable<string>();
    table.set(key(TRACE_A, hex(1, 16)), 'one', 1);
    table.set(key(TRACE_A, hex(2, 16)), 'two', 2);
    table.set(key(TRACE_A, hex(3, 16)), 'three', 3);
    const seen: string[] = [];
    table.evictBefore(3, (value) => {
      seen.push(value);
      if (value === 'one') {
        assert.equal(table.get(key(TRACE_A, hex(1, 16))), undefined, 'gone before the callback');
        table.delete(key(TRACE_A, hex(2, 16)));
        table.set(key(TRACE_A, hex(4, 16)), 'four', 0);
      }
    });
    assert.deepEqual(seen, ['one'], '"two" was deleted, "three" is young enough and stops the scan');
    assert.deepEqual(evicted(table, Number.POSITIVE_INFINITY), ['three', 'four']);
  });

  it('matches an insertion-ordered Map through growth, collisions and churn', () => {
    const random = mulberry32(17);
    const table = new SpanKeyTable<string>();
    /** The reference: what SpanTable and a plain Map do. */
    const reference = new Map<string, { value: string; seq: number }>();
    // Few distinct hashes, many ids (canonical and exotic), a few thousand live at the peak:
    // long probe runs, slot and entry growth, ring growth and stale ring pairs.
    const makeKey = (id: number): SpanKey => {
      const k = id % 5 === 0 ? key(`trace-${id % 3}`, `s${id}`) : key(hex(id % 3, 32), hex(id, 16));
      k.hash = id % 13;
      return k;
    };
    const text = (id: number): string => `${id}`;
    let seq = 0;
    for (let step = 0; step < 20_000; step++) {
      seq++;
      const id = Math.floor(random() * 6000);
      const op = random();
      if (op < 0.55) {
        table.set(makeKey(id), `v${seq}`, seq);
        const held = reference.get(text(id));
        if (held) held.value = `v${seq}`;
        if (held) held.seq = seq;
        else reference.set(text(id), { value: `v${seq}`, seq });
      } else if (op < 0.75) {
        table.delete(makeKey(id));
        reference.delete(text(id));
      } else if (op < 0.85) {
        assert.equal(table.take(makeKey(id)), reference.get(text(id))?.value, `take of ${id} at step ${step}`);
        reference.delete(text(id));
      } else if (op < 0.99) {
        assert.equal(table.get(makeKey(id)), reference.get(text(id))?.value, `lookup of ${id} at step ${step}`);
      } else {
        const limit = seq - 2000;
        const expected: string[] = [];
        for (const [k, v] of reference) {
          if (v.seq >= limit) break;
          reference.delete(k);
          expected.push(v.value);
        }
        assert.deepEqual(evicted(table, limit), expected, `eviction at step ${step}`);
      }
      assert.equal(table.size, reference.size);
    }
    for (const [k, v] of reference) assert.equal(table.get(makeKey(Number(k))), v.value);
    const rest = [...reference.values()].map((v) => v.value);
    assert.deepEqual(evicted(table, Number.POSITIVE_INFINITY), rest);
  });
});
