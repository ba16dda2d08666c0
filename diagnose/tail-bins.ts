/** Running sums of the pairs in one client-duration bin. Nanoseconds. */
export interface TailSums {
  pairs: number;
  client: number;
  runtime: number;
  /** Σ min(self, runtime) over the pairs whose server span has finished. */
  self: number;
  /** Σ runtime over those same pairs, so the rest can be counted as self. */
  selfKnown: number;
}

/**
 * Sums of client, runtime and self time per client-duration bin of an edge's sketch. The tail
 * breakdown ("where do the slowest 1% spend their time") needs sums over the pairs above p99;
 * keeping them per bin instead of per pair bounds memory by the number of bins (about 1,000 at
 * 1% accuracy), and the bin of p99 is known once the input is read.
 */
export class TailBins {
  private readonly bins = new Map<number, TailSums>();

  /** Adds one pair to `bin` and returns the bin's sums, for the self time that comes later. */
  add(bin: number, client: number, runtime: number): TailSums {
    let sums = this.bins.get(bin);
    if (sums === undefined) {
      sums = { pairs: 0, client: 0, runtime: 0, self: 0, selfKnown: 0 };
      this.bins.set(bin, sums);
    }
    sums.pairs++;
    sums.client += client;
    sums.runtime += runtime;
    return sums;
  }

  /** The sums of every bin at or above `bin`. */
  sumFrom(bin: number): TailSums {
    const total: TailSums = { pairs: 0, client: 0, runtime: 0, self: 0, selfKnown: 0 };
    for (const [key, sums] of this.bins) {
      if (key < bin) continue;
      total.pairs += sums.pairs;
      total.client += sums.client;
      total.runtime += sums.runtime;
      total.self += sums.self;
      total.selfKnown += sums.selfKnown;
    }
    return total;
  }
}
