import type { Problem } from '../core/problems.js';
import type { Workload } from '../services/workload.js';
import { formatDuration } from '../core/units.js';
import { slowestCall, worstCases, type CallCost, type ServiceBudget } from './budget-analysis.js';
import { callGraphOf, type ModelCallGraph } from './call-graph.js';
import type { Check } from '../extension.js';

/** How many calls a budget report itemises before it says "and N more". */
const LISTED_CALLS = 5;

/**
 * Every hop is bounded: each service's calls, with their retries and backoff, must fit inside the
 * deadline it promises; and each callee's deadline must fit inside its caller's per-try timeout.
 * The worst cases come from one bottom-up pass over the call graph (docs/checks.md).
 */
export const deadlineBudgets: Check = (model) => {
  const graph = callGraphOf(model);
  const budgets = worstCases(graph, graph.components, model.callPolicy);
  const problems: Problem[] = [];
  for (let node = 0; node < graph.size; node++) {
    const budget = budgets[node];
    const service = graph.services[node]!;
    if (budget && budget.callsMs > service.deadlineMs) problems.push(overBudget(graph, budgets, node, budget, model.callPolicy.callOrder));
    graph.edges[node]!.forEach(({ call, callee }) => {
      if (callee.deadlineMs <= call.timeoutMs) return;
      problems.push({
        severity: 'error',
        code: 'timeout-below-deadline',
        path: service.node.path,
        message: `calls[${service.calls.indexOf(call)}] to ${callee.name} ('${call.contract.name}') times out after ${call.timeout}, before the ${callee.deadline} deadline ${callee.name} promises`,
        why: 'the caller gives up (and retries) while the callee is still within its promise: slow but on-time answers are thrown away and the work is done again',
        fix: `raise the timeout to at least ${callee.deadline}, or lower the deadline of ${callee.name}`,
      });
    });
  }
  for (const service of model.services) problems.push(...timeoutsAboveDeadline(service));
  return problems;
};

/**
 * A per-try timeout longer than the caller's own deadline never fires: the caller's deadline,
 * propagated to the call, cuts the try first. The model then says something it does not do.
 */
function timeoutsAboveDeadline(service: Workload): Problem[] {
  return service.calls.flatMap((call, index): Problem[] =>
    call.timeoutMs > service.deadlineMs
      ? [
          {
            severity: 'warning',
            code: 'timeout-above-deadline',
            path: service.node.path,
            message: `calls[${index}] ('${call.contract.name}') has a per-try timeout of ${call.timeout}, longer than the ${service.deadline} deadline ${service.name} itself promises`,
            why: "the caller's deadline is propagated to the call and cuts every try first, so this timeout never applies and the model overstates what the call may take",
            fix: `lower the timeout to at most ${service.deadline}, or raise the deadline of ${service.name}`,
          },
        ]
      : [],
  );
}

function overBudget(graph: ModelCallGraph, budgets: readonly (ServiceBudget | undefined)[], node: number, budget: ServiceBudget, order: 'sequential' | 'parallel'): Problem {
  const service = graph.services[node]!;
  const ranked = [...budget.calls].sort((a, b) => b.totalMs - a.totalMs);
  const listed = (order === 'sequential' ? ranked.slice(0, LISTED_CALLS) : ranked.slice(0, 1)).map((c) => describeCall(graph, c));
  const more = order === 'sequential' && ranked.length > LISTED_CALLS ? ` and ${ranked.length - LISTED_CALLS} more` : '';
  const what = order === 'sequential' ? `its calls, one after another, can take ${formatDuration(budget.callsMs)}` : `its slowest call can take ${formatDuration(budget.callsMs)}`;
  return {
    severity: 'error',
    code: 'deadline-budget',
    path: service.node.path,
    message: `${what}, more than its ${service.deadline} deadline: ${listed.join(' + ')}${more}; slowest chain: ${slowestChain(graph, budgets, node)}`,
    why: 'the deadline fires before the last retry can finish: the retries the caller counts on never happen, and its own callers see DEADLINE_EXCEEDED',
    fix: `raise the deadline to at least ${formatDuration(budget.callsMs)}, or lower the timeouts or retries of its calls${order === 'sequential' ? "; if the calls run concurrently, set callPolicy.callOrder to 'parallel'" : ''}`,
  };
}

/** `identity 200ms ×2 + 25ms backoff = 425ms` */
function describeCall(graph: ModelCallGraph, cost: CallCost): string {
  const tries = cost.edge.retries + 1;
  const callee = `${graph.services[cost.edge.to]!.name} ${formatDuration(cost.tryMs)}${cost.cappedByTimeout ? ' (timeout)' : ''}`;
  if (tries === 1) return `${callee} = ${formatDuration(cost.totalMs)}`;
  return `${callee} ×${tries}${cost.backoffMs > 0 ? ` + ${formatDuration(cost.backoffMs)} backoff` : ''} = ${formatDuration(cost.totalMs)}`;
}

/** `gateway 800ms → rooms 250ms ×2 → ranking 40ms ×2`: the costliest call at each hop, down to a leaf. */
function slowestChain(graph: ModelCallGraph, budgets: readonly (ServiceBudget | undefined)[], start: number): string {
  const hops = [`${graph.services[start]!.name} ${graph.services[start]!.deadline}`];
  for (let call = slowestCall(budgets[start]!); call; call = slowestCall(budgets[call.edge.to]!)) {
    const tries = call.edge.retries + 1;
    hops.push(`${graph.services[call.edge.to]!.name} ${formatDuration(call.tryMs)}${call.cappedByTimeout ? ' (timeout)' : ''}${tries > 1 ? ` ×${tries}` : ''}`);
  }
  return hops.join(' → ');
}
