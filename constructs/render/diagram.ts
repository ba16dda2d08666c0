import type { EventContract } from '../contracts/events.js';
import type { CallEdge, SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { capLines, type DiagramEdge, type DiagramGraph, type DiagramNode, type LegendEntry } from './diagram-graph.js';
import { graphDot } from './dot.js';
import { startRenderingSvgs } from './graphviz.js';
import { graphMermaid } from './mermaid.js';
import { DOMAIN_SWATCH, EVENT_SWATCH, NEIGHBOUR_SWATCH, runtimeSwatch } from './palette.js';
import { finishSvg } from './svg-finish.js';

/** Where the diagrams go, inside the output. */
export const DIAGRAMS_FOLDER = 'diagrams';

/**
 * Starts drawing the diagrams of a system on another thread; the returned function waits for
 * them and gives path (relative to the outdir) → file: an SVG per diagram, and beside it its
 * Mermaid source for places that render Mermaid but not SVG.
 */
export function renderDiagrams(model: SystemModel): () => Map<string, string> {
  const diagrams = diagramGraphs(model);
  const pending = startRenderingSvgs(diagrams.map(({ graph }) => graphDot(graph)));
  const files = renderDiagramSources(model, diagrams);
  return () => {
    const svgs = pending.wait();
    diagrams.forEach(({ name, graph }, i) => files.set(`${DIAGRAMS_FOLDER}/${name}.svg`, finishSvg(svgs[i]!, graph)));
    return files;
  };
}

/**
 * The Mermaid source of every diagram (path relative to the outdir → file), without drawing
 * anything: what synth writes unless the diagrams are drawn (SystemProps.drawDiagrams).
 */
export function renderDiagramSources(model: SystemModel, diagrams = diagramGraphs(model)): Map<string, string> {
  return new Map(diagrams.map(({ name, graph }) => [`${DIAGRAMS_FOLDER}/${name}.mmd`, graphMermaid(graph)]));
}

/** The system's picture and one per domain, each with the name of its file. */
function diagramGraphs(model: SystemModel): { readonly name: string; readonly graph: DiagramGraph }[] {
  return [{ name: 'system', graph: systemGraph(model) }, ...model.domains.map((d) => ({ name: d.name, graph: domainGraph(model, d.name) }))];
}

/** The DOT source of the system diagram. */
export function systemDot(model: SystemModel): string {
  return graphDot(systemGraph(model));
}

/** The DOT source of a domain's diagram. */
export function domainDot(model: SystemModel, domainName: string): string {
  return graphDot(domainGraph(model, domainName));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const runtimeName = (s: Workload) => s.profile?.displayName ?? s.runtime;
const tries = (edge: CallEdge) => (edge.call.retries > 0 ? ` ×${edge.call.retries + 1}` : '');
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One node per domain, and between two domains one solid edge naming the gRPC contracts called
 * across and one dashed edge naming the events. Its size grows with the number of domains, not
 * services, so it stays readable (and cheap to lay out) for a thousand services.
 */
export function systemGraph(model: SystemModel): DiagramGraph {
  const across = new Map<string, { from: string; to: string; kind: 'call' | 'event'; names: Set<string> }>();
  const add = (from: string, to: string, kind: 'call' | 'event', name: string) => {
    if (from === to) return;
    const key = `${from}\u0000${to}\u0000${kind}`;
    const entry = across.get(key) ?? { from, to, kind, names: new Set<string>() };
    entry.names.add(name);
    across.set(key, entry);
  };
  for (const edge of model.callEdges) add(edge.caller.domain.name, edge.callee.domain.name, 'call', edge.call.contract.name);
  for (const event of model.eventContracts) {
    for (const publisher of model.publishersOf(event)) {
      for (const { subscriber } of model.subscribersOf(event)) add(publisher.domain.name, subscriber.domain.name, 'event', event.name);
    }
  }
  const nodes: DiagramNode[] = model.domains.map((domain) => {
    const services = model.services.filter((s) => s.domain === domain);
    const perRuntime = new Map<string, number>();
    for (const service of services) perRuntime.set(runtimeName(service), (perRuntime.get(runtimeName(service)) ?? 0) + 1);
    const runtimes = [...perRuntime.entries()].sort(([a], [b]) => byText(a, b)).map(([name, n]) => `${n} ${name}`);
    return { id: `domain:${domain.name}`, kind: 'domain', swatch: DOMAIN_SWATCH, lines: [domain.name, plural(services.length, 'service'), ...(runtimes.length > 0 ? [runtimes.join(' · ')] : [])] };
  });
  const edges: DiagramEdge[] = [...across.values()].map(({ from, to, kind, names }) => ({
    from: `domain:${from}`,
    to: `domain:${to}`,
    kind,
    lines: capLines([...names].sort(byText)),
  }));
  const legend: LegendEntry[] = [
    { sample: 'node', kind: 'domain', swatch: DOMAIN_SWATCH, text: 'domain: its services, counted by runtime' },
    { sample: 'line', kind: 'call', text: 'gRPC calls from one domain to another, labelled with the contracts called' },
    { sample: 'line', kind: 'event', text: 'NATS events from publishers in one domain to subscribers in another, labelled with the events' },
  ];
  return { name: model.name, nodes: sortNodes(nodes), edges: sortEdges(edges), legend };
}

/**
 * A domain's services, the events they publish or consume, and one node for each other domain
 * they call, are called by or exchange events with. Outside services are not drawn one by one:
 * a domain's diagram grows with the domain and its edges, not with the system, so all domain
 * diagrams together stay linear in the system's size. Solid edges are gRPC calls (labelled with
 * the contract, its timeout and ×tries), dashed edges are NATS events.
 */
export function domainGraph(model: SystemModel, domainName: string): DiagramGraph {
  const inDomain = (s: Workload) => s.domain.name === domainName;
  const own = model.services.filter(inDomain);
  const serviceId = (s: Workload) => `service:${s.name}`;
  // Another domain is drawn twice at most: once where its calls and events come in (left), once
  // where this domain's calls go out to it (right). Every edge then runs left to right, and the
  // layout has no hubs that are both source and sink: dot's work on a thousand-service system
  // fell by half with this.
  const neighbourId = (domain: string, side: 'in' | 'out') => `domain:${domain}:${side}`;
  const eventId = (e: EventContract) => `event:${e.name}`;
  const nodes = new Map<string, DiagramNode>();
  const neighbours = new Set<string>();
  for (const service of own) {
    nodes.set(serviceId(service), { id: serviceId(service), kind: 'service', swatch: runtimeSwatch(service.runtime), lines: [service.name, `${runtimeName(service)} · deadline ${service.deadline}`] });
  }
  const edges: DiagramEdge[] = [];
  // Calls that cross the domain's border, gathered per (own service, other domain, direction).
  const crossing = new Map<string, { from: string; to: string; calls: CallEdge[]; outward: boolean }>();
  for (const edge of model.callEdges) {
    const callerIn = inDomain(edge.caller);
    const calleeIn = inDomain(edge.callee);
    if (callerIn && calleeIn) {
      edges.push({ from: serviceId(edge.caller), to: serviceId(edge.callee), kind: 'call', lines: [edge.call.contract.name, `${edge.call.timeout}${tries(edge)}`] });
    } else if (callerIn || calleeIn) {
      const from = callerIn ? serviceId(edge.caller) : neighbourId(edge.caller.domain.name, 'in');
      const to = calleeIn ? serviceId(edge.callee) : neighbourId(edge.callee.domain.name, 'out');
      neighbours.add(callerIn ? neighbourId(edge.callee.domain.name, 'out') : neighbourId(edge.caller.domain.name, 'in'));
      const key = `${from}\u0000${to}`;
      const entry = crossing.get(key) ?? { from, to, calls: [], outward: callerIn };
      entry.calls.push(edge);
      crossing.set(key, entry);
    }
  }
  for (const { from, to, calls, outward } of crossing.values()) edges.push({ from, to, kind: 'call', lines: crossingLabel(calls, outward) });

  const events = new Set<EventContract>();
  for (const service of own) {
    for (const event of service.publishes) events.add(event);
    for (const subscription of service.subscribes) events.add(subscription.event);
  }
  for (const event of events) {
    const outsidePublishers = new Set<string>();
    for (const publisher of model.publishersOf(event)) {
      if (inDomain(publisher)) edges.push({ from: serviceId(publisher), to: eventId(event), kind: 'event', lines: [] });
      else outsidePublishers.add(publisher.domain.name);
    }
    const outsideSubscribers = new Set<string>();
    for (const { subscriber } of model.subscribersOf(event)) {
      if (inDomain(subscriber)) edges.push({ from: eventId(event), to: serviceId(subscriber), kind: 'event', lines: [] });
      else outsideSubscribers.add(subscriber.domain.name);
    }
    // Where an event comes from is drawn (an arrow from the publishing domain); where else it
    // goes is said on the event, not drawn: an arrow to every other subscribing domain made a
    // domain's diagram of a thousand-service system three times as many edges (and minutes of
    // layout), for facts the system view and catalog.md already show.
    for (const domain of outsidePublishers) {
      edges.push({ from: neighbourId(domain, 'in'), to: eventId(event), kind: 'event', lines: [] });
      neighbours.add(neighbourId(domain, 'in'));
    }
    const elsewhere = [...outsideSubscribers].sort(byText);
    const readers = elsewhere.length === 0 ? [] : elsewhere.length <= 2 ? [`also read in ${elsewhere.join(', ')}`] : [`also read in ${elsewhere.length} other domains`];
    nodes.set(eventId(event), { id: eventId(event), kind: 'event', swatch: EVENT_SWATCH, lines: [event.name, event.subject, ...readers] });
  }
  const servicesIn = new Map<string, number>();
  for (const service of model.services) servicesIn.set(service.domain.name, (servicesIn.get(service.domain.name) ?? 0) + 1);
  for (const id of neighbours) {
    const name = id.slice('domain:'.length, id.lastIndexOf(':'));
    nodes.set(id, { id, kind: 'neighbour', swatch: NEIGHBOUR_SWATCH, lines: [name, `other domain · ${plural(servicesIn.get(name) ?? 0, 'service')}`] });
  }

  const runtimes = new Map<string, Workload>();
  for (const service of own) if (!runtimes.has(service.runtime)) runtimes.set(service.runtime, service);
  const legend: LegendEntry[] = [
    ...[...runtimes.entries()].sort(([a], [b]) => byText(a, b)).map(([runtime, service]): LegendEntry => ({
      sample: 'node',
      kind: 'service',
      swatch: runtimeSwatch(runtime),
      text: `${runtimeName(service)} service: name, runtime · deadline (its whole request budget)`,
    })),
    ...(neighbours.size > 0 ? [{ sample: 'node', kind: 'neighbour', swatch: NEIGHBOUR_SWATCH, text: 'another domain, all its services in one box: where calls and events come from (left), where calls go (right)' } as const] : []),
    ...(events.size > 0 ? [{ sample: 'node', kind: 'event', swatch: EVENT_SWATCH, text: 'NATS event: its name (as in catalog.md), its subject, and other domains that read it' } as const] : []),
    { sample: 'line', kind: 'call', text: 'gRPC call: contract, then timeout per try ×N tries (the first try and N-1 retries)' },
    ...(events.size > 0 ? [{ sample: 'line', kind: 'event', text: 'NATS event: from its publisher (or publishing domain) to the event, from the event to subscribers here' } as const] : []),
  ];
  return {
    name: domainName,
    cluster: { title: `domain ${domainName}`, nodeIds: own.map(serviceId).sort(byText) },
    nodes: sortNodes([...nodes.values()]),
    edges: sortEdges(edges),
    legend,
  };
}

/**
 * The label of calls gathered on one edge across the domain's border: a contract called once
 * shows its timeout and tries as an inner edge does; one called by several services of another
 * domain shows how many call it (their timeouts are in catalog.md).
 */
function crossingLabel(calls: readonly CallEdge[], outward: boolean): string[] {
  const byContract = new Map<string, CallEdge[]>();
  for (const edge of calls) byContract.set(edge.call.contract.name, [...(byContract.get(edge.call.contract.name) ?? []), edge]);
  const contracts = [...byContract.entries()].sort(([a], [b]) => byText(a, b));
  if (contracts.length === 1 && contracts[0]![1].length === 1) {
    const edge = contracts[0]![1][0]!;
    return [edge.call.contract.name, `${edge.call.timeout}${tries(edge)}`];
  }
  return capLines(
    contracts.map(([name, edges]) => {
      if (edges.length === 1) return `${name} ${edges[0]!.call.timeout}${tries(edges[0]!)}`;
      return outward ? `${name} (${plural(edges.length, 'call')})` : `${name} (${plural(edges.length, 'caller')})`;
    }),
  );
}

function sortNodes(nodes: DiagramNode[]): DiagramNode[] {
  return nodes.sort((a, b) => byText(a.id, b.id));
}

function sortEdges(edges: DiagramEdge[]): DiagramEdge[] {
  return edges.sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to) || byText(a.kind, b.kind));
}
