/**
 * Time a span spent on its own work: its duration minus the union of its children's
 * intervals. Children overlap when a handler fans out concurrently, so they are merged
 * rather than summed, and clipped to the parent because of clock noise.
 *
 * Runs once per server span, so it allocates nothing for the usual handful of children:
 * the clipped intervals are sorted in place in a reused scratch array.
 *
 * @param children flat `[start0, end0, start1, end1, …]`, same unit as `start`/`end`.
 * @param length how many elements of `children` are in use (a recycled array may hold more).
 */
export function selfTime(
  start: number,
  end: number,
  children: readonly number[] | undefined,
  length: number = children?.length ?? 0,
): number {
  const duration = end - start;
  if (children === undefined || length === 0) return duration;
  const intervals = length <= SCRATCH_LENGTH ? scratch : new Float64Array(length);
  let n = 0;
  for (let i = 0; i + 1 < length; i += 2) {
    const from = Math.max(start, children[i]!);
    const to = Math.min(end, children[i + 1]!);
    if (to > from) {
      // Insertion sort by start: a few children per span, usually already in order.
      let at = n;
      while (at > 0 && intervals[2 * at - 2]! > from) {
        intervals[2 * at] = intervals[2 * at - 2]!;
        intervals[2 * at + 1] = intervals[2 * at - 1]!;
        at--;
      }
      intervals[2 * at] = from;
      intervals[2 * at + 1] = to;
      n++;
    }
  }
  let covered = 0;
  let runFrom = -Infinity;
  let runTo = -Infinity;
  for (let i = 0; i < n; i++) {
    const from = intervals[2 * i]!;
    const to = intervals[2 * i + 1]!;
    if (from > runTo) {
      if (runTo > runFrom) covered += runTo - runFrom;
      runFrom = from;
      runTo = to;
    } else if (to > runTo) {
      runTo = to;
    }
  }
  if (runTo > runFrom) covered += runTo - runFrom;
  return duration - covered;
}

/** Spans with more children than this (a fan-out of hundreds) get an array of their own. */
const SCRATCH_LENGTH = 64;
const scratch = new Float64Array(SCRATCH_LENGTH);
