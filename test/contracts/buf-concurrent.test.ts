import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bufEnv, buildImage, runBuf, type BufRun } from '../../constructs/contracts/buf.js';
import { startBufRuns } from '../../constructs/contracts/buf-concurrent.js';
import { PRICING_PROTO, bufModule, editProto } from './buf-module.js';

test('buf commands run side by side give, in order, what each gives run alone (real buf)', () => {
  const root = bufModule();
  const baseline = buildImage('.', root);
  assert.ok('image' in baseline, JSON.stringify(baseline));
  // A lint finding and a breaking change, so each command has something of its own to say.
  editProto(root, PRICING_PROTO, (t) => `${t.replace('int64 quantity = 2;', 'string quantity = 2;')}\n// Bad name.\nmessage quote_extra {}\n`);
  const runs: BufRun[] = [
    { args: ['lint', '.'], cwd: root },
    { args: ['breaking', '.', '--against', '-#format=json'], cwd: root, stdin: JSON.stringify(baseline.image) },
    { args: ['breaking', '.', '--against', 'no-such-image.binpb'], cwd: root },
  ];
  const together = startBufRuns(runs).wait();
  const alone = runs.map((run) => runBuf(run.args, run.cwd, run.stdin));
  assert.deepEqual(together, alone);
  assert.deepEqual(
    together.slice(0, 2).map((outcome) => ('violations' in outcome ? outcome.violations.map((v) => v.type) : outcome.failure)),
    [['MESSAGE_PASCAL_CASE'], ['FIELD_SAME_TYPE']],
  );
  assert.match('failure' in together[2]! ? together[2].failure : '', /^buf breaking failed \(exit 1\): /, 'a run that fails says so, beside the others');
});

test('one run needs no thread: the same outcome as running it alone', () => {
  const root = bufModule();
  assert.deepEqual(startBufRuns([{ args: ['lint', '.'], cwd: root }]).wait(), [runBuf(['lint', '.'], root)]);
  assert.deepEqual(startBufRuns([]).wait(), []);
});

test("buf runs with Go's collector at GOGC=400 unless the user set GOGC", () => {
  const saved = process.env.GOGC;
  try {
    delete process.env.GOGC;
    assert.equal(bufEnv().GOGC, '400');
    process.env.GOGC = '150';
    assert.equal(bufEnv().GOGC, '150');
  } finally {
    if (saved === undefined) delete process.env.GOGC;
    else process.env.GOGC = saved;
  }
});
