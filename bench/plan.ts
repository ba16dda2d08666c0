import { Prng } from '../test/support/prng.js';

/**
 * The shape of a synthetic system, as plain data: which services exist, in which domain and
 * runtime, what they call and which events they publish and subscribe to. Both the polyglot model
 * (generate.ts) and the plain cdk8s-plus baseline (baseline.ts) are built from one plan, so they
 * describe the same services.
 */

export type BenchRuntime = 'typescript' | 'elixir' | 'go' | 'rust';

export interface PlanOptions {
  /** Number of services. */
  readonly services: number;
  /** Edges per service (calls plus subscriptions), on average.
   * @default 5 */
  readonly edgesPerService?: number;
  /** Share of the edges that are events (subscriptions); the rest are gRPC calls.
   * @default 1/3 */
  readonly eventShare?: number;
  /** Number of domains.
   * @default min(20, services) */
  readonly domains?: number;
  /** PRNG seed.
   * @default 1 */
  readonly seed?: number;
  /** System name (namespace prefix).
   * @default 'bench' */
  readonly name?: string;
}

export interface PlannedCall {
  /** Index of the called service (always higher than the caller's: no sync cycles). */
  readonly callee: number;
  readonly timeoutMs: number;
  readonly retries: number;
}

export interface PlannedService {
  readonly index: number;
  readonly name: string;
  readonly domain: string;
  readonly runtime: BenchRuntime;
  /** 0 = edge (TypeScript, Elixir), 1–2 = service plane (Go), 3 = hot path (Rust). */
  readonly tier: number;
  /** Name of the gRPC contract it serves (Go and Rust only: the runtimes with a gRPC port). */
  readonly serves?: string;
  readonly calls: PlannedCall[];
  readonly publishes: number[];
  readonly subscribes: number[];
  deadlineMs: number;
}

export interface PlannedEvent {
  readonly index: number;
  readonly name: string;
  readonly subject: string;
  readonly publisher: number;
  /** JetStream stream name; every other event keeps one. */
  readonly stream?: string;
}

export interface SystemPlan {
  readonly name: string;
  readonly domains: readonly string[];
  readonly services: readonly PlannedService[];
  readonly events: readonly PlannedEvent[];
  readonly callEdges: number;
  readonly eventEdges: number;
}

/** Number of tiers: calls only go from a tier to a later one, so call chains are at most 3 hops. */
const TIERS = 4;
/** What a leaf (Rust hot path) promises. */
const LEAF_DEADLINE_MS = 20;

const pad = (n: number, width = 4) => String(n).padStart(width, '0');
const SHORT: Record<BenchRuntime, string> = { typescript: 'ts', elixir: 'ex', go: 'go', rust: 'rs' };

/**
 * Plans a system that passes every check:
 * - services are ordered; service i is in tier floor(4i/N): edge APIs and websocket fan-out
 *   (TypeScript and Elixir, alternating), then two tiers of Go, then Rust;
 * - service i lives in domain i mod D, so every domain mixes runtimes;
 * - calls only go to Go and Rust services of a later tier (so to a higher index: no sync cycle),
 *   each to a distinct contract; every Go and Rust service serves exactly one contract;
 * - timeouts cover the callee's deadline (×1.2 + 5 ms), only calls into the hot path retry
 *   (once: no retry storm), and every deadline covers its calls done one after another, every
 *   try and every backoff wait (25 ms doubling) included;
 * - every event has exactly one publisher and its subscribers are other services; every other
 *   event keeps a JetStream stream, with disjoint subjects.
 */
export function planSystem(options: PlanOptions): SystemPlan {
  const n = options.services;
  if (!Number.isInteger(n) || n < 4) throw new Error(`services must be an integer ≥ 4, got ${n}`);
  const edgesPerService = options.edgesPerService ?? 5;
  const eventShare = options.eventShare ?? 1 / 3;
  const domainCount = options.domains ?? Math.min(20, n);
  const name = options.name ?? 'bench';
  const rng = new Prng(options.seed ?? 1);

  const domains = Array.from({ length: domainCount }, (_, k) => `d${pad(k, 2)}`);
  const services: PlannedService[] = [];
  for (let i = 0; i < n; i++) {
    const tier = Math.floor((i * TIERS) / n);
    const runtime: BenchRuntime = tier === 0 ? (i % 2 === 0 ? 'typescript' : 'elixir') : tier === TIERS - 1 ? 'rust' : 'go';
    const serving = runtime === 'go' || runtime === 'rust';
    services.push({
      index: i,
      name: `${SHORT[runtime]}-${pad(i)}`,
      domain: domains[i % domainCount]!,
      runtime,
      tier,
      serves: serving ? `api-${pad(i)}` : undefined,
      calls: [],
      publishes: [],
      subscribes: [],
      deadlineMs: 0,
    });
  }

  const totalEdges = Math.round(n * edgesPerService);
  let eventEdges = Math.round(totalEdges * eventShare);
  let callEdges = totalEdges - eventEdges;

  // Calls: spread evenly over the services that have a later tier to call, within what each can reach.
  const firstOfTier = (t: number) => services.findIndex((s) => s.tier >= t);
  const callees = (s: PlannedService) => services.slice(firstOfTier(s.tier + 1) === -1 ? n : firstOfTier(s.tier + 1));
  const callers = services.filter((s) => s.tier < TIERS - 1);
  const capacity = callers.map((s) => callees(s).length);
  const quota = callers.map(() => 0);
  let remaining = callEdges;
  while (remaining > 0) {
    const open = callers.map((_, k) => k).filter((k) => quota[k]! < capacity[k]!);
    if (open.length === 0) break;
    const share = Math.max(1, Math.floor(remaining / open.length));
    for (const k of open) {
      if (remaining === 0) break;
      const add = Math.min(share, capacity[k]! - quota[k]!, remaining);
      quota[k]! += add;
      remaining -= add;
    }
  }
  // Whatever no caller can make (only in tiny systems) becomes events, so the edge count holds.
  callEdges -= remaining;
  eventEdges += remaining;
  callers.forEach((caller, k) => {
    for (const callee of rng.sample(callees(caller), quota[k]!)) {
      caller.calls.push({ callee: callee.index, timeoutMs: 0, retries: callee.tier === TIERS - 1 ? 1 : 0 });
    }
    caller.calls.sort((a, b) => a.callee - b.callee);
  });

  // Deadlines and timeouts, from the leaves up: a timeout covers the callee's deadline, a
  // deadline covers every attempt of every call, one after another.
  for (let i = n - 1; i >= 0; i--) {
    const service = services[i]!;
    if (service.calls.length === 0) {
      service.deadlineMs = LEAF_DEADLINE_MS;
      continue;
    }
    let budget = 0;
    service.calls.forEach((call, k) => {
      const timeoutMs = roundUp(services[call.callee]!.deadlineMs * 1.2 + 5, 5);
      service.calls[k] = { ...call, timeoutMs };
      budget += timeoutMs * (call.retries + 1) + backoffMs(call.retries);
    });
    service.deadlineMs = roundUp(budget * 1.1 + 20, 10);
  }

  // Events: one per four services, each with one publisher (distinct), subscribed to by others.
  const eventCount = Math.max(1, Math.round(n / 4));
  const publishers = rng.sample(services, eventCount);
  const events: PlannedEvent[] = publishers.map((publisher, e) => {
    publisher.publishes.push(e);
    return {
      index: e,
      name: `evt-${pad(e)}`,
      subject: `${name}.${publisher.domain}.e${pad(e)}.{key}`,
      publisher: publisher.index,
      stream: e % 2 === 0 ? `${name.toUpperCase()}_E${pad(e)}` : undefined,
    };
  });
  for (let k = 0; k < eventEdges; k++) {
    const event = events[k % eventCount]!;
    let subscriber: PlannedService | undefined;
    for (let attempt = 0; attempt < 1000 && !subscriber; attempt++) {
      const candidate = services[rng.int(n)]!;
      if (candidate.index !== event.publisher && !candidate.subscribes.includes(event.index)) subscriber = candidate;
    }
    if (!subscriber) throw new Error(`cannot place subscription ${k}: too few services for ${eventEdges} event edges`);
    subscriber.subscribes.push(event.index);
  }
  for (const s of services) s.subscribes.sort((a, b) => a - b);

  return { name, domains, services, events, callEdges, eventEdges };
}

/** Total backoff before `retries` retries: 25 ms, doubling, at most 1 s per wait (the default call policy). */
function backoffMs(retries: number): number {
  let total = 0;
  for (let k = 0; k < retries; k++) total += Math.min(25 * 2 ** k, 1000);
  return total;
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

/** The gRPC contract a planned service serves: its proto package, file and service name. */
export function grpcContractOf(plan: SystemPlan, index: number): { pkg: string; proto: string; service: string } {
  const pkg = `${plan.name}.s${String(index).padStart(4, '0')}.v1`;
  return { pkg, proto: `contracts/${pkg.replace(/\./g, '/')}/api.proto`, service: `${pkg}.Api` };
}
