/**
 * A (trace id, span id) pair as numbers, the key of a {@link SpanKeyTable}.
 *
 * OTLP JSON writes ids as lowercase hex: 32 digits for a trace, 16 for a span. Those are read
 * into six 32-bit words, so a table can hold a waiting span's ids in typed arrays instead of
 * keeping the two strings `JSON.parse` made for it alive (with many spans waiting, those strings
 * outlive young-generation collections and were much of the collector's copying).
 *
 * Any other spelling (uppercase hex, other lengths, hand-made ids like `"s1"`) is kept exactly
 * as text: the key is then "exotic" and compares by string. The two kinds never equal each
 * other, which is right: a string that is canonical hex never equals one that is not.
 *
 * One object is reused for every lookup: {@link SpanKey.set} overwrites it in place. Keys made
 * with one {@link TraceReader} share its last trace: a span's own key and its parent's read the
 * trace id once.
 */
export class SpanKey {
  /** The trace id's four words, most significant first (0 for exotic keys). */
  t0 = 0;
  t1 = 0;
  t2 = 0;
  t3 = 0;
  /** The span id's two words (0 for exotic keys). */
  s0 = 0;
  s1 = 0;
  /** `traceId + "\0" + spanId` when either id is not canonical hex; `undefined` otherwise. */
  exotic: string | undefined = undefined;
  /** Mixes every word (or the exotic text), so low-entropy hand-made ids still spread. */
  hash = 0;

  /** @param traces shared by the keys that are set from the same spans' trace ids. */
  constructor(private readonly traces: TraceReader = new TraceReader()) {}

  /** Overwrites this key with `traceId` / `spanId`; returns it for chaining. */
  set(traceId: string, spanId: string): this {
    const trace = this.traces.read(traceId);
    if (trace.canonical && spanId.length === 16) {
      const s0 = hexWord(spanId, 0);
      const s1 = hexWord(spanId, 8);
      if (!Number.isNaN(s0) && !Number.isNaN(s1)) {
        this.t0 = trace.t0;
        this.t1 = trace.t1;
        this.t2 = trace.t2;
        this.t3 = trace.t3;
        this.s0 = s0;
        this.s1 = s1;
        this.exotic = undefined;
        this.hash = mix(s0 ^ mix(s1 ^ mix(trace.t0 ^ trace.t3)));
        return this;
      }
    }
    const text = `${traceId}\u0000${spanId}`;
    this.t0 = this.t1 = this.t2 = this.t3 = this.s0 = this.s1 = 0;
    this.exotic = text;
    this.hash = stringHash(text);
    return this;
  }
}

/** Reads trace ids into words, remembering the last one: consecutive lookups are mostly of one span's trace. */
export class TraceReader {
  /** Whether the last trace id read is 32 lowercase hex digits; its words are valid only then. */
  canonical = false;
  t0 = 0;
  t1 = 0;
  t2 = 0;
  t3 = 0;
  private last: string | undefined = undefined;

  read(traceId: string): this {
    if (traceId === this.last) return this;
    this.last = traceId;
    this.canonical = false;
    if (traceId.length !== 32) return this;
    const t0 = hexWord(traceId, 0);
    const t1 = hexWord(traceId, 8);
    const t2 = hexWord(traceId, 16);
    const t3 = hexWord(traceId, 24);
    if (Number.isNaN(t0) || Number.isNaN(t1) || Number.isNaN(t2) || Number.isNaN(t3)) return this;
    this.t0 = t0;
    this.t1 = t1;
    this.t2 = t2;
    this.t3 = t3;
    this.canonical = true;
    return this;
  }
}

/** Lowercase hex digit values by character code; -1 for anything else. */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX_DIGIT[48 + c] = c;
for (let c = 0; c < 6; c++) HEX_DIGIT[97 + c] = 10 + c;

/** Eight lowercase hex digits of `text` from `from` as a signed 32-bit word; NaN if any is not one. */
function hexWord(text: string, from: number): number {
  let word = 0;
  let bad = 0;
  for (let i = from; i < from + 8; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? HEX_DIGIT[code]! : -1;
    bad |= digit;
    word = (word << 4) | (digit & 15);
  }
  return bad < 0 ? Number.NaN : word;
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** FNV-1a over UTF-16 code units, finalised; only exotic keys pay for it. */
function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h);
}
