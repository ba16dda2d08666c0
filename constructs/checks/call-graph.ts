import type { CallEdge, SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';

/** One synchronous call between two nodes of a {@link CallGraph}. */
export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  readonly timeoutMs: number;
  readonly retries: number;
}

/**
 * The synchronous call graph with nodes numbered 0..size-1: what the budget, amplification and
 * cycle analyses need and nothing else, so property tests can build one without a System.
 */
export interface CallGraph {
  readonly size: number;
  /** The deadline each node promises its callers. */
  readonly deadlineMs: readonly number[];
  /** Outgoing edges of each node, in the order the service declares its calls. */
  readonly out: readonly (readonly GraphEdge[])[];
}

/** The call graph of a model, with the services and call edges behind its numbers. */
export interface ModelCallGraph extends CallGraph {
  readonly services: readonly Workload[];
  /** The model's call edge behind each graph edge, same positions as `out`. */
  readonly edges: readonly (readonly CallEdge[])[];
  /** How many resolved calls reach each node. */
  readonly callerCount: readonly number[];
  readonly components: Components;
}

/** The strongly connected components, in an order that serves bottom-up analyses. */
export interface Components {
  /**
   * Every component, callees before callers: when a component is listed, every component it
   * calls was listed before it. Tarjan's algorithm produces this order as a by-product.
   */
  readonly order: readonly (readonly number[])[];
  /** True for nodes on a cycle: in a component of two or more, or calling themselves. */
  readonly cyclic: readonly boolean[];
  /** True for nodes that are on a cycle or call, directly or not, a node on one: no finite worst case. */
  readonly unbounded: readonly boolean[];
}

const cache = new WeakMap<SystemModel, ModelCallGraph>();

/** The model's call graph, built once per model in O(services + calls). */
export function callGraphOf(model: SystemModel): ModelCallGraph {
  let graph = cache.get(model);
  if (!graph) cache.set(model, (graph = buildCallGraph(model)));
  return graph;
}

function buildCallGraph(model: SystemModel): ModelCallGraph {
  const services = model.services;
  const index = new Map(services.map((s, i) => [s, i]));
  const callerCount = new Array<number>(services.length).fill(0);
  const edges = services.map((s) => model.callsOf(s));
  const out = edges.map((list, from) =>
    list.map((edge) => {
      const to = index.get(edge.callee)!;
      callerCount[to]!++;
      return { from, to, timeoutMs: edge.call.timeoutMs, retries: edge.call.retries };
    }),
  );
  const graph: CallGraph = { size: services.length, deadlineMs: services.map((s) => s.deadlineMs), out };
  return { ...graph, services, edges, callerCount, components: stronglyConnectedComponents(graph) };
}

/**
 * Tarjan's strongly connected components, iterative (a recursive walk overflows the stack on a
 * long chain of calls). O(nodes + edges).
 */
export function stronglyConnectedComponents(graph: CallGraph): Components {
  const { size, out } = graph;
  const indexOf = new Array<number>(size).fill(-1);
  const lowLink = new Array<number>(size).fill(0);
  const onStack = new Array<boolean>(size).fill(false);
  const stack: number[] = [];
  const order: number[][] = [];
  const cyclic = new Array<boolean>(size).fill(false);
  const unbounded = new Array<boolean>(size).fill(false);
  let next = 0;

  // Each frame is a node and the position of the next outgoing edge to follow.
  const frames: { node: number; edge: number }[] = [];
  const enter = (node: number) => {
    indexOf[node] = lowLink[node] = next++;
    stack.push(node);
    onStack[node] = true;
    frames.push({ node, edge: 0 });
  };

  for (let start = 0; start < size; start++) {
    if (indexOf[start] !== -1) continue;
    enter(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const edges = out[frame.node]!;
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!.to;
        if (indexOf[to] === -1) enter(to);
        else if (onStack[to]) lowLink[frame.node] = Math.min(lowLink[frame.node]!, indexOf[to]!);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) lowLink[parent.node] = Math.min(lowLink[parent.node]!, lowLink[frame.node]!);
      if (lowLink[frame.node] !== indexOf[frame.node]) continue;

      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = false;
        component.push(member);
      } while (member !== frame.node);
      const isCycle = component.length > 1 || out[frame.node]!.some((e) => e.to === frame.node);
      // Callees' components are complete already, so one look at the direct callees suffices.
      const reachesCycle = component.some((n) => out[n]!.some((e) => unbounded[e.to]));
      for (const n of component) {
        cyclic[n] = isCycle;
        unbounded[n] = isCycle || reachesCycle;
      }
      order.push(component);
    }
  }
  return { order, cyclic, unbounded };
}
