// templates/ts-api rendered and built the way a user gets it: post-render (`npm ci` against the
// shipped package-lock.json, `npm run generate`), then the template's test commands (`tsc
// --noEmit`, the service's own `node --test` suite) — on Node 24, which the template targets.
// Node 24 comes from scripts/tools.d/10-node24.sh (`npm run tools`); missing, the test fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, test } from 'node:test';
import type { TemplateContext } from '../../generators/service/template-context.js';
import { TOOLS_DIR } from '../support/tools.js';
import { renderService, sampleContext, templateCommands, toolsCache } from './support.js';

const NODE24_BIN = join(TOOLS_DIR, 'node24', 'bin');
const NODE24_VERSION = 'v24.19.0';

/** PATH with Node 24 first, npm's cache outside the clone (warm on the second run), no network
 * extras (audit, fund, update check). */
function node24Env(): Record<string, string> {
  for (const tool of ['node', 'npm']) {
    try {
      accessSync(join(NODE24_BIN, tool), constants.X_OK);
    } catch {
      throw new Error(`Node 24 is not installed (expected ${join(NODE24_BIN, tool)}): run \`npm run tools\` (scripts/tools.d/10-node24.sh)`);
    }
  }
  const env = {
    PATH: `${NODE24_BIN}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_cache: toolsCache('npm-node24'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // The lock pins every version and integrity: reuse cached metadata instead of revalidating it.
    npm_config_prefer_offline: 'true',
    // The rendered service's tests set what they need; keep the SDK quiet if one starts.
    OTEL_SDK_DISABLED: 'true',
  };
  const version = spawnSync('node', ['--version'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(version.stdout?.trim(), NODE24_VERSION, `node on the test PATH is not Node 24: ${version.stdout}${version.stderr}`);
  return env;
}

// node:test marks its child processes with NODE_TEST_CONTEXT; inherited, it would turn the
// service's own `node --test` into a silent child of this run. It is read at start-up only.
delete process.env.NODE_TEST_CONTEXT;

function renderAndTest(context: TemplateContext): void {
  const env = node24Env();
  const service = renderService('ts-api', context, env);
  try {
    const { postRender, test: testCommands } = templateCommands('ts-api');
    assert.ok(postRender.length > 0 && testCommands.length > 0, 'template.json lists post-render and test commands');
    for (const command of [...postRender, ...testCommands]) {
      const started = Date.now();
      const { status, output } = service.run(command);
      assert.equal(status, 0, `\`${command.join(' ')}\` failed in ${service.dir} (exit ${status}):\n${output}`);
      console.log(`${command.join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (command.join(' ') === 'npm test') {
        // The service's suite really ran: node:test's summary, with no failure.
        assert.match(output, /^ℹ pass [1-9]\d*$/m, output);
        assert.match(output, /^ℹ fail 0$/m, output);
      }
    }
  } finally {
    service.remove();
  }
}

describe('templates/ts-api', () => {
  test('the sample service (calls identity, publishes and subscribes) installs, generates, type-checks and passes its tests on Node 24', () => {
    renderAndTest(sampleContext('typescript'));
  });

  test('a service without calls or events does too', () => {
    renderAndTest(sampleContext('typescript', { calls: [], publishes: [], subscribes: [], usesNats: false, protoFiles: [] }));
  });
});
