/** What a {@link SpanTable} entry carries: the trace it belongs to and when it arrived. */
export interface TracedEntry {
  readonly traceId: string;
  /** The pairer's span sequence number when the entry was stored: eviction goes by it. */
  readonly seq: number;
}

/**
 * A map keyed by (trace id, span id) that hashes only the span id, oldest entry first.
 *
 * The pairer looks up several tables for every span. Joining the two ids into one key cost a
 * string concatenation, a copy to flatten it and a 48-character hash per lookup, and kept the
 * joined copy alive while the entry waited; the span id alone (16 hex characters, the same
 * string object for every lookup of one span, so hashed once) does the job because entries
 * carry their trace id and a hit is checked against it.
 *
 * Span ids are 64 random bits, so two traces sharing one within a window happens by chance
 * about once in 10⁹ files; hand-made files reuse ids freely. An entry whose span id is already
 * taken by another trace goes to a second map under the joined key, which is only consulted
 * while it holds something.
 */
export class SpanTable<V extends TracedEntry> {
  /** By span id; the common case. */
  private readonly bySpan = new Map<string, V>();
  /** Entries whose span id another trace held in `bySpan` when they were stored. */
  private readonly collided = new Map<string, V>();
  /**
   * The span id of the last `get` and what `bySpan` held under it: the pairer stores right after
   * a lookup that missed, and `set` then needs no second hash lookup. Cleared by every change.
   */
  private lastSpanId: string | undefined;
  private lastHeld: V | undefined;

  get size(): number {
    return this.bySpan.size + this.collided.size;
  }

  get(traceId: string, spanId: string): V | undefined {
    const entry = this.bySpan.get(spanId);
    this.lastSpanId = spanId;
    this.lastHeld = entry;
    if (entry !== undefined && entry.traceId === traceId) return entry;
    return this.collided.size === 0 ? undefined : this.collided.get(joinedKey(traceId, spanId));
  }

  /**
   * Stores `entry` (its `traceId` is the trace) under `spanId`, replacing an entry stored under
   * the same ids without moving it: eviction order stays that of the first store, as with `Map`.
   */
  set(spanId: string, entry: V): void {
    const held = spanId === this.lastSpanId ? this.lastHeld : this.bySpan.get(spanId);
    this.forgetLast();
    if (held === undefined) {
      const key = this.collided.size === 0 ? undefined : joinedKey(entry.traceId, spanId);
      if (key !== undefined && this.collided.has(key)) this.collided.set(key, entry);
      else this.bySpan.set(spanId, entry);
    } else if (held.traceId === entry.traceId) {
      this.bySpan.set(spanId, entry);
    } else {
      this.collided.set(joinedKey(entry.traceId, spanId), entry);
    }
  }

  delete(traceId: string, spanId: string): void {
    this.forgetLast();
    const entry = this.bySpan.get(spanId);
    if (entry !== undefined && entry.traceId === traceId) this.bySpan.delete(spanId);
    else if (this.collided.size > 0) this.collided.delete(joinedKey(traceId, spanId));
  }

  /**
   * Removes every entry stored before sequence number `limit`, oldest first, handing each to
   * `evicted`. Like a scan of one insertion-ordered `Map`, it stops at the first entry (in
   * store order) that is not old enough.
   */
  evictBefore(limit: number, evicted: (entry: V) => void): void {
    this.forgetLast();
    if (this.collided.size === 0) {
      for (const [spanId, entry] of this.bySpan) {
        if (entry.seq >= limit) break;
        this.bySpan.delete(spanId);
        evicted(entry);
      }
      // A callback may have looked this table up; the loop has deleted since.
      this.forgetLast();
      return;
    }
    // Rare: merge the two maps by sequence number, which is their common store order.
    const a = this.bySpan.entries();
    const b = this.collided.entries();
    let nextA = a.next();
    let nextB = b.next();
    for (;;) {
      const takeA = !nextA.done && (nextB.done || nextA.value[1].seq <= nextB.value[1].seq);
      const next = takeA ? nextA : nextB;
      if (next.done || next.value[1].seq >= limit) return this.forgetLast();
      const [key, entry] = next.value;
      if (takeA) {
        this.bySpan.delete(key);
        nextA = a.next();
      } else {
        this.collided.delete(key);
        nextB = b.next();
      }
      evicted(entry);
    }
  }

  private forgetLast(): void {
    this.lastSpanId = undefined;
    this.lastHeld = undefined;
  }
}

/** The key of a colliding entry; the separator keeps ("ab", "c") apart from ("a", "bc"). */
function joinedKey(traceId: string, spanId: string): string {
  return `${traceId}\u0000${spanId}`;
}
