import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** How a {@link BlockingWorker} ended: its result, the error it threw, or no answer in time. */
export type WorkerOutcome<T> = { readonly result: T } | { readonly error: string } | { readonly timedOut: true };

/** Work under way on another thread; `wait()` blocks this one until it is done (once). */
export interface BlockingWorker<T> {
  wait(): WorkerOutcome<T>;
}

/**
 * Runs `body` (the statements of an async function of `data`, plain JavaScript: the worker needs
 * no TypeScript loader whether polyglot runs from source or from its build) on a worker thread
 * and returns at once. Synth is synchronous, as cdk8s requires, so work that is asynchronous
 * (loading WebAssembly, child processes) or that should run beside synth's own goes to a thread
 * whose answer `wait()` takes synchronously: the worker raises a shared flag that this thread
 * blocks on (`Atomics.wait`), then the answer is read off a message port
 * (`receiveMessageOnPort`) without the event loop. A thread costs about 30 ms of CPU to start.
 */
export function startBlockingWorker<T>(body: string, data: unknown, timeoutMs: number): BlockingWorker<T> {
  const done = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerSource(body), { eval: true, execArgv: [], workerData: { data, port: port2, done }, transferList: [port2] });
  let outcome: WorkerOutcome<T> | undefined;
  return {
    wait() {
      if (outcome) return outcome;
      try {
        if (Atomics.wait(new Int32Array(done), 0, 0, timeoutMs) === 'timed-out') return (outcome = { timedOut: true });
        const message = receiveMessageOnPort(port1)?.message as { result: T } | { error: string } | undefined;
        return (outcome = message ?? { error: 'the worker sent nothing' });
      } finally {
        port1.close();
        void worker.terminate();
      }
    },
  };
}

function workerSource(body: string): string {
  return `
const { workerData } = require('node:worker_threads');
const { data, port, done } = workerData;
(async () => {
${body}
})()
  .then((result) => port.postMessage({ result }), (error) => port.postMessage({ error: String((error && error.stack) || error) }))
  .finally(() => {
    const flag = new Int32Array(done);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
`;
}
