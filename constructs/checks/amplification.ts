import type { Problem } from '../core/problems.js';
import { callGraphOf, type CallGraph, type Components, type GraphEdge } from './call-graph.js';
import type { Check } from '../extension.js';

/** The largest retry amplification below each service, and the first hop of the path that has it. */
export interface Amplification {
  /** Max over call paths from the service of the product of `retries + 1`; 1 for a leaf. */
  readonly factor: readonly (number | undefined)[];
  readonly next: readonly (GraphEdge | undefined)[];
}

/**
 * Memoised dynamic programme over the call graph, callees first: a service's factor is the
 * largest `(retries + 1) × factor(callee)` over its calls. O(services + calls). Services on or
 * above a cycle are left `undefined` (amplification around a cycle is unbounded; the cycle check
 * reports it).
 */
export function retryAmplification(graph: CallGraph, components: Components): Amplification {
  const factor = new Array<number | undefined>(graph.size);
  const next = new Array<GraphEdge | undefined>(graph.size);
  for (const component of components.order) {
    const node = component[0]!;
    if (components.unbounded[node]) continue;
    let best = 1;
    for (const edge of graph.out[node]!) {
      const through = (edge.retries + 1) * factor[edge.to]!;
      if (through > best) {
        best = through;
        next[node] = edge;
      }
    }
    factor[node] = best;
  }
  return { factor, next };
}

/**
 * Retries multiply down a chain: 3 tries at each of three hops is 27 tries on the last service
 * for one request at the top, exactly when that service is already struggling. The product along
 * every path must stay within `callPolicy.maxRetryAmplification`.
 *
 * Reported once per path start: at services whose callers do not exceed the limit themselves
 * (usually entry points — ingresses and subscribers), so one storm is one problem.
 */
export const retryStorms: Check = (model) => {
  const graph = callGraphOf(model);
  const limit = model.callPolicy.maxRetryAmplification;
  const { factor, next } = retryAmplification(graph, graph.components);
  const coveredByCaller = new Array<boolean>(graph.size).fill(false);
  for (let node = 0; node < graph.size; node++) {
    if ((factor[node] ?? 0) <= limit) continue;
    for (const edge of graph.out[node]!) coveredByCaller[edge.to] = true;
  }
  const problems: Problem[] = [];
  for (let node = 0; node < graph.size; node++) {
    const total = factor[node];
    if (total === undefined || total <= limit || coveredByCaller[node]) continue;
    const hops = [graph.services[node]!.name];
    let last = node;
    for (let edge = next[node]; edge; edge = next[edge.to]) {
      hops.push(`${graph.services[edge.to]!.name} ×${edge.retries + 1}`);
      last = edge.to;
    }
    problems.push({
      severity: 'error',
      code: 'retry-amplification',
      path: graph.services[node]!.node.path,
      message: `one request can cause ${total} tries on ${graph.services[last]!.name}, more than the limit of ${limit}: ${hops.join(' → ')}`,
      why: 'retries multiply down a chain of calls; when the last service slows down, every layer retries at once and the load on it grows by that factor (a retry storm)',
      fix: `retry at one layer only (usually the one closest to the failing service) and set retries: 0 elsewhere on this chain, or raise callPolicy.maxRetryAmplification`,
    });
  }
  return problems;
};
