import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selfTime } from '../../diagnose/self-time.js';
import { percentile, percentiles, summarize } from '../../diagnose/stats.js';
import { seeded } from './helpers.js';

/** The definition: sort, then take rank ⌈p/100·n⌉. */
function bruteForce(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('percentiles', () => {
  it('matches a brute-force sort on random arrays', () => {
    const rand = seeded(42);
    const ps = [0, 1, 25, 50, 90, 95, 99, 99.9, 100];
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(rand() * (round < 200 ? 50 : 5000));
      // Few distinct values in some rounds: duplicates are the classic quickselect trap.
      const distinct = round % 3 === 0 ? 3 : 1e6;
      const values = Array.from({ length: n }, () => Math.floor(rand() * distinct) - distinct / 2);
      const got = percentiles(values, ps);
      ps.forEach((p, i) => assert.equal(got[i], bruteForce(values, p), `n=${n} p=${p}`));
    }
  });

  it('handles sorted, reversed and constant input', () => {
    const sorted = Array.from({ length: 10_001 }, (_, i) => i);
    assert.deepEqual(percentiles(sorted, [50, 99]), [5000, 9900]);
    assert.deepEqual(percentiles([...sorted].reverse(), [99, 50]), [9900, 5000]);
    assert.equal(percentile(new Array(1000).fill(7), 95), 7);
  });

  it('returns results in the order asked, ignores NaN, and is NaN when empty', () => {
    assert.deepEqual(percentiles([3, 1, 2], [100, 0, 50]), [3, 1, 2]);
    assert.equal(percentile([Number.NaN, 5, Number.NaN], 50), 5);
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.deepEqual(summarize(Float64Array.from([1, 2, 3, 4])), { p50: 2, p95: 4, p99: 4 });
  });

  it('does not modify its input', () => {
    const values = [5, 3, 9, 1];
    percentiles(values, [50]);
    assert.deepEqual(values, [5, 3, 9, 1]);
  });

  it('rejects percentiles outside [0, 100]', () => {
    assert.throws(() => percentile([1], 101), RangeError);
  });
});

describe('selfTime', () => {
  it('subtracts the union of overlapping children, clipped to the parent', () => {
    // [10,30] ∪ [20,40] = 30; [90,120] clipped to [90,100] = 10.
    assert.equal(selfTime(0, 100, [10, 30, 20, 40, 90, 120]), 60);
  });

  it('is the duration without children, and never counts a child twice', () => {
    assert.equal(selfTime(5, 25, undefined), 20);
    assert.equal(selfTime(0, 10, [2, 4, 2, 4, 3, 4]), 8);
    assert.equal(selfTime(0, 10, [-5, 20]), 0);
  });
});
