import { createReadStream } from 'node:fs';

/** Options for {@link readLines}. */
export interface ReadLinesOptions {
  /** Called after each chunk with the number of bytes read so far. */
  onChunk?: (bytesRead: number) => void;
  /**
   * Read size per chunk, in bytes.
   * @default 1048576
   */
  chunkSize?: number;
  /**
   * Lines longer than this (in UTF-16 code units) are skipped via `onOverlong` instead of
   * being buffered: V8 strings cannot exceed ~512 Mi characters, and such a line could not
   * be parsed anyway.
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

/**
 * Streams a UTF-8 file line by line with bounded memory (one chunk plus the current line).
 *
 * Hand-rolled rather than `readline` because callers need to know whether the last line was
 * terminated by a newline: an unterminated, unparseable last line means the file was cut
 * mid-write, which deserves a different message than a corrupt line.
 *
 * @param onLine called synchronously for every line (without the `\n`/`\r\n`), with its
 *   1-based number and whether a newline followed it.
 */
export async function readLines(
  path: string,
  onLine: (line: string, lineNumber: number, terminated: boolean) => void,
  options: ReadLinesOptions = {},
): Promise<ReadLinesResult> {
  const stream = createReadStream(path, {
    encoding: 'utf8',
    highWaterMark: options.chunkSize ?? 1 << 20,
  });
  const maxLineLength = options.maxLineLength ?? 1 << 28;
  let carry = '';
  let overlong = false;
  let lineNumber = 0;
  const emit = (line: string, terminated: boolean): void => {
    lineNumber++;
    if (overlong) {
      overlong = false;
      options.onOverlong?.(lineNumber);
      return;
    }
    if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    onLine(line.endsWith('\r') ? line.slice(0, -1) : line, lineNumber, terminated);
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    let from = 0;
    let newline = chunk.indexOf('\n');
    // Only the new chunk is searched, so a very long line costs O(length), not O(length²).
    while (newline !== -1) {
      const piece = chunk.slice(from, newline);
      emit(carry.length > 0 ? carry + piece : piece, true);
      carry = '';
      from = newline + 1;
      newline = chunk.indexOf('\n', from);
    }
    if (from < chunk.length && !overlong) {
      carry += chunk.slice(from);
      if (carry.length > maxLineLength) {
        overlong = true;
        carry = '';
      }
    }
    options.onChunk?.(stream.bytesRead);
  }
  if (carry.length > 0 || overlong) emit(carry, false);
  return { lines: lineNumber, bytes: stream.bytesRead };
}
