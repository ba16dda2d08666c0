import type { GrpcContract } from '../contracts/grpc.js';
import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { retryAmplification } from './amplification.js';
import { worstCases } from './budget-analysis.js';
import { callGraphOf } from './call-graph.js';

/** One call's worst case, as the deadline budget check computed it. */
export interface CallBudget {
  readonly contract: GrpcContract;
  readonly callee: Workload;
  /** The per-try timeout declared on the call. */
  readonly timeout: string;
  readonly timeoutMs: number;
  readonly retries: number;
  /** How long one try can last: the callee's worst case, cut off at the timeout. */
  readonly tryMs: number;
  /** True when the timeout, not the callee's worst case, bounds a try. */
  readonly cappedByTimeout: boolean;
  /** The longest the call waits between its tries (the system's backoff). */
  readonly backoffMs: number;
  /** `tryMs × (retries + 1) + backoffMs`. */
  readonly totalMs: number;
}

/** One service's deadline budget: what the `deadline-budget` check held it to. */
export interface ServiceBudgetReport {
  readonly service: Workload;
  readonly deadline: string;
  readonly deadlineMs: number;
  /** Its calls, in the order it declares them. */
  readonly calls: readonly CallBudget[];
  /** Its calls' worst case together: summed, or the slowest, per `callPolicy.callOrder`. */
  readonly callsMs: number;
  /** Most tries one request to it can cause on a single service below it (1 for a leaf). */
  readonly amplification: number;
}

/**
 * The numbers behind the deadline budget and retry amplification checks, per service, from the
 * same analysis the checks run: for documents and tools that explain where a request spends its
 * deadline. Services on or above a call cycle have no finite budget and are left out (the cycle
 * check reports them).
 */
export function budgetReport(model: SystemModel): ServiceBudgetReport[] {
  const graph = callGraphOf(model);
  const budgets = worstCases(graph, graph.components, model.callPolicy);
  const { factor } = retryAmplification(graph, graph.components);
  const reports: ServiceBudgetReport[] = [];
  for (let node = 0; node < graph.size; node++) {
    const budget = budgets[node];
    if (!budget) continue;
    const service = graph.services[node]!;
    const calls = budget.calls.map((cost, i): CallBudget => {
      const { call, callee } = graph.edges[node]![i]!;
      return {
        contract: call.contract,
        callee,
        timeout: call.timeout,
        timeoutMs: call.timeoutMs,
        retries: call.retries,
        tryMs: cost.tryMs,
        cappedByTimeout: cost.cappedByTimeout,
        backoffMs: cost.backoffMs,
        totalMs: cost.totalMs,
      };
    });
    reports.push({ service, deadline: service.deadline, deadlineMs: service.deadlineMs, calls, callsMs: budget.callsMs, amplification: factor[node] ?? 1 });
  }
  return reports;
}
