// The call policy of one called contract, as a Connect interceptor: every try gets the per-try
// timeout (`calls[].timeoutMs`) as its deadline, failures with a retryable code are retried
// `calls[].retries` times with the system's backoff, and nothing ever runs past the caller's
// deadline (the incoming request's budget, from the call's context values): a try's deadline is
// min(per-try timeout, time left), and a retry whose wait would not leave time for it is not made.
// These are the numbers synth checked the callers' budgets against, so they are obeyed exactly.
import { Code, ConnectError, type Interceptor, type StreamResponse, type UnaryRequest, type UnaryResponse } from '@connectrpc/connect';
import type { Backoff } from '../config.ts';
import { deadlineKey } from '../deadline.ts';

export interface CallPolicy {
  /** Per-try timeout in milliseconds (0: no per-try limit, only the caller's deadline). */
  readonly timeoutMs: number;
  /** Retries after the first try. */
  readonly retries: number;
  readonly backoff: Pick<Backoff, 'initialMs' | 'maxMs' | 'multiplier'>;
  /** Codes worth another try; default {@link RETRYABLE_CODES}. */
  readonly retryable?: ReadonlySet<Code>;
  /** Random source for the jitter (tests make it deterministic). */
  readonly random?: () => number;
  /** Reports each try (tests and logs). */
  readonly onTry?: (event: TryEvent) => void;
}

export interface TryEvent {
  readonly method: string;
  /** 1 for the first try. */
  readonly attempt: number;
  /** The deadline this try was given, in milliseconds. */
  readonly timeoutMs: number;
  /** The failure's code; absent when the try succeeded. */
  readonly code?: Code;
  /** Wait before the next try, when there is one. */
  readonly backoffMs?: number;
}

/**
 * Transient failures: the callee was unreachable, overloaded, or this try ran out of its own
 * time. Everything else (NotFound, InvalidArgument, PermissionDenied…) would fail again.
 */
export const RETRYABLE_CODES: ReadonlySet<Code> = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.ResourceExhausted, Code.Aborted]);

/** The ceiling of the wait before retry `k` (1-based): min(initial × multiplier^(k-1), max). */
export function backoffCeilingMs(backoff: CallPolicy['backoff'], retry: number): number {
  return Math.min(backoff.initialMs * backoff.multiplier ** (retry - 1), backoff.maxMs);
}

/** The wait before retry `k`: "equal jitter", uniform in [ceiling/2, ceiling], never above it. */
export function backoffMs(backoff: CallPolicy['backoff'], retry: number, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(backoff, retry);
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** gRPC's `grpc-timeout` header: at most 8 digits and a unit; milliseconds, rounded up. */
function grpcTimeout(ms: number): string {
  return `${Math.min(Math.max(1, Math.ceil(ms)), 99_999_999)}m`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(ConnectError.from(signal.reason, Code.Canceled));
    const onAbort = () => {
      clearTimeout(timer);
      reject(ConnectError.from(signal?.reason, Code.Canceled));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function callPolicyInterceptor(policy: CallPolicy): Interceptor {
  const retryable = policy.retryable ?? RETRYABLE_CODES;
  const random = policy.random ?? Math.random;
  return (next) => async (req) => {
    // Streams keep their single try: a partly consumed stream cannot be replayed safely.
    if (req.stream) return next(req);
    const deadline = req.contextValues.get(deadlineKey);
    const method = `${req.service.typeName}/${req.method.name}`;
    for (let attempt = 1; ; attempt++) {
      const left = deadline ? deadline.remainingMs() : Number.POSITIVE_INFINITY;
      if (left <= 0) throw new ConnectError(`${method}: the caller's deadline was spent before try ${attempt}`, Code.DeadlineExceeded);
      const tryMs = Math.min(policy.timeoutMs > 0 ? policy.timeoutMs : Number.POSITIVE_INFINITY, left);
      try {
        const response = await tryOnce(next, req, tryMs);
        policy.onTry?.({ method, attempt, timeoutMs: tryMs });
        return response;
      } catch (error) {
        const connectError = ConnectError.from(error);
        const code = connectError.code;
        const retriesLeft = attempt <= policy.retries;
        const wait = retriesLeft && retryable.has(code) && !req.signal.aborted ? backoffMs(policy.backoff, attempt, random) : undefined;
        // A retry that could not start before the caller's deadline is not made (never extend it).
        const fits = wait !== undefined && (!deadline || deadline.remainingMs() > wait);
        policy.onTry?.({ method, attempt, timeoutMs: tryMs, code, ...(fits ? { backoffMs: wait } : {}) });
        if (!fits) throw connectError;
        await sleep(wait, req.signal);
      }
    }
  };
}

/** One try with its own deadline: a linked abort signal and a matching `grpc-timeout` header, so
 * the callee cuts its work at the same moment. */
type Next = (req: UnaryRequest) => Promise<UnaryResponse | StreamResponse>;

async function tryOnce(next: Next, req: UnaryRequest, tryMs: number): ReturnType<Next> {
  if (!Number.isFinite(tryMs)) return next({ ...req, header: new Headers(req.header) });
  const controller = new AbortController();
  const expired = new ConnectError(`per-try deadline of ${Math.ceil(tryMs)} ms exceeded`, Code.DeadlineExceeded);
  const timer = setTimeout(() => controller.abort(expired), tryMs);
  const onAbort = () => controller.abort(req.signal.reason);
  req.signal.addEventListener('abort', onAbort, { once: true });
  if (req.signal.aborted) onAbort();
  const header = new Headers(req.header);
  header.set('grpc-timeout', grpcTimeout(tryMs));
  try {
    return await next({ ...req, header, signal: controller.signal });
  } catch (error) {
    // The transport reports an aborted request in its own words; name the real cause.
    if (controller.signal.aborted) throw ConnectError.from(controller.signal.reason, Code.Canceled);
    throw error;
  } finally {
    clearTimeout(timer);
    req.signal.removeEventListener('abort', onAbort);
  }
}
