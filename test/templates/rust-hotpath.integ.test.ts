// templates/rust-hotpath: renders the sample context (billing serves shop.billing.v1.BillingService,
// calls shop.identity.v1.IdentityService), runs the template's post-render and test commands
// (cargo fmt --check, clippy -D warnings, cargo test with the in-process gRPC tests), then runs the
// built binary: an invalid config stops it with one message naming the file and the field, a valid
// one serves until SIGTERM and exits cleanly. A second render without called contracts or NATS
// covers the template's other branch.
//
// Caches: CARGO_HOME=toolsCache('cargo-home') (crates downloaded once) and one fixed
// CARGO_TARGET_DIR=toolsCache('cargo-target-rust-hotpath') for every render, so a second run only
// rebuilds the service's own two crates whatever temp folder it was rendered into.
// A missing cargo/clippy/rustfmt fails the test (scripts/tools.d/40-rust-hotpath.sh installs the pin).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/tools.js';
import type { GrpcContractFacts, GrpcMethodFacts } from '../../generators/service/template-context.js';
import { renderService, sampleContext, templateCommands, toolsCache, type RenderedService, freePort } from './support.js';

const TEMPLATE = 'rust-hotpath';
const env = () => ({
  CARGO_HOME: toolsCache('cargo-home'),
  CARGO_TARGET_DIR: toolsCache('cargo-target-rust-hotpath'),
  CARGO_TERM_COLOR: 'never',
  // Every run builds a fresh render, so incremental state of the service's own crates is never
  // reused: without it the shared target dir stays under 1 GB.
  CARGO_INCREMENTAL: '0',
  // The pinned toolchain must already be there (tools.d registers it): never download one here.
  RUSTUP_AUTO_INSTALL: '0',
});

function runOk(service: RenderedService, command: readonly string[], log: (msg: string) => void): void {
  const started = Date.now();
  const { status, output } = service.run(command);
  log(`${command.join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.equal(status, 0, `\`${command.join(' ')}\` failed (exit ${status}) in ${service.dir}:\n${output.slice(-20_000)}`);
}

function buildAndTest(service: RenderedService, log: (msg: string) => void): void {
  const { postRender, test: tests } = templateCommands(TEMPLATE);
  for (const command of postRender) runOk(service, command, log);
  for (const command of tests) runOk(service, command, log);
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A config for the sample service, valid against schemas/service-config.v1.json. */
function sampleConfig(grpcPort: number): Record<string, unknown> {
  return {
    schema: 'polyglot.dev/service-config/v1',
    system: 'shop', domain: 'billing', service: 'billing', runtime: 'rust', version: '0.1.0',
    deadline: '200ms', deadlineMs: 200,
    backoff: { initial: '25ms', initialMs: 25, max: '1s', maxMs: 1000, multiplier: 2 },
    ports: { grpc: grpcPort, http: 8080 },
    serves: [{ contract: 'billing', grpcService: 'shop.billing.v1.BillingService', proto: 'shop/billing/v1/billing.proto' }],
    calls: [{ contract: 'identity', grpcService: 'shop.identity.v1.IdentityService', target: 'dns:///identity.shop-identity.svc.cluster.local:50051', timeout: '30ms', timeoutMs: 30, retries: 1 }],
    publishes: [{ event: 'invoice-issued', subject: 'shop.billing.invoice-issued.{customer}', version: 1 }],
    subscribes: [{ event: 'user-signed-in', subject: 'shop.identity.signed-in.*', version: 1, durable: true, queueGroup: 'billing' }],
    nats: { url: 'nats://nats.shop-nats.svc.cluster.local:4222', user: 'billing', passwordEnv: 'NATS_PASSWORD', inboxPrefix: '_INBOX_shop-billing' },
  };
}

test('rust-hotpath: the sample render is formatted, lint clean and its tests pass; the binary obeys its config and SIGTERM', { timeout: 75 * 60_000 }, async (t) => {
  const log = (msg: string) => t.diagnostic(msg);
  const service = renderService(TEMPLATE, sampleContext('rust'), env());
  const scratch = mkdtempSync(join(tmpdir(), 'polyglot-rust-hotpath-run-'));
  try {
    // Files a reviewer checks first.
    const dockerfile = readFileSync(join(service.dir, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM rust:1\.95\.0-bookworm AS build$/m);
    assert.match(dockerfile, /^FROM gcr\.io\/distroless\/cc-debian12:nonroot$/m);
    assert.match(dockerfile, /^USER 65532:65532$/m);
    assert.match(readFileSync(join(service.dir, 'rust-toolchain.toml'), 'utf8'), /^channel = "1\.95\.0"$/m);
    assert.ok(existsSync(join(service.dir, '.dockerignore')) && existsSync(join(service.dir, 'README.md')));
    assert.deepEqual(
      JSON.parse(readFileSync(join(service.dir, 'config', 'service-config.v1.json'), 'utf8')),
      JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'service-config.v1.json'), 'utf8')),
    );
    // The template itself is rustfmt-clean for the sample (postRender's `cargo fmt` only matters
    // for names long enough to change line breaks).
    runOk(service, ['cargo', 'fmt', '--all', '--check'], log);

    buildAndTest(service, log);

    const binary = join(env().CARGO_TARGET_DIR, 'debug', 'billing');
    assert.ok(existsSync(binary), `cargo test did not build ${binary}`);

    // An invalid config: exit 1 with one line naming the file and the field.
    const bad = sampleConfig(50051);
    (bad.calls as Record<string, unknown>[])[0]!.timeoutMs = '30';
    const badPath = join(scratch, 'bad.json');
    writeFileSync(badPath, JSON.stringify(bad));
    const refused = spawnSync(binary, [], { env: { ...process.env, POLYGLOT_CONFIG: badPath }, encoding: 'utf8', timeout: 30_000 });
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`invalid service config ${badPath}: calls\\[0\\]\\.timeoutMs: invalid type`));

    // A valid config: serves gRPC on ports.grpc, exits 0 soon after SIGTERM.
    const port = await freePort();
    const goodPath = join(scratch, 'service.json');
    writeFileSync(goodPath, JSON.stringify(sampleConfig(port)));
    // OTLP export on, towards a port where nothing listens: start-up must not depend on the
    // collector, and the flush at exit stays inside the grace period.
    const collector = `http://127.0.0.1:${await freePort()}`;
    const childEnv = { ...process.env, POLYGLOT_CONFIG: goodPath, RUST_LOG: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: collector, OTEL_SERVICE_NAME: 'billing' };
    const child = spawn(binary, [], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitForPort(port, 20_000);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n${output}`);
    }
    const stopping = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    assert.equal(code, 0, output);
    assert.ok(Date.now() - stopping < 20_000, `SIGTERM to exit took ${Date.now() - stopping} ms (grace 20 s)`);
    assert.match(output, /shutting down/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    service.remove();
  }
});

test('rust-hotpath: a service that calls nothing and uses no NATS builds, lints and passes its tests', { timeout: 45 * 60_000 }, (t) => {
  const log = (msg: string) => t.diagnostic(msg);
  const base = sampleContext('rust');
  const context = sampleContext('rust', {
    calls: [],
    publishes: [],
    subscribes: [],
    usesNats: false,
    protoFiles: base.serves.map((s) => s.protoFile),
  });
  const service = renderService(TEMPLATE, context, env());
  try {
    buildAndTest(service, log);
  } finally {
    service.remove();
  }
});

// Streaming methods (server, client, bidi) beside a unary one, a hyphenated contract served and
// called by the same service: the template's other trait shapes and longer names. The proto is
// written here (the shared fixtures have no streaming contract).
const MEDIA_PROTO = `syntax = "proto3";

package acme.media.v1;

service MediaStreamService {
  rpc Get(GetRequest) returns (GetResponse);
  rpc Watch(WatchRequest) returns (stream WatchResponse);
  rpc Upload(stream UploadRequest) returns (UploadResponse);
  rpc Chat(stream ChatRequest) returns (stream ChatResponse);
}

message GetRequest { string id = 1; }
message GetResponse { string id = 1; }
message WatchRequest { string id = 1; }
message WatchResponse { string id = 1; }
message UploadRequest { bytes chunk = 1; }
message UploadResponse { int64 size = 1; }
message ChatRequest { string text = 1; }
message ChatResponse { string text = 1; }
`;

function method(name: string, snake: string, clientStreaming: boolean, serverStreaming: boolean): GrpcMethodFacts {
  const pkg = 'acme.media.v1';
  return { name, camel: snake, snake, inputType: `${pkg}.${name}Request`, inputName: `${name}Request`, outputType: `${pkg}.${name}Response`, outputName: `${name}Response`, clientStreaming, serverStreaming };
}

test('rust-hotpath: streaming methods and a contract both served and called build, lint and pass their tests', { timeout: 45 * 60_000 }, (t) => {
  const log = (msg: string) => t.diagnostic(msg);
  const media: GrpcContractFacts = {
    contract: 'media-stream',
    grpcService: 'acme.media.v1.MediaStreamService',
    protoPackage: 'acme.media.v1',
    serviceName: 'MediaStreamService',
    protoFile: 'acme/media/v1/media.proto',
    names: { kebab: 'media-stream', snake: 'media_stream', pascal: 'MediaStream', camel: 'mediaStream' },
    methods: [method('Get', 'get', false, false), method('Watch', 'watch', false, true), method('Upload', 'upload', true, false), method('Chat', 'chat', true, true)],
  };
  const context = sampleContext('rust', {
    names: { kebab: 'media-gateway', snake: 'media_gateway', pascal: 'MediaGateway', camel: 'mediaGateway' },
    serves: [media],
    calls: [media],
    protoFiles: [], // written below, not copied from the shared fixtures
  });
  const service = renderService(TEMPLATE, context, env());
  try {
    mkdirSync(join(service.dir, 'proto', 'acme', 'media', 'v1'), { recursive: true });
    writeFileSync(join(service.dir, 'proto', media.protoFile), MEDIA_PROTO);
    buildAndTest(service, log);
    const serviceRs = readFileSync(join(service.dir, 'crates', 'server', 'src', 'service.rs'), 'utf8');
    assert.match(serviceRs, /type WatchStream = /);
    assert.match(serviceRs, /Request<tonic::Streaming<contracts::media_stream::UploadRequest>>/);
  } finally {
    service.remove();
  }
});
