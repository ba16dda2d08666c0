import type { Problem } from '../core/problems.js';
import type { Check } from '../extension.js';
import { callGraphOf, type ModelCallGraph } from './call-graph.js';

/**
 * Synchronous calls must not form a cycle: a request could wait on itself, every hop's timeout
 * would fire in turn, and retries multiply around the loop. One problem per cycle group (strongly
 * connected component), showing one concrete cycle through it. O(services + calls).
 */
export const syncCycles: Check = (model) => {
  const graph = callGraphOf(model);
  const problems: Problem[] = [];
  for (const component of graph.components.order) {
    if (!graph.components.cyclic[component[0]!]) continue;
    const members = new Set(component);
    // Start from the first service by path, so the report does not depend on traversal order.
    const start = component.reduce((a, b) => (graph.services[a]!.node.path <= graph.services[b]!.node.path ? a : b));
    const cycle = shortestCycle(graph, start, members).map((n) => graph.services[n]!.name);
    const others = component.length - (cycle.length - 1);
    problems.push({
      severity: 'error',
      code: 'sync-cycle',
      path: graph.services[start]!.node.path,
      message: `synchronous calls form a cycle: ${cycle.join(' → ')}${others > 0 ? ` (${component.length} services call each other in this group)` : ''}`,
      why: 'a request can end up waiting on itself: timeouts fire one after another, retries multiply around the loop, and no deadline can be met',
      fix: 'break the cycle: turn one of the calls into an event (publishes/subscribes), or move the shared logic into one service',
    });
  }
  return problems;
};

/** The shortest cycle through `start` inside its component (breadth-first), start repeated at the end. */
function shortestCycle(graph: ModelCallGraph, start: number, members: ReadonlySet<number>): number[] {
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const edge of graph.out[node]!) {
      if (edge.to === start) {
        const path = [start];
        for (let n = node; n !== start; n = previous.get(n)!) path.push(n);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (!members.has(edge.to) || previous.has(edge.to)) continue;
      previous.set(edge.to, node);
      queue.push(edge.to);
    }
  }
  return [start, start];
}
