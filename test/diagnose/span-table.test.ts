import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanTable } from '../../diagnose/span-table.js';

interface Entry {
  readonly traceId: string;
  readonly seq: number;
  readonly label: string;
}

const entry = (traceId: string, seq: number, label = `${traceId}@${seq}`): Entry => ({ traceId, seq, label });

function evicted(table: SpanTable<Entry>, limit: number): string[] {
  const out: string[] = [];
  table.evictBefore(limit, (e) => out.push(e.label));
  return out;
}

describe('SpanTable', () => {
  it('keeps entries of different traces that share a span id apart', () => {
    const table = new SpanTable<Entry>();
    table.set('s1', entry('t1', 1));
    assert.equal(table.get('t2', 's1'), undefined, 'another trace misses');
    table.set('s1', entry('t2', 2));
    table.set('s1', entry('t3', 3));
    assert.equal(table.size, 3);
    assert.equal(table.get('t1', 's1')?.label, 't1@1');
    assert.equal(table.get('t2', 's1')?.label, 't2@2');
    assert.equal(table.get('t3', 's1')?.label, 't3@3');

    table.delete('t1', 's1');
    assert.equal(table.get('t1', 's1'), undefined);
    assert.equal(table.get('t2', 's1')?.label, 't2@2', 'the colliding entries survive the first one');
    // With the first slot free, a new trace takes it; the colliding ones are still found.
    table.set('s1', entry('t4', 4));
    assert.equal(table.get('t4', 's1')?.label, 't4@4');
    assert.equal(table.get('t3', 's1')?.label, 't3@3');
    table.delete('t3', 's1');
    assert.equal(table.get('t3', 's1'), undefined);
    assert.equal(table.size, 2);
  });

  it('does not confuse ("ab", "c") with ("a", "bc")', () => {
    const table = new SpanTable<Entry>();
    table.set('c', entry('ab', 1));
    table.set('bc', entry('a', 2));
    assert.equal(table.get('ab', 'c')?.label, 'ab@1');
    assert.equal(table.get('a', 'bc')?.label, 'a@2');
    assert.equal(table.get('a', 'c'), undefined);
  });

  it('replaces an entry of the same trace and span in place, colliding or not', () => {
    const table = new SpanTable<Entry>();
    table.set('s1', entry('t1', 1));
    table.set('s1', entry('t2', 2));
    table.set('s2', entry('t1', 3));
    table.set('s1', entry('t2', 2, 'replaced collided'));
    table.set('s1', entry('t1', 1, 'replaced first'));
    assert.equal(table.size, 3);
    assert.deepEqual(evicted(table, 10), ['replaced first', 'replaced collided', 't1@3']);
  });

  it('stores after a lookup that missed, and after one that hit another trace', () => {
    const table = new SpanTable<Entry>();
    assert.equal(table.get('t1', 's1'), undefined);
    table.set('s1', entry('t1', 1));
    assert.equal(table.get('t2', 's1'), undefined);
    table.set('s1', entry('t2', 2));
    assert.equal(table.get('t1', 's1')?.label, 't1@1');
    assert.equal(table.get('t2', 's1')?.label, 't2@2');
    // A lookup, then a change, then a store under the same id must not reuse the stale lookup.
    assert.equal(table.get('t1', 's1')?.label, 't1@1');
    table.delete('t1', 's1');
    table.set('s1', entry('t5', 5));
    assert.equal(table.get('t5', 's1')?.label, 't5@5');
    assert.equal(table.get('t2', 's1')?.label, 't2@2');
  });

  it('evicts oldest first across colliding entries and stops at the first young one', () => {
    const table = new SpanTable<Entry>();
    table.set('a', entry('t1', 1));
    table.set('a', entry('t2', 2)); // collides
    table.set('b', entry('t1', 3));
    table.set('b', entry('t3', 4)); // collides
    table.set('c', entry('t1', 5));
    assert.deepEqual(evicted(table, 4), ['t1@1', 't2@2', 't1@3']);
    assert.equal(table.get('t3', 'b')?.label, 't3@4');
    assert.deepEqual(evicted(table, Number.POSITIVE_INFINITY), ['t3@4', 't1@5']);
    assert.equal(table.size, 0);
  });
});
