import { worstCaseBackoffMs, type CallPolicy } from '../contracts/call-policy.js';
import type { CallGraph, Components, GraphEdge } from './call-graph.js';

/** The worst case of one call: every try runs as long as it can, every retry waits its longest backoff. */
export interface CallCost {
  readonly edge: GraphEdge;
  /** How long one try can last: the callee's worst case, cut off at the per-try timeout. */
  readonly tryMs: number;
  /** True when the timeout, not the callee, bounds a try. */
  readonly cappedByTimeout: boolean;
  readonly backoffMs: number;
  /** `tryMs × (retries + 1) + backoffMs`. */
  readonly totalMs: number;
}

/** The worst case of one service. */
export interface ServiceBudget {
  readonly calls: readonly CallCost[];
  /** How long its calls can take together: summed (`sequential`) or the slowest (`parallel`). */
  readonly callsMs: number;
  /**
   * How long a caller may wait for it: its deadline (its own work may use all of it), or its
   * calls' worst case when that is longer.
   */
  readonly worstMs: number;
}

export type BudgetPolicy = Pick<CallPolicy, 'callOrder' | 'initialBackoffMs' | 'maxBackoffMs' | 'backoffMultiplier'>;

/**
 * Every service's worst case, by memoised dynamic programming over the call graph: components
 * arrive callees first, so each service is computed once from its callees' results.
 * O(services + calls), never enumerating paths. Services on or above a cycle have no finite
 * worst case and are `undefined` (the cycle check reports them).
 */
export function worstCases(graph: CallGraph, components: Components, policy: BudgetPolicy): (ServiceBudget | undefined)[] {
  const result = new Array<ServiceBudget | undefined>(graph.size);
  for (const component of components.order) {
    const node = component[0]!;
    if (components.unbounded[node]) continue;
    result[node] = serviceBudget(graph, node, policy, (callee) => result[callee]!.worstMs);
  }
  return result;
}

/**
 * One service's worst case given its callees' worst cases; shared by the dynamic programme and
 * by the brute-force enumeration the property tests compare it with.
 */
export function serviceBudget(graph: CallGraph, node: number, policy: BudgetPolicy, calleeWorstMs: (callee: number) => number): ServiceBudget {
  const calls = graph.out[node]!.map((edge): CallCost => {
    const calleeMs = calleeWorstMs(edge.to);
    const tryMs = Math.min(edge.timeoutMs, calleeMs);
    const backoffMs = worstCaseBackoffMs(edge.retries, policy);
    return { edge, tryMs, cappedByTimeout: edge.timeoutMs < calleeMs, backoffMs, totalMs: tryMs * (edge.retries + 1) + backoffMs };
  });
  const callsMs = calls.reduce((acc, c) => (policy.callOrder === 'sequential' ? acc + c.totalMs : Math.max(acc, c.totalMs)), 0);
  return { calls, callsMs, worstMs: Math.max(graph.deadlineMs[node]!, callsMs) };
}

/** The call that costs a service the most; the next hop of its slowest chain. */
export function slowestCall(budget: ServiceBudget): CallCost | undefined {
  return budget.calls.reduce<CallCost | undefined>((worst, c) => (worst === undefined || c.totalMs > worst.totalMs ? c : worst), undefined);
}
