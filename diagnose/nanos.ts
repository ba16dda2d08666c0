/**
 * Turns OTLP `*TimeUnixNano` values into exact numbers of nanoseconds relative to the first
 * timestamp seen.
 *
 * Nanoseconds since the epoch (~1.7e18) exceed `Number.MAX_SAFE_INTEGER`, and BigInt per span
 * is slow on large files, so the decimal string is split into seconds and nanoseconds and only
 * the distance from a base second is kept: exact for files spanning up to ~104 days.
 */
export class NanoClock {
  private baseSeconds: number | undefined;

  /**
   * @param value a decimal string (the OTLP JSON encoding) or a number (some encoders).
   * @returns nanoseconds since the base, or `undefined` for missing, zero or malformed values.
   */
  toRelative(value: unknown): number | undefined {
    let seconds: number;
    let nanos: number;
    if (typeof value === 'string') {
      const length = value.length;
      if (length === 0 || length > 24) return undefined;
      // A hand-rolled digit loop: this runs twice per span, and a regex plus slices costs
      // several times more on large files.
      const split = length - 9;
      seconds = 0;
      nanos = 0;
      for (let i = 0; i < length; i++) {
        const digit = value.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) return undefined;
        if (i < split) seconds = seconds * 10 + digit;
        else nanos = nanos * 10 + digit;
      }
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      // Already rounded by whoever wrote it as a JSON number; the best we can do.
      seconds = Math.floor(value / 1e9);
      nanos = value - seconds * 1e9;
    } else {
      return undefined;
    }
    // 0 means "unset" in OTLP; accepting it would also make it the base and ruin precision.
    if (seconds === 0 && nanos === 0) return undefined;
    this.baseSeconds ??= seconds;
    return (seconds - this.baseSeconds) * 1e9 + nanos;
  }
}
