import { parseDuration } from '../core/units.js';
import type { Subscription, Workload } from '../services/workload.js';

/** The bounds every durable consumer gets; docs/nats.md lists them. */
export interface ConsumerLimits {
  /** How long a delivered message may stay unacknowledged before the first redelivery. */
  readonly ackWait: string;
  /** Deliveries before the message is given up on (and reported to the dead-letter stream). */
  readonly maxDeliver: number;
  /** The wait before each redelivery: ackWait, then doubling. One fewer than maxDeliver. */
  readonly backoff: readonly string[];
  /** Messages delivered and not yet acknowledged, over all replicas, before delivery pauses. */
  readonly maxAckPending: number;
}

const MIN_ACK_WAIT_MS = 30_000;
const MAX_ACK_WAIT_MS = 10 * 60_000;
/** In-flight messages each replica may hold; the consumer's bound scales with the replicas. */
const ACK_PENDING_PER_REPLICA = 100;
const MAX_ACK_PENDING = 10_000;
const MAX_BACKOFF_MS = 60 * 60_000;

/** A whole number of milliseconds as a Go duration, which NACK and nats-server read. */
export function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * A durable consumer's bounds, derived from the model: the ack wait from the service's deadline
 * (10×, at least 30s, at most 10m) unless the subscription sets one; redeliveries back off by
 * doubling (capped at 1h) so a poison message costs a handful of tries, not one every 30s
 * forever; in-flight messages are bounded by 100 per replica the service may run (at most 10 000).
 */
export function consumerLimits(workload: Workload, subscription: Subscription): ConsumerLimits {
  const ackWaitMs = subscription.ackWait
    ? Math.round(parseDuration(subscription.ackWait) ?? MIN_ACK_WAIT_MS)
    : Math.min(MAX_ACK_WAIT_MS, Math.max(MIN_ACK_WAIT_MS, workload.deadlineMs * 10));
  const backoff = Array.from({ length: subscription.maxDeliver - 1 }, (_, i) => goDuration(Math.min(MAX_BACKOFF_MS, ackWaitMs * 2 ** i)));
  const replicas = workload.autoscaling?.maxReplicas ?? workload.replicas;
  return {
    ackWait: goDuration(ackWaitMs),
    maxDeliver: subscription.maxDeliver,
    backoff,
    maxAckPending: Math.min(MAX_ACK_PENDING, ACK_PENDING_PER_REPLICA * replicas),
  };
}
