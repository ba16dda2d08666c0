import type { DeclaredEdge, DeclaredModel } from './declared.js';
import type { EdgeSummary, ServiceSummary } from './result.js';

/** Calls between services that the model does not declare. */
export interface UndeclaredEdge {
  readonly caller: string;
  readonly callee: string;
  readonly operation: string;
  readonly pairs: number;
  /** Why it does not match: no call between the two services, or a call to another contract. */
  readonly reason: 'no-call' | 'other-contract' | 'unknown-service';
}

/** A declared call whose observed p99 client duration exceeds its per-try timeout. */
export interface TimeoutExceeded {
  readonly caller: string;
  readonly callee: string;
  readonly contract: string;
  readonly operation: string;
  readonly timeoutMs: number;
  readonly p99ClientMs: number;
}

/** A declared call whose callers retried more often than the model allows. */
export interface RetriesExceeded {
  readonly caller: string;
  readonly callee: string;
  readonly contract: string;
  readonly operation: string;
  readonly declaredRetries: number;
  /** The most retries one call made. */
  readonly maxRetries: number;
  /** Calls that retried more than declared. */
  readonly calls: number;
}

/** A service whose server spans' p99 exceeds the deadline it promises. */
export interface DeadlineExceeded {
  readonly service: string;
  readonly deadlineMs: number;
  readonly p99Ms: number;
}

/** What the traces show that the model does not allow. */
export interface ModelCheck {
  readonly system: string;
  readonly undeclaredEdges: readonly UndeclaredEdge[];
  readonly timeouts: readonly TimeoutExceeded[];
  readonly retries: readonly RetriesExceeded[];
  readonly deadlines: readonly DeadlineExceeded[];
  /** Services in the traces that the model does not have. */
  readonly undeclaredServices: readonly string[];
  /** Declared calls no pair was seen on: not a problem, but the traces say nothing about them. */
  readonly unobservedEdges: readonly { readonly caller: string; readonly callee: string; readonly contract: string }[];
}

/**
 * Checks observed edges and services against the declared model: edges the model does not
 * declare, p99 client durations above the declared per-try timeout, retries above the declared
 * count, and services whose p99 server duration exceeds their deadline.
 *
 * Percentiles are approximate (the sketch's relative error), so a p99 within that error of a
 * limit is reported only when it is above it as measured.
 */
export function checkAgainstModel(
  edges: readonly EdgeSummary[],
  services: readonly ServiceSummary[],
  model: DeclaredModel,
): ModelCheck {
  const declaredServices = new Map(model.services.map((s) => [s.id, s]));
  const byPair = new Map<string, DeclaredEdge[]>();
  for (const edge of model.edges) {
    const key = pairKey(edge.caller, edge.callee);
    byPair.set(key, [...(byPair.get(key) ?? []), edge]);
  }

  const undeclaredEdges: UndeclaredEdge[] = [];
  const timeouts: TimeoutExceeded[] = [];
  const retries: RetriesExceeded[] = [];
  const observed = new Set<DeclaredEdge>();
  for (const edge of edges) {
    const candidates = byPair.get(pairKey(edge.caller, edge.callee)) ?? [];
    const declared = matchContract(candidates, edge.operation);
    if (declared === undefined) {
      const unknown = !declaredServices.has(edge.caller) || !declaredServices.has(edge.callee);
      undeclaredEdges.push({
        caller: edge.caller,
        callee: edge.callee,
        operation: edge.operation,
        pairs: edge.pairs,
        reason: unknown ? 'unknown-service' : candidates.length > 0 ? 'other-contract' : 'no-call',
      });
      continue;
    }
    observed.add(declared);
    const base = { caller: edge.caller, callee: edge.callee, contract: declared.contract, operation: edge.operation };
    if (edge.clientMs.p99 > declared.timeoutMs) {
      timeouts.push({ ...base, timeoutMs: declared.timeoutMs, p99ClientMs: edge.clientMs.p99 });
    }
    if (edge.retries.max > declared.retries) {
      const over = edge.retries.perCall.slice(declared.retries + 1).reduce((a, b) => a + b, 0);
      retries.push({ ...base, declaredRetries: declared.retries, maxRetries: edge.retries.max, calls: over });
    }
  }

  const deadlines: DeadlineExceeded[] = [];
  const seenServices = new Set<string>();
  for (const edge of edges) seenServices.add(edge.caller).add(edge.callee);
  for (const service of services) {
    seenServices.add(service.service);
    const declared = declaredServices.get(service.service);
    if (declared !== undefined && service.durationMs.p99 > declared.deadlineMs) {
      deadlines.push({ service: service.service, deadlineMs: declared.deadlineMs, p99Ms: service.durationMs.p99 });
    }
  }

  return {
    system: model.system,
    undeclaredEdges: undeclaredEdges.sort((a, b) => b.pairs - a.pairs || compare(a.caller, b.caller) || compare(a.callee, b.callee) || compare(a.operation, b.operation)),
    timeouts,
    retries,
    deadlines: deadlines.sort((a, b) => b.p99Ms / b.deadlineMs - a.p99Ms / a.deadlineMs || compare(a.service, b.service)),
    undeclaredServices: [...seenServices].filter((s) => !declaredServices.has(s)).sort(compare),
    unobservedEdges: model.edges
      .filter((e) => !observed.has(e))
      .map((e) => ({ caller: e.caller, callee: e.callee, contract: e.contract })),
  };
}

/**
 * The declared call an observed operation belongs to: the one whose gRPC service the operation
 * names (`rpc.service/rpc.method`), or the only call between the two services when the spans
 * carry no RPC attributes to tell.
 */
function matchContract(candidates: readonly DeclaredEdge[], operation: string): DeclaredEdge | undefined {
  const slash = operation.lastIndexOf('/');
  const rpcService = slash > 0 ? operation.slice(0, slash) : operation;
  const exact = candidates.find((c) => c.rpcService === rpcService);
  if (exact !== undefined) return exact;
  const namesAnRpcService = slash > 0 && rpcService.includes('.');
  return !namesAnRpcService && candidates.length === 1 ? candidates[0] : undefined;
}

function pairKey(caller: string, callee: string): string {
  return `${caller}\u0000${callee}`;
}

/** Locale-independent, so output is byte-identical everywhere. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
