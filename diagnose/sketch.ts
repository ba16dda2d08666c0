import { DDSketch } from '@datadog/sketches-js';
import type { Percentiles } from './stats.js';

/**
 * The relative error of every percentile diagnose reports: a reported p99 of 100 ms means the
 * true p99 lies within 99–101 ms. DDSketch guarantees it for any distribution and any input size,
 * in memory that grows with the logarithm of the value range (about 1,000 bins for 1 µs to
 * 100 s at 1%), not with the number of samples.
 */
export const RELATIVE_ACCURACY = 0.01;

/**
 * A mergeable quantile sketch (DDSketch, from Datadog's maintained `@datadog/sketches-js`) with
 * the {@link RELATIVE_ACCURACY} bound. Replaces keeping every sample: diagnose's memory no longer
 * grows with the input.
 *
 * Quantiles use DDSketch's rank, `q · (n − 1)` rounded down (the "lower" quantile): the exact
 * value it approximates is `sorted[floor(q · (n − 1))]`. Results are clamped to the smallest and
 * largest value seen, which only moves them closer to the truth.
 */
export class QuantileSketch {
  private readonly sketch = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });

  get count(): number {
    return this.sketch.count;
  }

  /** Adds one value; NaN is ignored (a measurement that could not be made). */
  add(value: number): void {
    if (!Number.isNaN(value)) this.sketch.accept(value);
  }

  /** Adds everything `other` holds: sketches merge without loss beyond the bound. */
  merge(other: QuantileSketch): void {
    this.sketch.merge(other.sketch);
  }

  /** The bin a value falls into: equal bins mean values within the relative bound of each other. */
  bin(value: number): number {
    return value > this.sketch.mapping.minPossible ? this.sketch.mapping.key(value) : Number.NEGATIVE_INFINITY;
  }

  /** @param q in [0, 1]; NaN when the sketch is empty. */
  quantile(q: number): number {
    if (this.sketch.count === 0) return Number.NaN;
    const value = this.sketch.getValueAtQuantile(q);
    return Math.min(this.sketch.max, Math.max(this.sketch.min, value));
  }

  /** p50, p95 and p99. */
  percentiles(): Percentiles {
    return { p50: this.quantile(0.5), p95: this.quantile(0.95), p99: this.quantile(0.99) };
  }
}
