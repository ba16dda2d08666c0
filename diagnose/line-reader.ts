import { isAscii } from 'node:buffer';
import { open } from 'node:fs/promises';

/** Options for {@link readLines}. */
export interface ReadLinesOptions {
  /** Called after each chunk with the number of bytes read so far. */
  onChunk?: (bytesRead: number) => void;
  /**
   * Read size per chunk, in bytes (the buffer grows for a line longer than this).
   * @default 1048576
   */
  chunkSize?: number;
  /**
   * Lines longer than this (in bytes of UTF-8) are skipped via `onOverlong` instead of being
   * buffered: V8 strings cannot exceed ~512 Mi characters, and such a line could not be parsed
   * anyway.
   * @default 268435456
   */
  maxLineLength?: number;
  /** Called instead of `onLine` for a line longer than `maxLineLength`. */
  onOverlong?: (lineNumber: number) => void;
}

/** What {@link readLines} saw. */
export interface ReadLinesResult {
  readonly lines: number;
  readonly bytes: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Streams a UTF-8 file line by line with bounded memory (one buffer, as large as the longest
 * line or the chunk size).
 *
 * Hand-rolled rather than `readline` because callers need to know whether the last line was
 * terminated by a newline: an unterminated, unparseable last line means the file was cut
 * mid-write, which deserves a different message than a corrupt line.
 *
 * Newlines are found in the bytes and each line is decoded on its own, straight from one reused
 * buffer: decoding whole chunks into strings and joining the pieces of lines that straddle two
 * chunks allocated a megabyte string per chunk and a copy per straddling line, and that garbage
 * cost the collector more than the decoding. A newline byte never occurs inside a multi-byte
 * UTF-8 character, so a whole line always decodes cleanly.
 *
 * @param onLine called synchronously for every line (without the `\n`/`\r\n`), with its
 *   1-based number and whether a newline followed it.
 */
export async function readLines(
  path: string,
  onLine: (line: string, lineNumber: number, terminated: boolean) => void,
  options: ReadLinesOptions = {},
): Promise<ReadLinesResult> {
  const maxLineLength = options.maxLineLength ?? 1 << 28;
  let buffer = Buffer.allocUnsafe(Math.max(1, options.chunkSize ?? 1 << 20));
  /** Bytes of the current (unfinished) line at the start of `buffer`. */
  let pending = 0;
  /** Inside a line longer than `maxLineLength`: its bytes are dropped up to its newline. */
  let overlong = false;
  let lineNumber = 0;
  let bytes = 0;

  const emit = (from: number, to: number, terminated: boolean): void => {
    lineNumber++;
    if (overlong || to - from > maxLineLength) {
      overlong = false;
      options.onOverlong?.(lineNumber);
      return;
    }
    if (terminated && to > from && buffer[to - 1] === CARRIAGE_RETURN) to--;
    // OTLP JSON is almost always pure ASCII, which decodes as Latin-1 at a third of UTF-8's cost
    // (a vectorised check, then a byte copy); anything else goes through the UTF-8 decoder.
    let line = isAscii(buffer.subarray(from, to)) ? buffer.toString('latin1', from, to) : buffer.toString('utf8', from, to);
    if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    onLine(line, lineNumber, terminated);
  };

  const handle = await open(path, 'r');
  try {
    for (;;) {
      if (pending === buffer.length) {
        if (pending > maxLineLength) {
          overlong = true;
          pending = 0;
        } else {
          const larger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxLineLength + 1));
          buffer.copy(larger, 0, 0, pending);
          buffer = larger;
        }
      }
      const { bytesRead } = await handle.read(buffer, pending, buffer.length - pending, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      const end = pending + bytesRead;
      let from = 0;
      // Only the new bytes are searched, so a very long line costs O(length), not O(length²).
      let newline = buffer.indexOf(NEWLINE, pending);
      while (newline !== -1 && newline < end) {
        emit(from, newline, true);
        from = newline + 1;
        newline = buffer.indexOf(NEWLINE, from);
      }
      if (overlong) {
        pending = 0;
      } else {
        buffer.copyWithin(0, from, end);
        pending = end - from;
      }
      options.onChunk?.(bytes);
    }
    if (pending > 0 || overlong) emit(0, pending, false);
  } finally {
    await handle.close();
  }
  return { lines: lineNumber, bytes };
}
