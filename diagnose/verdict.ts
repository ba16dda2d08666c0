import { edgeName, formatMs, formatShare } from './format.js';
import type { EdgeSummary, Verdict } from './result.js';

/**
 * Below this share of the callee's time being its own code, "profile the callee" is the
 * wrong advice: it is mostly waiting on its own downstream calls.
 */
const MOSTLY_WAITING = 0.5;

/**
 * A verdict for each of the `top` slowest edges: which side (the boundary between the
 * services, or the callee's runtime) owns the slowest 1% of calls, in words a platform
 * engineer can act on.
 *
 * @param edges all edges, slowest p99 client duration first (as `Aggregator.edgeSummaries` returns them).
 */
export function verdicts(edges: readonly EdgeSummary[], top: number): Verdict[] {
  return edges.slice(0, top).map((edge, i) => verdictFor(edge, i + 1, edges));
}

function verdictFor(edge: EdgeSummary, rank: number, edges: readonly EdgeSummary[]): Verdict {
  const { tail } = edge;
  const name = edgeName(edge.caller, edge.callee);
  const p99 = tail.p99ClientMs;
  const side = tail.boundaryShare >= 0.5 ? 'boundary' : 'runtime';
  const base = { rank, caller: edge.caller, callee: edge.callee, operation: edge.operation, side, p99ClientMs: p99 } as const;

  if (side === 'boundary') {
    return {
      ...base,
      share: tail.boundaryShare,
      summary: `the boundary is ${formatShare(tail.boundaryShare)} of p99 on ${name}`,
      detail:
        `of ${formatMs(p99)} ms at p99, ${formatMs(p99 * tail.boundaryShare)} ms is spent between ` +
        `${withLanguage(edge.caller, edge.callerLanguage)} and ${withLanguage(edge.callee, edge.calleeLanguage)}: ` +
        'network, serialization and queueing, not code in either runtime. Check payload size, connection ' +
        `reuse and queueing in the caller before tuning ${edge.callee}.`,
    };
  }

  const inside =
    `of ${formatMs(p99)} ms at p99, ${formatMs(p99 * tail.runtimeShare)} ms is inside ` +
    `${withLanguage(edge.callee, edge.calleeLanguage)}`;
  const waitingShare = 1 - tail.selfShareOfRuntime;
  let advice: string;
  if (tail.selfShareOfRuntime >= MOSTLY_WAITING) {
    advice =
      `: ${formatShare(tail.selfShareOfRuntime)} of that is ${edge.callee}'s own code` +
      (waitingShare >= 0.005 ? `, ${formatShare(waitingShare)} waiting on its downstream calls` : '') +
      `. Profile ${edge.callee}.`;
  } else {
    const downstream = edges.find((e) => e !== edge && e.caller === edge.callee);
    advice =
      `, but only ${formatShare(tail.selfShareOfRuntime)} of that is its own code; ` +
      `${formatShare(waitingShare)} is waiting on its downstream calls` +
      (downstream
        ? ` (slowest: ${edgeName(downstream.caller, downstream.callee)}, p99 ${formatMs(downstream.tail.p99ClientMs)} ms). Follow that edge.`
        : '. Follow its outgoing calls.');
  }
  return {
    ...base,
    share: tail.runtimeShare,
    summary: `the runtime (${edge.callee}) is ${formatShare(tail.runtimeShare)} of p99 on ${name}`,
    detail: inside + advice,
  };
}

function withLanguage(service: string, language: string | undefined): string {
  return language ? `${service} (${language})` : service;
}
