import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readLines, type ReadLinesOptions } from '../../diagnose/line-reader.js';
import { tempDir } from './helpers.js';

describe('readLines', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let n = 0;

  before(async () => ({ dir, cleanup } = await tempDir()));
  after(() => cleanup());

  async function lines(content: string | Buffer, options: ReadLinesOptions = {}): Promise<[string, number, boolean][]> {
    const file = path.join(dir, `f${++n}.txt`);
    await writeFile(file, content);
    const seen: [string, number, boolean][] = [];
    await readLines(file, (line, number, terminated) => seen.push([line, number, terminated]), options);
    return seen;
  }

  it('splits across tiny chunks, multi-byte characters and CRLF', async () => {
    const text = '\uFEFFfirst → line\r\nsecond µs\n\nlast';
    for (const chunkSize of [1, 2, 3, 7, 1024]) {
      assert.deepEqual(await lines(text, { chunkSize }), [
        ['first → line', 1, true],
        ['second µs', 2, true],
        ['', 3, true],
        ['last', 4, false],
      ]);
    }
  });

  it('marks the final line terminated when the file ends with a newline', async () => {
    assert.deepEqual(await lines('a\nb\n'), [
      ['a', 1, true],
      ['b', 2, true],
    ]);
    assert.deepEqual(await lines(''), []);
  });

  it('skips overlong lines without buffering them', async () => {
    const overlong: number[] = [];
    const seen = await lines(`short\n${'x'.repeat(100)}\nok\n${'y'.repeat(50)}`, {
      chunkSize: 8,
      maxLineLength: 20,
      onOverlong: (line) => overlong.push(line),
    });
    assert.deepEqual(seen, [
      ['short', 1, true],
      ['ok', 3, true],
    ]);
    assert.deepEqual(overlong, [2, 4]);
  });
});
