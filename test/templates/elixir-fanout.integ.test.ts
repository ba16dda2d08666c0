// templates/elixir-fanout: render the sample context, then run the template's post-render and test
// commands (mix format, the parse check of every file, compile, the core's and the websocket
// endpoint's ExUnit suites with real gun websocket clients) on Debian's Elixir 1.14 / OTP 25 with
// cowboy and gun taken from `.tools/erl-libs` (scripts/tools.d/50-elixir.sh). The Hex-only apps
// (NATS through Gnat, OpenTelemetry) cannot be compiled without Hex: they are parsed and
// format-checked. Then the service is booted for real: a bad config stops it with one message,
// a good one serves the probes, and on SIGTERM a connected websocket client (Node's own) is told
// to reconnect and closed with 1012. A second render (no events, one shared port, a long name)
// goes through the same commands.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TOOLS_DIR } from '../support/tools.js';
import { renderService, sampleContext, templateCommands, toolsCache, type RenderedService, freePort } from './support.js';

const TEMPLATE = 'elixir-fanout';
const ERL_LIBS = join(TOOLS_DIR, 'erl-libs');

/** The toolchain must be there: a missing one fails the test (run `npm run tools`). */
function elixirEnv(): Record<string, string> {
  const version = spawnSync('elixir', ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, `elixir is not installed (run \`npm run tools\`, scripts/tools.d/50-elixir.sh): ${version.error?.message ?? version.stderr}`);
  for (const app of ['cowboy', 'cowlib', 'ranch', 'gun']) {
    const found = existsSync(ERL_LIBS) && readdirSync(ERL_LIBS).some((dir) => dir.startsWith(`${app}-`));
    assert.ok(found, `${app} is missing from ${ERL_LIBS}: run \`npm run tools\` (scripts/tools.d/50-elixir.sh)`);
  }
  return {
    ERL_LIBS,
    FANOUT_SYSTEM_LIBS: '1',
    MIX_ENV: 'test',
    MIX_HOME: toolsCache('mix'),
    HEX_HOME: toolsCache('hex'),
  };
}

function runAll(service: RenderedService, commands: readonly (readonly string[])[], label: string): string {
  let all = '';
  for (const command of commands) {
    const started = Date.now();
    const { status, output } = service.run(command);
    all += output;
    assert.equal(status, 0, `${label}: \`${command.join(' ')}\` failed (exit ${status}):\n${output}`);
    console.log(`# ${label}: ${command.slice(0, 2).join(' ')}${command.length > 3 ? ' …' : ''} ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return all;
}

function elixirFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['_build', 'deps', 'node_modules'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...elixirFiles(path));
    else if (/\.exs?$/.test(entry.name)) files.push(path);
  }
  return files;
}

async function get(port: number, path: string): Promise<number | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
    await response.text();
    return response.status;
  } catch {
    return undefined;
  }
}

/** `mix run --no-halt` of the rendered service (dev env, listeners moved to free ports). */
function boot(service: RenderedService, config: string, ports: { http: number; websocket: number }) {
  const child = spawn('mix', ['run', '--no-halt'], {
    cwd: service.dir,
    env: { ...process.env, ...elixirEnv(), MIX_ENV: 'dev', POLYGLOT_CONFIG: config, HTTP_PORT: String(ports.http), WEBSOCKET_PORT: String(ports.websocket) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// One at a time: the boot tests share the sample render's dev build.
describe('templates/elixir-fanout', { concurrency: 1 }, () => {
  const env = elixirEnv();
  const commands = templateCommands(TEMPLATE);
  let service: RenderedService;

  before(() => {
    service = renderService(TEMPLATE, sampleContext('elixir'), env);
  });
  after(() => service?.remove());

  test('the sample render is formatted as written, then passes its post-render and test commands', () => {
    // Before postRender's `mix format`: the template itself is formatted for the sample names.
    const formatted = service.run(['mix', 'format', '--check-formatted']);
    assert.equal(formatted.status, 0, `the template is not mix-formatted:\n${formatted.output}`);

    const output = runAll(service, [...commands.postRender, ...commands.test], 'sample');

    // Every Elixir file, the Hex-only apps' included, went through the parser.
    const parsed = /parsed (\d+) Elixir files/.exec(output);
    assert.ok(parsed, output);
    const files = elixirFiles(service.dir);
    assert.ok(files.some((f) => f.includes('billing_nats')) && files.some((f) => f.includes('billing_otel')), 'the Hex-only apps were not rendered');
    assert.equal(Number(parsed[1]), files.length, `parse check covered ${parsed[1]} of ${files.length} files`);

    // Both ExUnit suites ran and passed.
    const summaries = [...output.matchAll(/^(\d+) tests?, (\d+) failures?/gm)];
    assert.equal(summaries.length, 2, `expected the core's and the endpoint's suites:\n${output}`);
    for (const [line, tests, failures] of summaries) {
      assert.ok(Number(tests) > 0 && Number(failures) === 0, line);
    }
  });

  test('a bad service config stops the start-up with one message naming the file and the field', async () => {
    const config = JSON.parse(readFileSync(join(service.dir, 'apps', 'billing', 'test', 'fixtures', 'service.json'), 'utf8'));
    delete config.deadlineMs;
    const bad = join(service.dir, 'bad-service.json');
    writeFileSync(bad, JSON.stringify(config));
    const run = boot(service, bad, { http: await freePort(), websocket: await freePort() });
    const code = await within(run.exited, 180_000, 'boot with a bad config');
    assert.notEqual(code, 0, run.output());
    assert.match(run.output(), new RegExp(`service config ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \`deadlineMs\` is required`));
  });

  test('the service boots, answers its probes, and on SIGTERM tells its websocket clients to reconnect elsewhere', async () => {
    const ports = { http: await freePort(), websocket: await freePort() };
    const run = boot(service, join(service.dir, 'apps', 'billing', 'test', 'fixtures', 'service.json'), ports);
    let client: ReturnType<typeof spawn> | undefined;
    try {
      const deadline = Date.now() + 180_000; // includes compiling the dev build
      while ((await get(ports.http, '/healthz')) !== 200) {
        assert.ok(Date.now() < deadline && run.child.exitCode === null, `the service did not come up:\n${run.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(await get(ports.http, '/readyz'), 200);

      // A real websocket client (Node's own, behind a flag on Node 20) that subscribes, then
      // prints every frame and the close code.
      const script = `
        const ws = new WebSocket('ws://127.0.0.1:${ports.websocket}/ws?client_id=e2e');
        ws.onopen = () => ws.send(JSON.stringify({ type: 'subscribe', topic: 'test.rooms.message.lobby' }));
        ws.onmessage = (m) => console.log('frame ' + m.data);
        ws.onclose = (e) => { console.log('close ' + e.code); process.exit(0); };
        setTimeout(() => { console.log('timeout'); process.exit(1); }, 60000);`;
      client = spawn(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let frames = '';
      client.stdout!.on('data', (chunk) => (frames += chunk));
      client.stderr!.on('data', (chunk) => (frames += chunk));
      const clientExited = new Promise<number | null>((resolve) => client!.on('exit', (code) => resolve(code)));
      const subscribedBy = Date.now() + 10_000;
      while (!frames.includes('"type":"subscribed"')) {
        assert.ok(Date.now() < subscribedBy, `the websocket client did not subscribe:\n${frames}\n${run.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }

      run.child.kill('SIGTERM');
      assert.equal(await within(clientExited, 30_000, 'the websocket client after SIGTERM'), 0, frames);
      assert.match(frames, /frame \{"reason":"draining","type":"reconnect"\}/);
      assert.match(frames, /^close 1012$/m);

      const code = await within(run.exited, 30_000, 'shutdown after SIGTERM');
      assert.equal(code, 0, run.output());
      const window = sampleContext('elixir').service.preStopDrainSeconds * 1000;
      assert.match(run.output(), new RegExp(`draining 1 websocket clients over ${window} ms`));
      assert.match(run.output(), /drained: 1 clients told to reconnect elsewhere, 0 still open/);
    } finally {
      if (client?.exitCode === null) client.kill('SIGKILL');
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });

  test('a service without events, on one shared port, with a long name, also passes', () => {
    const context = sampleContext('elixir', {
      names: { kebab: 'notification-dispatcher', snake: 'notification_dispatcher', pascal: 'NotificationDispatcher', camel: 'notificationDispatcher' },
      publishes: [],
      subscribes: [],
      usesNats: false,
    });
    const other = renderService(
      TEMPLATE,
      { ...context, service: { ...context.service, name: 'notification-dispatcher', ports: { http: 4000 } } },
      env,
    );
    try {
      const output = runAll(other, [...commands.postRender, ...commands.test], 'no-events');
      assert.match(readFileSync(join(other.dir, 'Dockerfile'), 'utf8'), /^EXPOSE 4000$/m);
      assert.match(readFileSync(join(other.dir, 'config', 'config.exs'), 'utf8'), /websocket_port: 4000,/);
      assert.equal([...output.matchAll(/^\d+ tests?, 0 failures?/gm)].length, 2, output);
    } finally {
      other.remove();
    }
  });
});
