import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateTraceLines } from '../support/trace-fixtures.js';
import { diagnoseCommand } from '../../cli/diagnose.js';
import { runDiagnoseCli, tempDir, writeLines } from './helpers.js';

const run = runDiagnoseCli;

describe('polyglot diagnose (CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let traces: string;

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    traces = await writeLines(path.join(dir, 'traces.jsonl'), [...generateTraceLines({ seed: 2, traces: 300 })]);
  });
  after(() => cleanup());

  it('prints the table, writes diagnose.svg next to the input and exits 0', async () => {
    const { code, stdout, stderr } = await run([traces]);
    assert.equal(code, 0);
    assert.equal(stderr, '');
    assert.match(stdout, /Slow paths: 3 of 3 edges/);
    assert.match(stdout, /the boundary is \d+% of p99 on gateway → ranking/);
    const chart = path.join(dir, 'diagnose.svg');
    assert.ok(stdout.endsWith(`Chart: ${chart}\n`));
    assert.ok((await stat(chart)).size > 0);
    assert.ok(!stdout.includes('\x1b['), 'no colour when stdout is not a TTY');
  });

  it('writes the same chart bytes on every run, to --out', async () => {
    const a = path.join(dir, 'a.svg');
    const b = path.join(dir, 'b.svg');
    await run([traces, '--out', a]);
    await run([traces, '--out', b, '--top', '2']);
    await run([traces, '--out', b]);
    assert.equal(await readFile(a, 'utf8'), await readFile(b, 'utf8'));
  });

  it('prints the structured result with --json, honouring --top', async () => {
    const { code, stdout } = await run([traces, '--json', '--top', '1', '--out', path.join(dir, 'j.svg')]);
    assert.equal(code, 0);
    const parsed = JSON.parse(stdout);
    assert.equal(parsed.verdicts.length, 1);
    assert.equal(parsed.edges.length, 3);
    assert.equal(parsed.chart, path.join(dir, 'j.svg'));
    assert.deepEqual(parsed.warnings, []);
  });

  it('colours the table on a TTY', async () => {
    const { stdout } = await run([traces, '--out', path.join(dir, 'c.svg')], true);
    assert.ok(stdout.includes('\x1b['));
  });

  it('exits 1 with a clear message for a missing file', async () => {
    const { code, stdout, stderr } = await run([path.join(dir, 'missing.jsonl')]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr, `polyglot diagnose: no such file: ${path.join(dir, 'missing.jsonl')}\n`);
  });

  it('exits 1 for an empty file and writes no chart', async () => {
    const empty = await writeLines(path.join(dir, 'empty', 'x.jsonl').replace('/empty/', '/empty-'), []);
    const { code, stderr } = await run([empty, '--out', path.join(dir, 'none.svg')]);
    assert.equal(code, 1);
    assert.match(stderr, /is empty: no trace data to diagnose/);
    await assert.rejects(stat(path.join(dir, 'none.svg')));
  });

  it('exits 1 when nothing pairs, but still reports what it found', async () => {
    const [first] = [...generateTraceLines({ seed: 2, traces: 1 })];
    // Keep only the gateway's spans: its client calls have no server side.
    const request = JSON.parse(first!);
    request.resourceSpans = request.resourceSpans.filter(
      (rs: { resource: { attributes: { value: { stringValue: string } }[] } }) =>
        rs.resource.attributes[0]!.value.stringValue === 'gateway',
    );
    const lonely = await writeLines(path.join(dir, 'lonely.jsonl'), [JSON.stringify(request)]);
    const { code, stdout, stderr } = await run([lonely]);
    assert.equal(code, 1);
    assert.match(stdout, /client spans without a server span/);
    assert.match(stderr, /no CLIENT span with a SERVER child/);
  });

  it('rejects a bad --top', async () => {
    const command = diagnoseCommand().exitOverride().configureOutput({ writeErr: () => {} });
    await assert.rejects(command.parseAsync([traces, '--top', '0'], { from: 'user' }), /must be a positive integer/);
  });
});
