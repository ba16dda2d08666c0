// templates/ts-api rendered and built the way a user gets it: post-render (`npm ci` against the
// shipped package-lock.json, `npm run generate`), then the template's test commands (`tsc
// --noEmit`, the service's own `node --test` suite) — on Node 24, which the template targets.
// Node 24 comes from scripts/tools.d/10-node24.sh (`npm run tools`); missing, the test fails.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, test } from 'node:test';
import { AckPolicy, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { defaultPorts, TYPESCRIPT_PROFILE } from '../../constructs/index.js';
import type { TemplateContext } from '../../generators/service/template-context.js';
import { toolPath, TOOLS_DIR } from '../support/tools.js';
import { renderService, sampleContext, templateCommands, toolsCache, type RenderedService, freePort } from './support.js';

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

async function renderAndTest(context: TemplateContext, live?: (service: RenderedService, env: Record<string, string>) => Promise<void>): Promise<void> {
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
    if (live) await live(service, env);
  } finally {
    service.remove();
  }
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The built service (`npm run build`, then the image's command) against a real nats-server with
 * JetStream, where the service's NATS user may do only what its config needs: consume its durable
 * consumer (JetStream API replies arrive under its own inbox prefix, the only inbox it may
 * subscribe to) and publish its own subjects. Proves the user, the password from the env var
 * named by `nats.passwordEnv`, the inbox prefix and the subjects are the config's, then SIGTERM.
 */
async function liveRun(service: RenderedService, env: Record<string, string>): Promise<void> {
  const build = service.run(['npm', 'run', 'build']);
  assert.equal(build.status, 0, build.output);
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-ts-api-live-'));
  const children: ChildProcess[] = [];
  let nc: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    const natsPort = await freePort();
    const httpPort = await freePort();
    const inbox = '_INBOX_shop-billing';
    writeFileSync(join(dir, 'nats.json'), JSON.stringify({
      listen: `127.0.0.1:${natsPort}`,
      jetstream: { store_dir: join(dir, 'js') },
      authorization: {
        users: [
          { user: 'admin', password: 'admin-pw' },
          {
            user: 'billing',
            password: 'billing-pw',
            permissions: {
              publish: { allow: ['shop.billing.>', '$JS.API.CONSUMER.INFO.IDENTITY.billing-user-signed-in', '$JS.API.CONSUMER.MSG.NEXT.IDENTITY.billing-user-signed-in', '$JS.ACK.IDENTITY.billing-user-signed-in.>'] },
              subscribe: { allow: [`${inbox}.>`] },
            },
          },
        ],
      },
    }));
    const nats = spawn(toolPath('nats-server'), ['-c', join(dir, 'nats.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(nats);
    nc = await until('nats-server', () => connect({ servers: `127.0.0.1:${natsPort}`, user: 'admin', pass: 'admin-pw' }).catch(() => undefined));
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'IDENTITY', subjects: ['shop.identity.>'], storage: 'memory' as never });
    await jsm.consumers.add('IDENTITY', { durable_name: 'billing-user-signed-in', ack_policy: AckPolicy.Explicit, filter_subject: 'shop.identity.signed-in.*' });

    const config = {
      schema: 'polyglot.dev/service-config/v1', system: 'shop', domain: 'billing', service: 'billing', runtime: 'typescript', version: '0.1.0',
      deadline: '1s', deadlineMs: 1000,
      backoff: { initial: '25ms', initialMs: 25, max: '1s', maxMs: 1000, multiplier: 2 },
      ports: { http: httpPort },
      serves: [],
      calls: [{ contract: 'identity', grpcService: 'shop.identity.v1.IdentityService', target: 'dns:///127.0.0.1:9', timeout: '50ms', timeoutMs: 50, retries: 1 }],
      publishes: [{ event: 'invoice-issued', subject: 'shop.billing.invoice-issued.{customer}', version: 1 }],
      subscribes: [{ event: 'user-signed-in', subject: 'shop.identity.signed-in.*', version: 1, durable: true, stream: 'IDENTITY', consumer: 'billing-user-signed-in' }],
      nats: { url: `nats://127.0.0.1:${natsPort}`, user: 'billing', passwordEnv: 'BILLING_NATS_PASSWORD', inboxPrefix: inbox },
    };
    writeFileSync(join(dir, 'service.json'), JSON.stringify(config));
    const app = spawn('node', ['--enable-source-maps', '--import', './dist/telemetry.js', './dist/main.js'], {
      cwd: service.dir,
      env: { ...process.env, ...env, POLYGLOT_CONFIG: join(dir, 'service.json'), BILLING_NATS_PASSWORD: 'billing-pw', OTEL_SDK_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(app);
    let log = '';
    app.stdout!.on('data', (chunk) => (log += chunk));
    app.stderr!.on('data', (chunk) => (log += chunk));
    const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${httpPort}`;
    await until('the service to be ready', async () => {
      if (app.exitCode !== null) assert.fail(`the service exited (${app.exitCode}):\n${log}`);
      return (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined;
    });

    // An event published by someone else reaches the durable consumer's handler and is acked.
    nc.publish('shop.identity.signed-in.u-1', JSON.stringify({ user: 'u-1' }));
    await until(`the event in the service log:\n${log}`, () => (log.includes('"event received"') || log.includes('event received') ? true : undefined));
    await until('the ack', async () => ((await jsm.consumers.info('IDENTITY', 'billing-user-signed-in')).num_ack_pending === 0 ? true : undefined));
    assert.doesNotMatch(log, /Permissions Violation|PermissionViolation/i, log);

    // HTTP through the built code: validation and an unreachable callee.
    const bad = await fetch(`${base}/v1/identity/getUser`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":1}' });
    assert.equal(bad.status, 400);
    const down = await fetch(`${base}/v1/identity/getUser`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"u-1"}' });
    assert.equal(down.status, 503, await down.text());

    const stopping = Date.now();
    app.kill('SIGTERM');
    assert.equal(await exited, 0, log);
    assert.ok(Date.now() - stopping < 10_000, `stopped in ${Date.now() - stopping} ms`);
  } finally {
    await nc?.close();
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The built service serving gRPC (the image's command, plain `node` on dist/): a client in the
 * service's own folder (its @grpc/grpc-js and grpc-health-check) asks grpc.health.v1 and calls a
 * served method over loopback; then SIGTERM, and the process exits 0.
 */
async function liveGrpcRun(service: RenderedService, env: Record<string, string>): Promise<void> {
  const build = service.run(['npm', 'run', 'build']);
  assert.equal(build.status, 0, build.output);
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-ts-api-grpc-'));
  let app: ChildProcess | undefined;
  try {
    const grpcPort = await freePort();
    const config = {
      schema: 'polyglot.dev/service-config/v1', system: 'shop', domain: 'billing', service: 'billing', runtime: 'typescript', version: '0.1.0',
      deadline: '1s', deadlineMs: 1000,
      backoff: { initial: '25ms', initialMs: 25, max: '1s', maxMs: 1000, multiplier: 2 },
      ports: { http: await freePort(), grpc: grpcPort },
      serves: [{ contract: 'billing', grpcService: 'shop.billing.v1.BillingService', proto: 'shop/billing/v1/billing.proto' }],
      calls: [], publishes: [], subscribes: [],
    };
    writeFileSync(join(dir, 'service.json'), JSON.stringify(config));
    app = spawn('node', ['--enable-source-maps', '--import', './dist/telemetry.js', './dist/main.js'], {
      cwd: service.dir,
      env: { ...process.env, ...env, POLYGLOT_CONFIG: join(dir, 'service.json'), OTEL_SDK_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    app.stdout!.on('data', (chunk) => (log += chunk));
    app.stderr!.on('data', (chunk) => (log += chunk));
    const exited = new Promise<number | null>((resolve) => app!.once('exit', (code) => resolve(code)));
    // The client runs in the service folder so it resolves the service's own packages.
    const client = `
      import { credentials, makeClientConstructor, makeGenericClientConstructor } from '@grpc/grpc-js';
      import { service } from 'grpc-health-check';
      const target = '127.0.0.1:${grpcPort}';
      const Health = makeClientConstructor(service, 'Health');
      const health = new Health(target, credentials.createInsecure());
      const status = await new Promise((resolve, reject) => health.check({ service: 'shop.billing.v1.BillingService' }, (e, r) => (e ? reject(e) : resolve(r.status))));
      const Billing = makeGenericClientConstructor({ charge: { path: '/shop.billing.v1.BillingService/Charge', requestStream: false, responseStream: false, requestSerialize: (b) => b, responseDeserialize: (b) => b } }, 'Billing');
      const billing = new Billing(target, credentials.createInsecure());
      const error = await new Promise((resolve) => billing.charge(Buffer.alloc(0), (e) => resolve(e)));
      console.log(JSON.stringify({ status, code: error?.code, details: error?.details }));
      health.close(); billing.close();`;
    const answer = await until(`the gRPC answer of the built service:\n${log}`, () => {
      if (app!.exitCode !== null) assert.fail(`the service exited (${app!.exitCode}):\n${log}`);
      const run = service.run(['node', '--input-type=module', '-e', client], { env: { ...process.env, ...env } });
      return run.status === 0 ? (JSON.parse(run.output.trim().split('\n').pop()!) as { status: string; code: number; details: string }) : undefined;
    });
    assert.equal(answer.status, 'SERVING');
    assert.equal(answer.code, 12, 'UNIMPLEMENTED until the method is written');
    assert.match(answer.details, /shop\.billing\.v1\.BillingService\/Charge is not implemented yet/);

    app.kill('SIGTERM');
    assert.equal(await exited, 0, log);
  } finally {
    if (app && app.exitCode === null) app.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('templates/ts-api', () => {
  test('the sample service (calls identity, publishes and subscribes) installs, generates, type-checks, passes its tests and runs built against NATS on Node 24', async () => {
    await renderAndTest(sampleContext('typescript'), liveRun);
  });

  test('a service that serves a gRPC contract (billing) does too, and its built process answers gRPC health and the served method', async () => {
    const served = sampleContext('rust');
    const sample = sampleContext('typescript');
    // It serves billing and nothing else: the live run's config holds no calls and no events. The
    // ports are the generator's for a serving TypeScript service (the profile's whenServingGrpc).
    await renderAndTest(
      sampleContext('typescript', {
        service: { ...sample.service, ports: defaultPorts(TYPESCRIPT_PROFILE, true) },
        serves: served.serves,
        calls: [],
        publishes: [],
        subscribes: [],
        usesNats: false,
        protoFiles: [...new Set(served.serves.map((s) => s.protoFile))],
      }),
      liveGrpcRun,
    );
  });

  test('a service without calls or events does too', async () => {
    await renderAndTest(sampleContext('typescript', { calls: [], publishes: [], subscribes: [], usesNats: false, protoFiles: [] }));
  });
});
