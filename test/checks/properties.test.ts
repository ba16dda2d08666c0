import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { retryAmplification } from '../../constructs/checks/amplification.js';
import { worstCases } from '../../constructs/checks/budget-analysis.js';
import { stronglyConnectedComponents, type CallGraph, type GraphEdge } from '../../constructs/checks/call-graph.js';
import { worstCaseBackoffMs } from '../../constructs/contracts/call-policy.js';
import { callModel, problemsOf } from './models.js';

/**
 * The budget and amplification checks compute with memoised dynamic programming; these
 * properties compare them with brute force that walks every path, on random small graphs.
 */

interface RandomGraph {
  readonly size: number;
  readonly deadlines: number[];
  readonly edges: { from: number; to: number; timeout: number; retries: number }[];
}

const graphs = (acyclic: boolean) =>
  fc.integer({ min: 1, max: 7 }).chain((size) =>
    fc
      .record({
        deadlines: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: size, maxLength: size }),
        // A service calls each contract once (a second entry is an invalid-props error).
        edges: fc.uniqueArray(
          fc.record({ from: fc.nat(size - 1), to: fc.nat(size - 1), timeout: fc.integer({ min: 1, max: 300 }), retries: fc.integer({ min: 0, max: 3 }) }),
          { maxLength: 14, selector: (e) => `${e.from}->${e.to}` },
        ),
      })
      .map(({ deadlines, edges }): RandomGraph => ({ size, deadlines, edges: acyclic ? edges.filter((e) => e.from < e.to) : edges })),
  );

const policies = fc.record({
  callOrder: fc.constantFrom('sequential' as const, 'parallel' as const),
  initialBackoffMs: fc.integer({ min: 1, max: 50 }),
  extraMaxBackoffMs: fc.integer({ min: 0, max: 100 }),
});

function toCallGraph(g: RandomGraph): CallGraph {
  const out: GraphEdge[][] = Array.from({ length: g.size }, () => []);
  for (const e of g.edges) out[e.from]!.push({ from: e.from, to: e.to, timeoutMs: e.timeout, retries: e.retries });
  return { size: g.size, deadlineMs: g.deadlines, out };
}

/** Every path starting at `node` (including the empty one), as lists of edges. */
function paths(graph: CallGraph, node: number): GraphEdge[][] {
  return [[], ...graph.out[node]!.flatMap((edge) => paths(graph, edge.to).map((rest) => [edge, ...rest]))];
}

/** Sequential worst case by plain recursion: the call tree unfolded, every path visited, nothing memoised. */
function bruteSequential(graph: CallGraph, node: number, backoff: (r: number) => number): { calls: number; worst: number } {
  let calls = 0;
  for (const e of graph.out[node]!) calls += (e.retries + 1) * Math.min(e.timeoutMs, bruteSequential(graph, e.to, backoff).worst) + backoff(e.retries);
  return { calls, worst: Math.max(graph.deadlineMs[node]!, calls) };
}

/** Parallel worst case as a maximum over explicit paths, each folded from its far end. */
function bruteParallel(graph: CallGraph, node: number, backoff: (r: number) => number): { calls: number; worst: number } {
  let calls = 0;
  for (const path of paths(graph, node)) {
    if (path.length === 0) continue;
    let below = graph.deadlineMs[path[path.length - 1]!.to]!;
    for (let i = path.length - 1; i >= 0; i--) {
      const e = path[i]!;
      const cost = (e.retries + 1) * Math.min(e.timeoutMs, below) + backoff(e.retries);
      below = i === 0 ? cost : Math.max(graph.deadlineMs[e.from]!, cost);
    }
    calls = Math.max(calls, below);
  }
  return { calls, worst: Math.max(graph.deadlineMs[node]!, calls) };
}

const bruteAmplification = (graph: CallGraph, node: number) => Math.max(...paths(graph, node).map((p) => p.reduce((acc, e) => acc * (e.retries + 1), 1)));

test('worst cases by dynamic programming equal brute force over every path', () => {
  fc.assert(
    fc.property(graphs(true), policies, (g, p) => {
      const graph = toCallGraph(g);
      const policy = { callOrder: p.callOrder, initialBackoffMs: p.initialBackoffMs, maxBackoffMs: p.initialBackoffMs + p.extraMaxBackoffMs, backoffMultiplier: 2 };
      const backoff = (r: number) => worstCaseBackoffMs(r, policy);
      const brute = p.callOrder === 'sequential' ? bruteSequential : bruteParallel;
      const computed = worstCases(graph, stronglyConnectedComponents(graph), policy);
      for (let node = 0; node < g.size; node++) {
        const expected = brute(graph, node, backoff);
        assert.equal(computed[node]!.callsMs, expected.calls, `callsMs of ${node}`);
        assert.equal(computed[node]!.worstMs, expected.worst, `worstMs of ${node}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('retry amplification by dynamic programming equals the largest product over every path', () => {
  fc.assert(
    fc.property(graphs(true), (g) => {
      const graph = toCallGraph(g);
      const { factor } = retryAmplification(graph, stronglyConnectedComponents(graph));
      for (let node = 0; node < g.size; node++) assert.equal(factor[node], bruteAmplification(graph, node));
    }),
    { numRuns: 300 },
  );
});

test('Tarjan marks exactly the services on a cycle, and those that reach one, as unbounded', () => {
  fc.assert(
    fc.property(graphs(false), (g) => {
      const graph = toCallGraph(g);
      const reach = (from: number): Set<number> => {
        const seen = new Set<number>();
        const stack = graph.out[from]!.map((e) => e.to);
        while (stack.length > 0) {
          const n = stack.pop()!;
          if (seen.has(n)) continue;
          seen.add(n);
          stack.push(...graph.out[n]!.map((e) => e.to));
        }
        return seen;
      };
      const { cyclic, unbounded, order } = stronglyConnectedComponents(graph);
      const onCycle = Array.from({ length: g.size }, (_, n) => reach(n).has(n));
      assert.deepEqual(cyclic, onCycle);
      assert.deepEqual(unbounded, Array.from({ length: g.size }, (_, n) => onCycle[n] || [...reach(n)].some((m) => onCycle[m])));
      const position = new Map(order.flatMap((component, i) => component.map((n) => [n, i] as const)));
      for (const e of g.edges) assert.ok(position.get(e.to)! <= position.get(e.from)!, 'callees come before callers');
    }),
    { numRuns: 300 },
  );
});

test('the checks flag exactly the services brute force finds over budget or storming', () => {
  fc.assert(
    fc.property(graphs(true), fc.integer({ min: 1, max: 20 }), (g, limit) => {
      const name = (n: number) => `s${n}`;
      const system = callModel(
        g.deadlines.map((d, n) => ({
          name: name(n),
          deadline: `${d}ms`,
          calls: g.edges.filter((e) => e.from === n).map((e) => ({ to: name(e.to), timeout: `${e.timeout}ms`, retries: e.retries })),
        })),
        { callPolicy: { maxRetryAmplification: limit } },
      );
      const graph = toCallGraph(g);
      const backoff = (r: number) => worstCaseBackoffMs(r, { initialBackoffMs: 25, maxBackoffMs: 1000, backoffMultiplier: 2 });
      const nodes = [...g.deadlines.keys()];
      const paths = (code: string) => problemsOf(system, code).map((p) => p.path).sort();

      const overBudget = nodes.filter((n) => bruteSequential(graph, n, backoff).calls > g.deadlines[n]!);
      assert.deepEqual(paths('deadline-budget'), overBudget.map((n) => `m/d/${name(n)}`).sort());

      const storming = nodes.filter((n) => bruteAmplification(graph, n) > limit);
      const starts = storming.filter((n) => !g.edges.some((e) => e.to === n && storming.includes(e.from)));
      assert.deepEqual(paths('retry-amplification'), starts.map((n) => `m/d/${name(n)}`).sort());

      const inverted = g.edges.filter((e) => g.deadlines[e.to]! > e.timeout).length;
      assert.equal(problemsOf(system, 'timeout-below-deadline').length, inverted);
    }),
    { numRuns: 60 },
  );
});
