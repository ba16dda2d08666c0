// NATS (nats.js v3): the service's own user and password, its inbox prefix (the only place it may
// receive replies), and the subjects of the service config. Payloads are JSON.
import { jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { connect, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { ConfigError, type NatsConfig, type ServiceConfig } from './config.ts';

export function natsPassword(nats: NatsConfig, env: NodeJS.ProcessEnv = process.env): string {
  const pass = env[nats.passwordEnv];
  if (!pass) throw new ConfigError(`environment variable ${nats.passwordEnv} (named by nats.passwordEnv of the service config) is not set`);
  return pass;
}

export async function connectNats(config: ServiceConfig, env: NodeJS.ProcessEnv = process.env): Promise<NatsConnection> {
  const nats = config.nats;
  if (!nats) throw new ConfigError('service config has no nats section, but this service publishes or subscribes');
  return connect({
    servers: nats.url.split(',').map((s) => s.trim()),
    user: nats.user,
    pass: natsPassword(nats, env),
    inboxPrefix: nats.inboxPrefix,
    name: `${config.system}/${config.service}`,
    // Keep reconnecting while the cluster rolls; readiness does not depend on NATS.
    maxReconnectAttempts: -1,
  });
}

/**
 * `shop.billing.invoice-issued.{customer}` with `{ customer: "c-1" }` → `shop.billing.invoice-issued.c-1`.
 * A token value must be one non-empty subject token (no `.`, `*`, `>` or whitespace).
 */
export function fillSubject(subject: string, tokens: Readonly<Record<string, string>>): string {
  return subject.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = tokens[name];
    if (value === undefined) throw new Error(`subject ${subject} needs a value for {${name}}`);
    if (!/^[^.*>\s]+$/.test(value)) throw new Error(`subject token {${name}} must be one token without '.', '*', '>' or spaces, got ${JSON.stringify(value)}`);
    return value;
  });
}

export type EventHandler = (payload: unknown, msg: Msg | JsMsg) => Promise<void>;

export class Events {
  readonly #nc: NatsConnection;
  readonly #config: ServiceConfig;
  readonly #stops: (() => Promise<void>)[] = [];

  constructor(nc: NatsConnection, config: ServiceConfig) {
    this.#nc = nc;
    this.#config = config;
  }

  /** Publishes `payload` as the event (subject from the config, named tokens filled in). Events
   * with a stream go through JetStream and wait for its ack; the ack reply comes on the inbox. */
  async publish(event: string, tokens: Readonly<Record<string, string>>, payload: unknown): Promise<void> {
    const entry = this.#config.publishes.find((p) => p.event === event);
    if (!entry) throw new ConfigError(`service config has no publishes[] entry for event ${event}`);
    const subject = fillSubject(entry.subject, tokens);
    const h = headers();
    h.set('Polyglot-Event', entry.event);
    h.set('Polyglot-Event-Version', String(entry.version));
    const data = JSON.stringify(payload);
    if (entry.stream) await jetstream(this.#nc).publish(subject, data, { headers: h, expect: { streamName: entry.stream } });
    else this.#nc.publish(subject, data, { headers: h });
  }

  /** Starts consuming every subscribed event with its handler: durable ones through their
   * JetStream consumer (ack on success, nak on failure so it is redelivered), the rest as core
   * subscriptions in their queue group. */
  async subscribe(handlers: Readonly<Record<string, EventHandler>>, onError: (event: string, error: unknown) => void): Promise<void> {
    for (const entry of this.#config.subscribes) {
      const handler = handlers[entry.event];
      if (!handler) throw new Error(`no handler for subscribed event ${entry.event}`);
      if (entry.durable) {
        if (!entry.stream || !entry.consumer) throw new ConfigError(`service config subscribes[] entry ${entry.event} is durable but names no stream and consumer`);
        const consumer = await jetstream(this.#nc).consumers.get(entry.stream, entry.consumer);
        const messages: ConsumerMessages = await consumer.consume();
        this.#stops.push(async () => void (await messages.close()));
        void (async () => {
          for await (const msg of messages) {
            try {
              await handler(msg.json(), msg);
              msg.ack();
            } catch (error) {
              onError(entry.event, error);
              msg.nak();
            }
          }
        })();
      } else {
        const sub: Subscription = this.#nc.subscribe(entry.subject, entry.queueGroup ? { queue: entry.queueGroup } : {});
        this.#stops.push(async () => sub.unsubscribe());
        void (async () => {
          for await (const msg of sub) {
            try {
              await handler(msg.json(), msg);
            } catch (error) {
              onError(entry.event, error);
            }
          }
        })();
      }
    }
  }

  /** Stops consuming, then drains the connection (pending messages are handled and published). */
  async close(): Promise<void> {
    await Promise.allSettled(this.#stops.map((stop) => stop()));
    await this.#nc.drain();
  }
}
