// A NATS connection as one user, with helpers that prove an operation is refused by the server.
// nats.js v3 reports refusals in three ways: a forbidden publish does not throw but shows on
// nc.status() as a PermissionViolationError; a forbidden subscribe errors in its callback; a
// forbidden request rejects.
import { connect, PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';

const WAIT_MS = 3_000;

export class Probe {
  /** Every permission violation the server reported on this connection. */
  readonly violations: PermissionViolationError[] = [];

  private constructor(readonly user: string, readonly nc: NatsConnection) {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'error' && status.error instanceof PermissionViolationError) this.violations.push(status.error);
      }
    })();
  }

  static async open(servers: string[], user: string, pass: string, inboxPrefix?: string): Promise<Probe> {
    const nc = await connect({ servers, user, pass, inboxPrefix, timeout: WAIT_MS, reconnect: false, name: `spine-test-${user}` });
    return new Probe(user, nc);
  }

  /** Publishes and waits until the server refuses it. */
  async publishRefused(subject: string): Promise<void> {
    this.nc.publish(subject, 'probe');
    await this.nc.flush();
    await this.violation('publish', subject);
  }

  /** Subscribes and waits until the server refuses it. */
  async subscribeRefused(subject: string, queue?: string): Promise<void> {
    const refused = new Promise<Error>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.user}: subscribe ${subject}${queue ? ` (queue ${queue})` : ''} was not refused`)), WAIT_MS);
      this.nc.subscribe(subject, {
        queue,
        callback: (error) => {
          if (!error) return;
          clearTimeout(timer);
          resolve(error);
        },
      });
    });
    const error = await refused;
    if (!(error instanceof PermissionViolationError) || error.subject !== subject || error.queue !== queue) {
      throw new Error(`${this.user}: subscribe ${subject} failed, but not as a permission violation: ${error.message}`);
    }
  }

  /** Sends a request and proves it rejects because the server refused the publish. */
  async requestRefused(subject: string): Promise<void> {
    const outcome = await this.nc.request(subject, '', { timeout: WAIT_MS }).then(
      () => undefined,
      (error: Error) => error,
    );
    if (!outcome) throw new Error(`${this.user}: request ${subject} got an answer`);
    await this.violation('publish', subject);
  }

  /** Fails when the server reported any violation: for connections that only do what they declared. */
  assertNoViolations(): void {
    if (this.violations.length > 0) throw new Error(`${this.user} was refused: ${this.violations.map((v) => v.message).join('; ')}`);
  }

  close(): Promise<void> {
    return this.nc.close();
  }

  private async violation(operation: 'publish' | 'subscription', subject: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      if (this.violations.some((v) => v.operation === operation && v.subject === subject)) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`${this.user}: ${operation} ${subject} was not refused`);
  }
}
