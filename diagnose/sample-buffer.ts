/**
 * A growable `Float64Array`: 8 bytes per sample instead of a JS array's boxed numbers, which
 * matters when a large file yields millions of durations.
 */
export class SampleBuffer {
  private data = new Float64Array(64);
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** Appends a value and returns its index. */
  push(value: number): number {
    if (this.size === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size] = value;
    return this.size++;
  }

  /** Overwrites the value at `index` (which must already exist). */
  set(index: number, value: number): void {
    this.data[index] = value;
  }

  /** A view of the filled part; invalidated by the next `push`. */
  values(): Float64Array {
    return this.data.subarray(0, this.size);
  }
}
