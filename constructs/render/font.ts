import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { woff2Tables } from './woff2.js';

/**
 * The one typeface of every diagram: Inter (SIL Open Font License 1.1, by The Inter Project
 * Authors), regular weight, Latin subset, as the npm package @fontsource/inter ships it. The SVGs
 * embed this file and every box is sized from this file's own advance widths, so text fits in any
 * renderer that honours the embedded font, whatever fonts its machine has.
 */
export const DIAGRAM_FONT_FAMILY = 'Inter';

/** Where the font file is: a dependency of this package, not a copy in it. */
export function diagramFontFile(): string {
  return fileURLToPath(import.meta.resolve('@fontsource/inter/files/inter-latin-400-normal.woff2'));
}

/** A font's metrics, in units of its em square. */
interface FontMetrics {
  readonly unitsPerEm: number;
  readonly ascender: number;
  readonly descender: number;
  readonly advance: (codePoint: number) => number | undefined;
}

let loaded: { bytes: Buffer; metrics: FontMetrics } | undefined;

function font(): { bytes: Buffer; metrics: FontMetrics } {
  if (!loaded) {
    const bytes = readFileSync(diagramFontFile());
    loaded = { bytes, metrics: readMetrics(woff2Tables(bytes)) };
  }
  return loaded;
}

/** The font file as a `data:` URL for an SVG's `@font-face`. */
export function diagramFontDataUrl(): string {
  return `data:font/woff2;base64,${font().bytes.toString('base64')}`;
}

/**
 * The width of one line of text at `size` (user units), from the font's advance widths.
 * Kerning is left out on purpose: Inter's kerning pairs only narrow text, so the sum of advances
 * is an upper bound of what a shaping renderer draws (the PNG test checks this with resvg).
 * A character the font lacks counts as a whole em, which is wider than the Latin, Greek and
 * Cyrillic glyphs of any fallback font, and as wide as a CJK one.
 */
export function textWidth(text: string, size: number): number {
  const { metrics } = font();
  let units = 0;
  for (const char of text) units += metrics.advance(char.codePointAt(0)!) ?? metrics.unitsPerEm;
  return (units * size) / metrics.unitsPerEm;
}

/** How far the font reaches above and below the baseline at `size`. */
export function fontExtent(size: number): { ascent: number; descent: number } {
  const { metrics } = font();
  return { ascent: (metrics.ascender * size) / metrics.unitsPerEm, descent: (-metrics.descender * size) / metrics.unitsPerEm };
}

function readMetrics(tables: Map<string, DataView>): FontMetrics {
  const table = (tag: string) => {
    const found = tables.get(tag);
    if (!found) throw new Error(`the diagram font has no ${tag} table`);
    return found;
  };
  const head = table('head');
  const hhea = table('hhea');
  const hmtx = table('hmtx');
  const unitsPerEm = head.getUint16(18);
  const numberOfHMetrics = hhea.getUint16(34);
  const advanceOfGlyph = (glyph: number) => hmtx.getUint16(4 * Math.min(glyph, numberOfHMetrics - 1));
  const glyphs = characterMap(table('cmap'));
  return {
    unitsPerEm,
    ascender: hhea.getInt16(4),
    descender: hhea.getInt16(6),
    advance: (codePoint) => {
      const glyph = glyphs.get(codePoint);
      return glyph === undefined || glyph === 0 ? undefined : advanceOfGlyph(glyph);
    },
  };
}

/** Code point → glyph, from the cmap's Unicode subtable (format 12 preferred, else format 4). */
function characterMap(cmap: DataView): Map<number, number> {
  const count = cmap.getUint16(2);
  const subtables: { platform: number; encoding: number; offset: number }[] = [];
  for (let i = 0; i < count; i++) {
    subtables.push({ platform: cmap.getUint16(4 + 8 * i), encoding: cmap.getUint16(6 + 8 * i), offset: cmap.getUint32(8 + 8 * i) });
  }
  const unicode = (s: { platform: number; encoding: number }) => s.platform === 0 || (s.platform === 3 && (s.encoding === 1 || s.encoding === 10));
  const byFormat = (format: number) => subtables.find((s) => unicode(s) && cmap.getUint16(s.offset) === format);
  const map = new Map<number, number>();
  const format12 = byFormat(12);
  if (format12) {
    const groups = cmap.getUint32(format12.offset + 12);
    for (let g = 0; g < groups; g++) {
      const at = format12.offset + 16 + 12 * g;
      const start = cmap.getUint32(at);
      const end = cmap.getUint32(at + 4);
      const glyph = cmap.getUint32(at + 8);
      for (let c = start; c <= end; c++) map.set(c, glyph + c - start);
    }
    return map;
  }
  const format4 = byFormat(4);
  if (!format4) throw new Error('the diagram font has no Unicode character map (cmap format 4 or 12)');
  const base = format4.offset;
  const segments = cmap.getUint16(base + 6) / 2;
  const ends = base + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  for (let s = 0; s < segments; s++) {
    const end = cmap.getUint16(ends + 2 * s);
    const start = cmap.getUint16(starts + 2 * s);
    const delta = cmap.getInt16(deltas + 2 * s);
    const rangeOffset = cmap.getUint16(rangeOffsets + 2 * s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        glyph = cmap.getUint16(rangeOffsets + 2 * s + rangeOffset + 2 * (c - start));
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) map.set(c, glyph);
    }
  }
  return map;
}
