// Start-up config validation: a bad config fails with one sentence naming the file and the field.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';
import { sampleConfig } from './support/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'service-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function fails(file: string, pattern: RegExp): void {
  assert.throws(() => loadConfig(file), (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(error.message, pattern);
    assert.ok(error.message.includes(file), `names the file: ${error.message}`);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return true;
  });
}

test('a valid config loads', () => {
  const config = sampleConfig();
  assert.deepEqual(loadConfig(write('ok.json', config)), config);
});

test('$POLYGLOT_CONFIG is the default path', () => {
  const file = write('env.json', sampleConfig());
  const previous = process.env['POLYGLOT_CONFIG'];
  process.env['POLYGLOT_CONFIG'] = file;
  try {
    assert.equal(loadConfig().service, sampleConfig().service);
  } finally {
    if (previous === undefined) delete process.env['POLYGLOT_CONFIG'];
    else process.env['POLYGLOT_CONFIG'] = previous;
  }
});

test('a missing file is named', () => fails(join(dir, 'absent.json'), /cannot be read: ENOENT/));
test('invalid JSON is named', () => fails(write('broken.json', '{"schema": '), /is not valid JSON/));
test('a wrong type names the field', () => fails(write('type.json', { ...sampleConfig(), deadlineMs: '200' }), /field deadlineMs must be integer/));
test('a missing field is named', () => {
  const { backoff: _, ...rest } = sampleConfig();
  fails(write('missing.json', rest), /field backoff is missing/);
});
test('an unknown field is named', () => fails(write('extra.json', { ...sampleConfig(), timeouts: {} }), /field timeouts is not allowed/));
test('a nested field is named with its path', () =>
  fails(write('nested.json', { ...sampleConfig(), backoff: { ...sampleConfig().backoff, multiplier: 0.5 } }), /field backoff\.multiplier must be >= 1/));
test('the format version is checked', () => fails(write('v2.json', { ...sampleConfig(), schema: 'polyglot.dev/service-config/v2' }), /field schema must be equal to constant/));
