/** p50/p95/p99 of one measurement. */
export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/**
 * Nearest-rank percentiles (the value at rank ⌈p/100 · n⌉ of the sorted values), computed
 * by quickselect in O(n) on a copy, so huge sample sets need no full sort. NaN values are
 * ignored; an empty input yields NaN.
 *
 * @param ps percentiles in [0, 100], in any order.
 * @returns one value per entry of `ps`, in the same order.
 */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const copy = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) copy[n++] = v;
  }
  if (n === 0) return ps.map(() => Number.NaN);
  const a = copy.subarray(0, n);
  const ranks = ps.map((p, i) => ({ i, k: rankIndex(p, n) })).sort((x, y) => x.k - y.k);
  const out = new Array<number>(ps.length);
  let lo = 0;
  for (const { i, k } of ranks) {
    // After selecting k everything right of it is >= a[k], so the next (larger) rank can
    // start searching there.
    select(a, k, lo, n - 1);
    out[i] = a[k]!;
    lo = k;
  }
  return out;
}

/** A single nearest-rank percentile; see {@link percentiles}. */
export function percentile(values: ArrayLike<number>, p: number): number {
  return percentiles(values, [p])[0]!;
}

/** p50, p95 and p99 of `values`. */
export function summarize(values: ArrayLike<number>): Percentiles {
  const [p50, p95, p99] = percentiles(values, [50, 95, 99]) as [number, number, number];
  return { p50, p95, p99 };
}

function rankIndex(p: number, n: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  return Math.max(0, Math.ceil((p / 100) * n) - 1);
}

/** Hoare-partition quickselect: afterwards a[k] holds the k-th smallest of a[lo..hi]. */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three keeps sorted or reversed input (common for time series) linear.
    if (a[mid]! < a[lo]!) swap(a, lo, mid);
    if (a[hi]! < a[lo]!) swap(a, lo, hi);
    if (a[hi]! < a[mid]!) swap(a, mid, hi);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
