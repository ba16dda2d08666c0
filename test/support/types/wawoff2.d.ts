// wawoff2 ships no types. Its API, as its README documents it.
declare module 'wawoff2' {
  /** A WOFF2 font unpacked to TrueType/OpenType (sfnt). */
  export function decompress(woff2: Uint8Array): Promise<Uint8Array>;
  /** A TrueType/OpenType font packed as WOFF2. */
  export function compress(sfnt: Uint8Array): Promise<Uint8Array>;
}
