// One gRPC (HTTP/2) transport per called contract, built from its `calls[]` entry: the target,
// the call policy (per-try timeout, retries, backoff, deadline propagation) and client tracing.
import type { Transport } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import type { Backoff, CallConfig, ServiceConfig } from '../config.ts';
import { ConfigError } from '../config.ts';
import { callPolicyInterceptor, type CallPolicy } from './call-policy.ts';
import { tracingInterceptor } from './tracing.ts';

export interface Upstream {
  readonly transport: Transport;
  /** Closes the HTTP/2 session at once. Without it, open sessions keep the process (and an
   * http2 server's close) waiting until they idle out. */
  close(): void;
}

/** `dns:///host:port` (the config's form), `dns://authority/host:port`, or a plain `http(s)://` URL. */
export function baseUrl(target: string): string {
  if (/^https?:\/\//.test(target)) return target;
  const match = /^dns:\/\/[^/]*\/(.+)$/.exec(target) ?? /^(?!\w+:)(.+:\d+)$/.exec(target);
  if (!match) throw new ConfigError(`unsupported gRPC target ${target}: expected dns:///<host>:<port>`);
  return `http://${match[1]}`;
}

export function callConfig(config: ServiceConfig, contract: string): CallConfig {
  const call = config.calls.find((c) => c.contract === contract);
  if (!call) throw new ConfigError(`service config has no calls[] entry for contract ${contract}, which this service was generated to call`);
  return call;
}

export type UpstreamOptions = Pick<CallPolicy, 'random' | 'onTry'>;

export function createUpstream(call: CallConfig, backoff: Backoff, options: UpstreamOptions = {}): Upstream {
  const url = baseUrl(call.target);
  const sessionManager = new Http2SessionManager(url, {
    // Detect a dead connection (callee pod gone) instead of waiting on it.
    pingIntervalMs: 10_000,
    pingTimeoutMs: 5_000,
    idleConnectionTimeoutMs: 5 * 60_000,
  });
  const transport = createGrpcTransport({
    baseUrl: url,
    sessionManager,
    // Outermost first: the policy runs the tries, each try is traced.
    interceptors: [callPolicyInterceptor({ timeoutMs: call.timeoutMs, retries: call.retries, backoff, ...options }), tracingInterceptor(url)],
  });
  return { transport, close: () => sessionManager.abort() };
}
