// The call policy against an in-process gRPC server: per-try timeout as each try's deadline,
// exactly `retries` retries with the configured backoff, only on retryable codes, and the
// caller's deadline propagated and never extended.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, createContextValues, type Transport } from '@connectrpc/connect';
import { backoffCeilingMs, backoffMs, type TryEvent } from '../src/grpc/call-policy.ts';
import { baseUrl, createUpstream, type Upstream } from '../src/grpc/transport.ts';
import { Deadline, deadlineKey } from '../src/deadline.ts';
import { echo, startScriptedServer, type Behaviour, type ScriptedServer } from './support/scripted-server.ts';

const backoff = { initial: '40ms', initialMs: 40, max: '100ms', maxMs: 100, multiplier: 2 };
/** Scheduling slack on a loaded CI machine. */
// Upper bounds only prove a try was cut rather than waited out (the slow callee works 10 s), so
// they allow for a loaded machine; the exact deadlines are asserted on what each try arrived with.
const SLACK_MS = 1_000;

let server: ScriptedServer;
const upstreams: Upstream[] = [];
let tries: (TryEvent & { endedAt: number })[] = [];

/** A transport with the given policy, its HTTP/2 session already open (a cold first connection
 * could eat a short try before the callee sees it), and the server following `behaviours`. */
async function upstream(timeoutMs: number, retries: number, ...behaviours: Behaviour[]): Promise<Transport> {
  const u = createUpstream(
    { contract: 'echo', grpcService: 'test.v1.EchoService', target: server.url.replace('http://', 'dns:///'), timeout: `${timeoutMs}ms`, timeoutMs, retries },
    backoff,
    // random() = 1: every wait is exactly its ceiling, so the timings below are predictable.
    { random: () => 1, onTry: (event) => tries.push({ ...event, endedAt: performance.now() }) },
  );
  upstreams.push(u);
  server.script('ok');
  let warm = false;
  for (let i = 0; i < 5 && !warm; i++) warm = (await call(u.transport)).code === 'ok';
  assert.ok(warm, 'warm-up call');
  server.script(...behaviours);
  tries = [];
  return u.transport;
}

async function call(transport: Transport, deadline?: Deadline): Promise<{ code: Code | 'ok'; elapsed: number }> {
  const started = performance.now();
  const contextValues = createContextValues();
  if (deadline) contextValues.set(deadlineKey, deadline);
  try {
    await transport.unary(echo, deadline?.signal, undefined, undefined, create(echo.input), contextValues);
    return { code: 'ok', elapsed: performance.now() - started };
  } catch (error) {
    return { code: ConnectError.from(error).code, elapsed: performance.now() - started };
  }
}

before(async () => {
  server = await startScriptedServer();
});
after(async () => {
  // Abort the client sessions first: an http2 server's close waits for them otherwise.
  for (const u of upstreams) u.close();
  await server.close();
});
beforeEach(() => {
  tries = [];
});

describe('backoff', () => {
  test('ceiling is min(initial × multiplier^(k-1), max)', () => {
    assert.deepEqual([1, 2, 3, 4].map((k) => backoffCeilingMs(backoff, k)), [40, 80, 100, 100]);
  });
  test('jitter stays at or below the ceiling (and above half of it)', () => {
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      for (const k of [1, 2, 3]) {
        const wait = backoffMs(backoff, k, () => r);
        assert.ok(wait <= backoffCeilingMs(backoff, k) && wait >= backoffCeilingMs(backoff, k) / 2, `retry ${k}, random ${r}: ${wait}`);
      }
    }
  });
});

describe('call policy', () => {
  test('a slow callee is cut at the per-try timeout and retried exactly `retries` times with backoff', async () => {
    const { code, elapsed } = await call(await upstream(100, 2, 'slow'));
    assert.equal(code, Code.DeadlineExceeded);
    assert.equal(server.attempts.length, 3, 'first try + 2 retries');
    assert.deepEqual(tries.map((t) => t.attempt), [1, 2, 3]);
    // The callee notices the cancellation (RST_STREAM) just after the client gave up.
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const attempt of server.attempts) {
      // The callee saw the per-try deadline (grpc-timeout) and was cancelled at it.
      assert.ok(attempt.timeoutMs !== undefined && attempt.timeoutMs <= 100 && attempt.timeoutMs > 50, `try deadline ${attempt.timeoutMs}`);
      assert.ok(attempt.durationMs! < 100 + SLACK_MS, `callee worked ${attempt.durationMs} ms on a 100 ms try`);
    }
    assert.deepEqual(tries.map((t) => t.backoffMs), [40, 80, undefined]);
    // Try ends are the backoff ceiling plus a try (100) apart.
    const gaps = tries.slice(1).map((t, i) => t.endedAt - tries[i]!.endedAt);
    assert.ok(gaps[0]! >= 140 - 5 && gaps[0]! < 140 + SLACK_MS, `gap 1: ${gaps[0]}`);
    assert.ok(gaps[1]! >= 180 - 5 && gaps[1]! < 180 + SLACK_MS, `gap 2: ${gaps[1]}`);
    assert.ok(elapsed >= 3 * 100 + 40 + 80 - 5 && elapsed < 420 + 2 * SLACK_MS, `elapsed ${elapsed}`);
  });

  test('Unavailable is retried, and a later success is returned', async () => {
    const { code } = await call(await upstream(200, 3, Code.Unavailable, Code.Unavailable, 'ok'));
    assert.equal(code, 'ok');
    assert.equal(server.attempts.length, 3);
  });

  test('retries 0 means one try', async () => {
    assert.equal((await call(await upstream(200, 0, Code.Unavailable))).code, Code.Unavailable);
    assert.equal(server.attempts.length, 1);
  });

  for (const nonRetryable of [Code.NotFound, Code.InvalidArgument, Code.PermissionDenied, Code.Internal]) {
    test(`${Code[nonRetryable]} is not retried`, async () => {
      assert.equal((await call(await upstream(200, 3, nonRetryable))).code, nonRetryable);
      assert.equal(server.attempts.length, 1);
    });
  }

  test("the caller's deadline is propagated and never extended", async () => {
    const transport = await upstream(100, 5, 'slow');
    const deadline = new Deadline(250);
    const { code, elapsed } = await call(transport, deadline);
    assert.equal(code, Code.DeadlineExceeded);
    // 100 ms try, 40 ms wait, 100 ms try: 240 of 250 ms spent; another try would need a wait of 80.
    assert.equal(server.attempts.length, 2, `tries: ${JSON.stringify(tries)}`);
    assert.ok(elapsed < 250 + SLACK_MS, `elapsed ${elapsed} ms on a 250 ms deadline`);
    // Each try's deadline ends no later than the caller's. The callee counts from when the try
    // arrived, a little after it was sent: allow that transit time.
    for (const attempt of server.attempts) {
      const left = deadline.at - (performance.timeOrigin + attempt.at);
      assert.ok(attempt.timeoutMs !== undefined && attempt.timeoutMs <= left + 25, `try deadline ${attempt.timeoutMs} ms with ${left} ms left`);
    }
    for (const t of tries) assert.ok(performance.timeOrigin + t.endedAt <= deadline.at + 25, `try ${t.attempt} ended after the deadline`);
  });

  test('a try gets only what is left of the deadline when that is less than the per-try timeout', async () => {
    // 300 ms, not less: on a loaded machine the first try must still reach the server in time.
    const transport = await upstream(1000, 2, 'slow');
    const deadline = new Deadline(300);
    const { code, elapsed } = await call(transport, deadline);
    assert.equal(code, Code.DeadlineExceeded);
    assert.equal(server.attempts.length, 1);
    assert.ok(server.attempts[0]!.timeoutMs! <= 300, `try deadline ${server.attempts[0]!.timeoutMs}`);
    assert.ok(elapsed < 300 + SLACK_MS, `elapsed ${elapsed}`);
  });

  test('a spent deadline makes no call at all', async () => {
    const transport = await upstream(100, 2, 'ok');
    const deadline = new Deadline(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal((await call(transport, deadline)).code, Code.DeadlineExceeded);
    assert.equal(server.attempts.length, 0);
  });
});

describe('targets', () => {
  test('dns:/// targets become http:// base URLs', () => {
    assert.equal(baseUrl('dns:///identity.shop-identity.svc.cluster.local:50051'), 'http://identity.shop-identity.svc.cluster.local:50051');
    assert.equal(baseUrl('http://127.0.0.1:1234'), 'http://127.0.0.1:1234');
    assert.throws(() => baseUrl('unix:///tmp/sock'), /unsupported gRPC target/);
  });
});
