import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL, writeTraceFile, type WrittenTraceFile } from '../support/trace-fixtures.js';
import { diagnose } from '../../diagnose/index.js';
import { tempDir } from './helpers.js';

const MB = 1024 * 1024;

describe('diagnose on a ~50 MB file', () => {
  let file: string;
  let written: WrittenTraceFile;
  let cleanup: () => Promise<void>;

  before(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    file = path.join(tmp.dir, 'big.jsonl');
    written = await writeTraceFile(file, { seed: 5, bytes: 50 * MB });
  });
  after(() => cleanup());

  it('streams it with bounded memory and gets the answers right', async () => {
    assert.ok(written.bytes >= 50 * MB);
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = 0;
    let chunks = 0;
    const result = await diagnose(file, {
      // A window well below the file's span count, so the bound is what's being exercised.
      window: 20_000,
      onProgress: () => {
        chunks++;
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    assert.ok(chunks >= 50, 'read in chunks');
    assert.equal(result.totals.bytes, written.bytes);
    assert.equal(result.totals.spans, written.spans);
    const traces = written.spans / (1 + 2 * DEFAULT_MODEL.calls.length + 2 * DEFAULT_MODEL.messaging.length);
    assert.equal(result.totals.pairs, traces * DEFAULT_MODEL.calls.length);
    assert.equal(result.totals.hops, traces);
    assert.equal(result.unpaired.clientsWithoutServer + result.unpaired.serversWithoutClient, 0);
    assert.deepEqual(
      result.verdicts.map((v) => `${v.side}: ${v.caller} → ${v.callee}`),
      ['runtime: gateway → identity', 'runtime: identity → jwt-signer', 'boundary: gateway → ranking'],
    );
    // Generous: the file is 50 MB and parsing churns through garbage; holding the parsed
    // file (or even every span record) would blow well past this.
    const grown = (peakHeap - heapBefore) / MB;
    assert.ok(grown < 150, `heap grew by ${grown.toFixed(0)} MB while reading`);
  });
});
