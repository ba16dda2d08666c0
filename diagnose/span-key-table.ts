import { WORDS, type SpanKey } from './span-key.js';

/** Slots per live entry at most, before the slot array doubles. */
const MAX_LOAD = 0.5;
const INITIAL_SLOTS = 1024;

/**
 * A map from {@link SpanKey} (trace id + span id) to values, oldest entry first: what the pairer
 * keeps spans in while they wait for their counterpart.
 *
 * Built on typed arrays rather than a `Map` keyed by id strings. With a few thousand spans
 * waiting at any time, the id strings, the `Map`'s entries and its re-hashed backing stores all
 * outlived young-generation collections; here a waiting span costs six 32-bit words and a slot in
 * preallocated arrays, and the only objects are the values the caller chooses to store (which it
 * can recycle).
 *
 * - Open addressing with linear probing over a power-of-two slot array holding entry numbers;
 *   deletion shifts the following run back (no tombstones, so lookups never slow down with churn).
 * - Entries live in parallel arrays indexed by entry number, reused through a free list.
 * - Eviction order is store order, kept in a ring of (entry, serial) pairs; an entry deleted
 *   before it reaches the front leaves a stale pair there, recognised by its serial and skipped.
 */
export class SpanKeyTable<V> {
  /** Entry number + 1 per slot; 0 is an empty slot. */
  private slots = new Int32Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private live = 0;

  // Per entry.
  private keyWords = new Int32Array(64 * WORDS);
  private hashes = new Int32Array(64);
  private slotOf = new Int32Array(64);
  /** The caller's sequence number, which eviction compares; replaced by a store under the same key. */
  private seqs = new Float64Array(64);
  /** When the entry was first stored (unique, increasing); -1 while the entry is free. */
  private serials = new Float64Array(64).fill(-1);
  private readonly exotics: (string | undefined)[] = [];
  private readonly values: (V | undefined)[] = [];
  private readonly free: number[] = [];
  private entriesUsed = 0;
  private nextSerial = 0;

  // The store-order ring; its length is a power of two.
  private ringEntries = new Int32Array(64);
  private ringSerials = new Float64Array(64);
  private ringHead = 0;
  private ringLength = 0;

  /** Entries held. */
  get size(): number {
    return this.live;
  }

  get(key: SpanKey): V | undefined {
    const entry = this.find(key);
    return entry < 0 ? undefined : this.values[entry];
  }

  /**
   * Stores `value` under `key` with sequence number `seq`. A value already stored under the key
   * is replaced in place: it keeps its place in eviction order, as in a `Map`, and takes `seq`.
   */
  set(key: SpanKey, value: V, seq: number): void {
    const existing = this.find(key);
    if (existing >= 0) {
      this.values[existing] = value;
      this.seqs[existing] = seq;
      return;
    }
    if (this.live + 1 > this.slots.length * MAX_LOAD) this.resizeSlots(this.slots.length * 2);
    const entry = this.allocateEntry();
    const w = entry * WORDS;
    // Element by element: `TypedArray#set` is a builtin call that costs more than six stores.
    const words = this.keyWords;
    const k = key.words;
    words[w] = k[0]!;
    words[w + 1] = k[1]!;
    words[w + 2] = k[2]!;
    words[w + 3] = k[3]!;
    words[w + 4] = k[4]!;
    words[w + 5] = k[5]!;
    this.exotics[entry] = key.exotic;
    this.hashes[entry] = key.hash;
    this.seqs[entry] = seq;
    const serial = this.nextSerial++;
    this.serials[entry] = serial;
    this.values[entry] = value;
    this.place(entry);
    this.live++;
    this.pushRing(entry, serial);
  }

  /** Removes the entry under `key`, if any. */
  delete(key: SpanKey): void {
    const entry = this.find(key);
    if (entry >= 0) this.release(entry);
  }

  /** Removes the entry under `key` and returns its value: `get` then `delete` in one lookup. */
  take(key: SpanKey): V | undefined {
    const entry = this.find(key);
    if (entry < 0) return undefined;
    const value = this.values[entry];
    this.release(entry);
    return value;
  }

  /**
   * Removes the entry under `key` and returns its value if `wanted` accepts it; otherwise leaves
   * it. One lookup where `get`, a test and `delete` would take two.
   */
  takeIf<W extends V>(key: SpanKey, wanted: (value: V) => value is W): W | undefined {
    const entry = this.find(key);
    if (entry < 0) return undefined;
    const value = this.values[entry]!;
    if (!wanted(value)) return undefined;
    this.release(entry);
    return value;
  }

  /**
   * Removes every entry whose sequence number is below `limit`, in store order, handing each
   * value to `evicted` (after it left the table, so the callback may use the table). Like a scan
   * of an insertion-ordered `Map`, it stops at the first entry that is not old enough.
   */
  evictBefore(limit: number, evicted: (value: V) => void): void {
    while (this.ringLength > 0) {
      const at = this.ringHead;
      const entry = this.ringEntries[at]!;
      if (this.serials[entry] !== this.ringSerials[at]) {
        this.popRing();
        continue;
      }
      if (this.seqs[entry]! >= limit) return;
      this.popRing();
      const value = this.values[entry]!;
      this.release(entry);
      evicted(value);
    }
  }

  /** The entry number under `key`, or -1. */
  private find(key: SpanKey): number {
    const { slots, mask, keyWords: words } = this;
    const hash = key.hash;
    const exotic = key.exotic;
    const k = key.words;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot]!;
      if (held === 0) return -1;
      const entry = held - 1;
      if (this.hashes[entry] !== hash) continue;
      if (exotic === undefined) {
        const w = entry * WORDS;
        if (
          words[w + 4] === k[4] &&
          words[w + 5] === k[5] &&
          words[w] === k[0] &&
          words[w + 1] === k[1] &&
          words[w + 2] === k[2] &&
          words[w + 3] === k[3] &&
          this.exotics[entry] === undefined
        ) {
          return entry;
        }
      } else if (this.exotics[entry] === exotic) {
        return entry;
      }
    }
  }

  /** Puts `entry` in the first free slot of its probe run. */
  private place(entry: number): void {
    const { slots, mask } = this;
    let slot = this.hashes[entry]! & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = entry + 1;
    this.slotOf[entry] = slot;
  }

  /** Frees `entry` and its slot, shifting later entries of the probe run back into the gap. */
  private release(entry: number): void {
    const { slots, mask } = this;
    let gap = this.slotOf[entry]!;
    slots[gap] = 0;
    for (let slot = (gap + 1) & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      const moving = slots[slot]! - 1;
      const home = this.hashes[moving]! & mask;
      // It may fill the gap unless its home lies cyclically in (gap, slot]: then the gap is
      // before its home and a lookup would never probe it there.
      const homeAfterGap = gap <= slot ? home > gap && home <= slot : home > gap || home <= slot;
      if (homeAfterGap) continue;
      slots[gap] = moving + 1;
      this.slotOf[moving] = gap;
      slots[slot] = 0;
      gap = slot;
    }
    this.serials[entry] = -1;
    this.values[entry] = undefined;
    this.exotics[entry] = undefined;
    this.free.push(entry);
    this.live--;
  }

  private allocateEntry(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.entriesUsed === this.hashes.length) this.growEntries(this.hashes.length * 2);
    return this.entriesUsed++;
  }

  private growEntries(capacity: number): void {
    this.keyWords = grown(this.keyWords, new Int32Array(capacity * WORDS));
    this.hashes = grown(this.hashes, new Int32Array(capacity));
    this.slotOf = grown(this.slotOf, new Int32Array(capacity));
    this.seqs = grown(this.seqs, new Float64Array(capacity));
    this.serials = grown(this.serials, new Float64Array(capacity).fill(-1));
  }

  private resizeSlots(length: number): void {
    const old = this.slots;
    this.slots = new Int32Array(length);
    this.mask = length - 1;
    for (const held of old) if (held !== 0) this.place(held - 1);
  }

  private pushRing(entry: number, serial: number): void {
    const capacity = this.ringEntries.length;
    if (this.ringLength === capacity) {
      // Unroll the ring into arrays twice as long, oldest first.
      const entries = new Int32Array(capacity * 2);
      const serials = new Float64Array(capacity * 2);
      for (let i = 0; i < capacity; i++) {
        const from = (this.ringHead + i) & (capacity - 1);
        entries[i] = this.ringEntries[from]!;
        serials[i] = this.ringSerials[from]!;
      }
      this.ringEntries = entries;
      this.ringSerials = serials;
      this.ringHead = 0;
    }
    const at = (this.ringHead + this.ringLength) & (this.ringEntries.length - 1);
    this.ringEntries[at] = entry;
    this.ringSerials[at] = serial;
    this.ringLength++;
  }

  private popRing(): void {
    this.ringHead = (this.ringHead + 1) & (this.ringEntries.length - 1);
    this.ringLength--;
  }
}

/** `larger` with `smaller` copied to its front. */
function grown<T extends Int32Array | Float64Array>(smaller: T, larger: T): T {
  larger.set(smaller as never);
  return larger;
}
