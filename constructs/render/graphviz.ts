import { startBlockingWorker } from '../core/blocking-worker.js';

/** How long synth waits for the diagrams before giving up with an error. */
const TIMEOUT_MS = 5 * 60_000;

/**
 * The worker's work: loads Graphviz (WebAssembly, asynchronous to load) and renders every DOT
 * source to SVG.
 */
const RENDER_BODY = `
const { instance } = await import(data.vizUrl);
const viz = await instance();
return data.dots.map((dot) => viz.renderString(dot, { format: 'svg' }));
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
  const worker = startBlockingWorker<string[]>(RENDER_BODY, { dots, vizUrl: import.meta.resolve('@viz-js/viz') }, TIMEOUT_MS);
  return {
    wait() {
      const outcome = worker.wait();
      if ('timedOut' in outcome) throw new Error(`rendering ${dots.length} diagrams took longer than ${TIMEOUT_MS / 1000}s`);
      if ('error' in outcome) throw new Error(`rendering diagrams failed: ${outcome.error}`);
      return outcome.result;
    },
  };
}
