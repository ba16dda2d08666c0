/**
 * Time a span spent on its own work: its duration minus the union of its children's
 * intervals. Children overlap when a handler fans out concurrently, so they are merged
 * rather than summed, and clipped to the parent because of clock noise.
 *
 * @param children flat `[start0, end0, start1, end1, …]`, same unit as `start`/`end`.
 */
export function selfTime(start: number, end: number, children: readonly number[] | undefined): number {
  const duration = end - start;
  if (children === undefined || children.length === 0) return duration;
  const intervals: [number, number][] = [];
  for (let i = 0; i + 1 < children.length; i += 2) {
    const from = Math.max(start, children[i]!);
    const to = Math.min(end, children[i + 1]!);
    if (to > from) intervals.push([from, to]);
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let runFrom = -Infinity;
  let runTo = -Infinity;
  for (const [from, to] of intervals) {
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
