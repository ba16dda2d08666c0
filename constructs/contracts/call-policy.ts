import { z } from 'zod';
import { durationString, parseDuration } from '../core/units.js';

/**
 * How every synchronous call in a system is retried, and how much time and retrying the checks
 * allow (docs/checks.md). The backoff is what services are told to use (their config file); the
 * limits are what synth holds the model to.
 */
export interface CallPolicyProps {
  /** Wait before the first retry. Each further retry waits twice as long as the one before.
   * @default '25ms' */
  readonly initialBackoff?: string;
  /** Longest single wait between two tries.
   * @default '1s' */
  readonly maxBackoff?: string;
  /**
   * How a service's calls add up in its worst case: `'sequential'` sums them (a request may make
   * every call, one after another); `'parallel'` takes the slowest (calls run concurrently, or
   * each request makes only one of them).
   * @default 'sequential'
   */
  readonly callOrder?: 'sequential' | 'parallel';
  /**
   * Most tries one request may cause on a single downstream service: the product of
   * `retries + 1` along any chain of calls.
   * @default 10
   */
  readonly maxRetryAmplification?: number;
}

/** The call policy with defaults applied and durations in milliseconds. */
export interface CallPolicy {
  readonly initialBackoff: string;
  readonly initialBackoffMs: number;
  readonly maxBackoff: string;
  readonly maxBackoffMs: number;
  /** Fixed at 2: the exponential backoff gRPC's retry policy and most client libraries use. */
  readonly backoffMultiplier: number;
  readonly callOrder: 'sequential' | 'parallel';
  readonly maxRetryAmplification: number;
}

/** The zod schema of {@link CallPolicyProps}; parses to a {@link CallPolicy}. */
export const callPolicySchema = z
  .strictObject({
    initialBackoff: durationString.default('25ms'),
    maxBackoff: durationString.default('1s'),
    callOrder: z.enum(['sequential', 'parallel']).default('sequential'),
    maxRetryAmplification: z.number().int().min(1).default(10),
  })
  .refine((p) => parseDuration(p.maxBackoff)! >= parseDuration(p.initialBackoff)!, {
    message: 'maxBackoff must be at least initialBackoff',
    path: ['maxBackoff'],
  })
  .transform(
    (p): CallPolicy => ({
      ...p,
      initialBackoffMs: parseDuration(p.initialBackoff)!,
      maxBackoffMs: parseDuration(p.maxBackoff)!,
      backoffMultiplier: 2,
    }),
  );

/** The policy a System uses when it declares none. */
export const DEFAULT_CALL_POLICY: CallPolicy = callPolicySchema.parse({});

/**
 * The longest a call with `retries` retries can spend waiting between its tries: retry k waits
 * `min(initialBackoff × 2^(k-1), maxBackoff)`. Clients add jitter below that wait, never above,
 * so this is the worst case.
 */
export function worstCaseBackoffMs(retries: number, policy: Pick<CallPolicy, 'initialBackoffMs' | 'maxBackoffMs' | 'backoffMultiplier'>): number {
  let total = 0;
  let wait = policy.initialBackoffMs;
  for (let k = 1; k <= retries; k++) {
    total += Math.min(wait, policy.maxBackoffMs);
    wait *= policy.backoffMultiplier;
  }
  return total;
}
