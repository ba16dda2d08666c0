// Turns the emitted NACK Stream and Consumer resources into the JetStream API configs the NACK
// controller would send, so the test creates exactly what a cluster would get. A field the
// mapping does not know fails the test: a new generated field must be mirrored here.
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';

const UNITS_NS: Record<string, number> = { h: 3_600e9, m: 60e9, s: 1e9, ms: 1e6, us: 1e3, ns: 1 };

/** Nanoseconds in a Go duration such as `1h`, `30s`, `1h30m`. */
export function goDurationNanos(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|ns|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`not a Go duration: ${text}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS_NS[p[2]!]!, 0);
}

function mapSpec<T>(kind: string, spec: Record<string, unknown>, fields: Record<string, (value: any) => [string, unknown]>): T {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    const map = fields[key];
    if (!map) throw new Error(`${kind}.spec.${key} is not mirrored in test/spine/support/nack.ts`);
    const [name, mapped] = map(value);
    config[name] = mapped;
  }
  return config as T;
}

const same = (name: string) => (value: unknown): [string, unknown] => [name, value];

export function streamConfig(spec: Record<string, unknown>): Partial<StreamConfig> & { name: string } {
  return mapSpec('Stream', spec, {
    name: same('name'),
    description: same('description'),
    subjects: same('subjects'),
    storage: same('storage'),
    replicas: same('num_replicas'),
    maxAge: (value: string) => ['max_age', goDurationNanos(value)],
    maxBytes: same('max_bytes'),
    maxMsgs: same('max_msgs'),
    retention: same('retention'),
    discard: same('discard'),
  });
}

export function consumerConfig(spec: Record<string, unknown>): { stream: string; config: Partial<ConsumerConfig> } {
  const { streamName, ...rest } = spec;
  return {
    stream: String(streamName),
    config: mapSpec('Consumer', rest, {
      durableName: same('durable_name'),
      description: same('description'),
      filterSubject: same('filter_subject'),
      deliverPolicy: same('deliver_policy'),
      ackPolicy: same('ack_policy'),
      ackWait: (value: string) => ['ack_wait', goDurationNanos(value)],
      maxDeliver: same('max_deliver'),
      backoff: (value: string[]) => ['backoff', value.map(goDurationNanos)],
      maxAckPending: same('max_ack_pending'),
      replayPolicy: same('replay_policy'),
    }),
  };
}
