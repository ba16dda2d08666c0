import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { declaredModel } from '../../cli/diagnose.js';
// The same build of the library jvn's system.ts imports, so the model's types match.
import { modelOutline } from 'generator-polyglot';
import { diagnose, type DeclaredModel, type DiagnoseResult } from '../../diagnose/index.js';
import { jvn } from '../../examples/jvn/system.js';
import { generateTraceLines, type FixtureModel } from '../support/trace-fixtures.js';
import { runDiagnoseCli, tempDir, writeLines } from './helpers.js';
import { fixtureFromModel, type ModelFixture } from './model-fixture.js';

const JVN_DIR = path.resolve(import.meta.dirname, '../../examples/jvn');
const TRACES = 1500;

/** The healthy twin of a fixture: no injected slowness, retries or undeclared call. */
function healthy(fixture: FixtureModel, undeclaredOperation: string): FixtureModel {
  return {
    ...fixture,
    calls: fixture.calls
      .filter((c) => `${c.rpcService}/${c.rpcMethod}` !== undeclaredOperation)
      .map(({ retry: _retry, ...c }) => ({ ...c, runtime: { min: c.runtime.min, max: c.runtime.max } })),
  };
}

describe('diagnose --model: jvn traces generated from the jvn model', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let model: DeclaredModel;
  let made: ModelFixture;
  let traces: string;
  let result: DiagnoseResult;

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    model = declaredModel('jvn', modelOutline(jvn().model()));
    made = fixtureFromModel(model);
    traces = await writeLines(path.join(dir, 'jvn.jsonl'), [...generateTraceLines({ seed: 11, traces: TRACES, model: made.fixture })]);
    result = await diagnose(traces, { model });
  });
  after(() => cleanup());

  it('takes every declared service and call from the model', () => {
    assert.ok(model.services.length >= 6, 'jvn declares its services');
    assert.ok(model.edges.length >= 4, 'jvn declares its calls');
    for (const edge of model.edges) {
      assert.ok(model.services.some((s) => s.id === edge.caller) && model.services.some((s) => s.id === edge.callee));
      assert.ok(edge.timeoutMs > 0 && edge.rpcService.includes('.'));
    }
    assert.deepEqual(result.model?.unobservedEdges, [], 'the fixture exercises every declared call');
    assert.deepEqual(result.model?.undeclaredServices, []);
  });

  it('flags the call the model does not declare, and only that one', () => {
    assert.deepEqual(
      result.model?.undeclaredEdges.map(({ caller, callee, operation, reason }) => ({ caller, callee, operation, reason })),
      [{ ...made.undeclared, reason: 'no-call' }],
    );
  });

  it('flags the call whose p99 exceeds its declared timeout', () => {
    const found = result.model?.timeouts.find((t) => t.caller === made.slow.caller && t.callee === made.slow.callee);
    assert.ok(found, `timeouts: ${JSON.stringify(result.model?.timeouts)}`);
    assert.equal(found.timeoutMs, made.slow.timeoutMs);
    assert.ok(found.p99ClientMs > made.slow.timeoutMs * 1.2);
  });

  it('flags the call retried more than declared, and only that one', () => {
    assert.equal(result.model?.retries.length, 1, JSON.stringify(result.model?.retries));
    const [found] = result.model!.retries;
    assert.equal(found?.caller, made.retried.caller);
    assert.equal(found?.callee, made.retried.callee);
    assert.equal(found?.declaredRetries, made.retried.retries);
    assert.equal(found?.maxRetries, made.retried.retries + 1);
    // About 4% of the caller's calls; the seed fixes the count.
    const calls = result.edges.find((e) => e.caller === made.retried.caller && e.callee === made.retried.callee)!.retries.calls;
    assert.ok(found!.calls > calls * 0.02 && found!.calls < calls * 0.07, `${found!.calls} of ${calls}`);
  });

  it('flags the service whose p99 exceeds its deadline', () => {
    const found = result.model?.deadlines.find((d) => d.service === made.late.service);
    assert.ok(found, `deadlines: ${JSON.stringify(result.model?.deadlines)}`);
    assert.equal(found.deadlineMs, made.late.deadlineMs);
    assert.ok(found.p99Ms > made.late.deadlineMs);
  });

  it('fills the language of a service whose spans carry none from the model', () => {
    const { service, language } = made.unlabelled;
    assert.ok(language, 'the model knows its runtime');
    const summary = result.services.find((s) => s.service === service);
    assert.equal(summary?.language, language);
    for (const edge of result.edges) {
      if (edge.callee === service) assert.equal(edge.calleeLanguage, language);
      if (edge.caller === service) assert.equal(edge.callerLanguage, language);
    }
  });

  it('finds nothing on the healthy twin of the same traces', async () => {
    const file = await writeLines(
      path.join(dir, 'healthy.jsonl'),
      [...generateTraceLines({ seed: 11, traces: TRACES, model: healthy(made.fixture, made.undeclared.operation) })],
    );
    const clean = await diagnose(file, { model });
    assert.deepEqual(
      { ...clean.model, unobservedEdges: [] },
      { system: 'jvn', undeclaredEdges: [], timeouts: [], retries: [], deadlines: [], undeclaredServices: [], unobservedEdges: [] },
    );
    assert.equal(clean.model?.unobservedEdges.length, 0);
  });

  it('checks nothing without a model', async () => {
    const plain = await diagnose(traces);
    assert.equal(plain.model, undefined);
    assert.equal(plain.services.find((s) => s.service === made.unlabelled.service)?.language, undefined);
  });

  it('reports the findings next to the verdicts, from the real system folder (polyglot diagnose --model)', async () => {
    const { code, stdout, stderr } = await run([traces, '--model', JVN_DIR, '--out', path.join(dir, 'chart.svg')]);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, /percentiles are approximate, within 1% of the exact value/);
    assert.match(stdout, /Checked against the model jvn: \d+ findings/);
    assert.ok(stdout.includes(`undeclared edge ${made.undeclared.caller} → ${made.undeclared.callee}`), stdout);
    assert.ok(stdout.includes(`timeout ${made.slow.caller} → ${made.slow.callee}`));
    assert.ok(stdout.includes(`retries ${made.retried.caller} → ${made.retried.callee}`));
    assert.ok(stdout.includes(`deadline ${made.late.service}: p99`));
    assert.ok(stdout.indexOf('Checked against the model') < stdout.indexOf('Verdicts'));
  });

  it('says in one sentence when --model is not a system folder', async () => {
    const { code, stdout, stderr } = await run([traces, '--model', dir]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^polyglot diagnose: --model .*: no main\.ts in .*polyglot init/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});

const run = runDiagnoseCli;
