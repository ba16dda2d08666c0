import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** How long synth waits for the diagrams before giving up with an error. */
const TIMEOUT_MS = 5 * 60_000;

/**
 * The worker: loads Graphviz (WebAssembly, asynchronous to load), renders every DOT source, posts
 * the SVGs and raises the `done` flag the main thread blocks on. Plain JavaScript evaluated as is,
 * so the worker needs no TypeScript loader whether polyglot runs from source or from its build.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { dots, port, done, vizUrl } = workerData;
(async () => {
  try {
    const { instance } = await import(vizUrl);
    const viz = await instance();
    port.postMessage({ svgs: dots.map((dot) => viz.renderString(dot, { format: 'svg' })) });
  } catch (error) {
    port.postMessage({ error: String(error && error.stack || error) });
  } finally {
    const flag = new Int32Array(done);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
})();
`;

/** SVGs being rendered on another thread; `wait()` blocks until they are ready. */
export interface PendingSvgs {
  wait(): string[];
}

/**
 * Starts rendering DOT sources to SVG on a worker thread and returns at once, so diagram layout
 * runs on a second core while synth serializes manifests; the caller calls `wait()` last. Synth
 * stays synchronous, as cdk8s requires.
 */
export function startRenderingSvgs(dots: readonly string[]): PendingSvgs {
  // Two workers, dealt alternately: the second keeps layout going on the core the main thread
  // frees once it has serialized the manifests.
  const shares = [dots.filter((_, i) => i % 2 === 0), dots.filter((_, i) => i % 2 === 1)];
  const pending = shares.map(startWorker);
  return {
    wait() {
      const [even, odd] = pending.map((p) => p.wait()) as [string[], string[]];
      return dots.map((_, i) => (i % 2 === 0 ? even[i / 2] : odd[(i - 1) / 2])!);
    },
  };
}

function startWorker(dots: readonly string[]): PendingSvgs {
  if (dots.length === 0) return { wait: () => [] };
  const done = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { dots, port: port2, done, vizUrl: import.meta.resolve('@viz-js/viz') },
    transferList: [port2],
  });
  return {
    wait() {
      const flag = new Int32Array(done);
      if (Atomics.wait(flag, 0, 0, TIMEOUT_MS) === 'timed-out') {
        void worker.terminate();
        throw new Error(`rendering ${dots.length} diagrams took longer than ${TIMEOUT_MS / 1000}s`);
      }
      const message = receiveMessageOnPort(port1)?.message as { svgs?: string[]; error?: string } | undefined;
      port1.close();
      void worker.terminate();
      if (!message?.svgs) throw new Error(`rendering diagrams failed: ${message?.error ?? 'the worker sent nothing'}`);
      return message.svgs;
    },
  };
}
