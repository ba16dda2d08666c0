// The time budget of one incoming request. An HTTP request gets the service's own `deadlineMs`
// (what it promises its callers); every gRPC call made for it runs inside what is left and never
// past it: the call policy reads the deadline from the call's context values.
import { Code, ConnectError, createContextKey, createContextValues, type ContextValues } from '@connectrpc/connect';

export class Deadline {
  /** Epoch milliseconds at which the budget is spent. */
  readonly at: number;
  /** Aborts when the budget is spent (reason: a DeadlineExceeded ConnectError). */
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();

  constructor(budgetMs: number, now = Date.now()) {
    this.at = now + budgetMs;
    const controller = this.#controller;
    const timer = setTimeout(() => controller.abort(new ConnectError(`deadline of ${budgetMs} ms exceeded`, Code.DeadlineExceeded)), budgetMs);
    timer.unref();
    controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    this.signal = controller.signal;
  }

  remainingMs(now = Date.now()): number {
    return Math.max(0, this.at - now);
  }

  /** Ends the budget early (the request finished, or its client went away). */
  release(): void {
    if (!this.signal.aborted) this.#controller.abort(new ConnectError('request finished', Code.Canceled));
  }
}

/** Where the call policy finds the caller's deadline; absent means "no outer budget". */
export const deadlineKey = createContextKey<Deadline | undefined>(undefined, { description: 'incoming request deadline' });

/** Call options for a gRPC call made on behalf of a request: its deadline and its abort signal. */
export function callOptions(deadline: Deadline): { signal: AbortSignal; contextValues: ContextValues } {
  return { signal: deadline.signal, contextValues: createContextValues().set(deadlineKey, deadline) };
}
