import { brotliDecompressSync } from 'node:zlib';

/**
 * The tables of a WOFF2 font, as far as text measurement needs them (W3C WOFF2 §5): the table
 * directory, then one Brotli stream holding every table. Only tables stored without a transform
 * are returned; `glyf` and `loca` (always transformed by font compilers) are not needed to measure
 * text, and `hmtx`'s optional transform is refused with an error rather than misread.
 */
export function woff2Tables(font: Uint8Array): Map<string, DataView> {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  if (view.getUint32(0) !== 0x774f4632) throw new Error('not a WOFF2 font (no wOF2 signature)');
  if (view.getUint32(4) === 0x74746366) throw new Error('WOFF2 font collections are not supported');
  const numTables = view.getUint16(12);
  const totalCompressedSize = view.getUint32(20);
  let at = 48;
  const base128 = () => {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = view.getUint8(at++);
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error('bad UIntBase128 in WOFF2 table directory');
  };
  const entries: { tag: string; length: number; transformed: boolean }[] = [];
  for (let i = 0; i < numTables; i++) {
    const flags = view.getUint8(at++);
    const index = flags & 0x3f;
    const version = flags >> 6;
    let tag: string;
    if (index === 63) {
      tag = String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
      at += 4;
    } else {
      tag = KNOWN_TAGS[index]!;
    }
    const origLength = base128();
    // glyf and loca are transformed with version 0 and stored as is with version 3; every other
    // table is stored as is with version 0.
    const transformed = tag === 'glyf' || tag === 'loca' ? version !== 3 : version !== 0;
    const length = transformed ? base128() : origLength;
    entries.push({ tag, length, transformed });
  }
  const data = brotliDecompressSync(font.subarray(at, at + totalCompressedSize));
  const tables = new Map<string, DataView>();
  let offset = 0;
  for (const entry of entries) {
    if (!entry.transformed) tables.set(entry.tag, new DataView(data.buffer, data.byteOffset + offset, entry.length));
    else if (entry.tag === 'hmtx') throw new Error('WOFF2 fonts with a transformed hmtx table are not supported');
    offset += entry.length;
  }
  return tables;
}

/** WOFF2's table of known tags (§5.1), indexed by the low six bits of a directory entry's flags. */
const KNOWN_TAGS = [
  'cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca', 'prep', 'CFF ', 'VORG', 'EBDT',
  'EBLC', 'gasp', 'hdmx', 'kern', 'LTSH', 'PCLT', 'VDMX', 'vhea', 'vmtx', 'BASE', 'GDEF', 'GPOS', 'GSUB', 'EBSC', 'JSTF', 'MATH',
  'CBDT', 'CBLC', 'COLR', 'CPAL', 'SVG ', 'sbix', 'acnt', 'avar', 'bdat', 'bloc', 'bsln', 'cvar', 'fdsc', 'feat', 'fmtx', 'fvar',
  'gvar', 'hsty', 'just', 'lcar', 'mort', 'morx', 'opbd', 'prop', 'trak', 'Zapf', 'Silf', 'Glat', 'Gloc', 'Feat', 'Sill',
];
