import type { EventContract } from '../contracts/events.js';
import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import { RUNTIME_COLOURS, dotAttributes, dotString } from './dot.js';
import { startRenderingSvgs } from './graphviz.js';

/**
 * Starts drawing the diagrams of a system on another thread; the returned function waits for
 * them and gives path (relative to the outdir) → SVG.
 */
export function renderDiagrams(model: SystemModel): () => Map<string, string> {
  const paths = ['diagrams/system.svg', ...model.domains.map((d) => `diagrams/${d.name}.svg`)];
  const pending = startRenderingSvgs([systemDot(model), ...model.domains.map((d) => domainDot(model, d.name))]);
  return () => {
    const svgs = pending.wait();
    return new Map(paths.map((path, i) => [path, svgs[i]!]));
  };
}

/**
 * One node per domain, one edge per pair of domains that talk, labelled with how many calls and
 * events cross it. Its size grows with the number of domains, not services, so it stays readable
 * (and cheap to lay out) for a thousand services.
 */
export function systemDot(model: SystemModel): string {
  const counts = new Map<string, { calls: number; events: number }>();
  const bump = (from: string, to: string, kind: 'calls' | 'events') => {
    if (from === to) return;
    const key = `${from}\u0000${to}`;
    const entry = counts.get(key) ?? { calls: 0, events: 0 };
    entry[kind]++;
    counts.set(key, entry);
  };
  for (const edge of model.callEdges) bump(edge.caller.domain.name, edge.callee.domain.name, 'calls');
  for (const event of model.eventContracts) {
    for (const publisher of model.publishersOf(event)) {
      for (const { subscriber } of model.subscribersOf(event)) bump(publisher.domain.name, subscriber.domain.name, 'events');
    }
  }
  const lines = [`digraph ${dotString(model.name)} {`, '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fillcolor="#F5F5F5", fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  // dot's layered layout takes seconds on a dense graph of domains (hundreds of labelled edges
  // between twenty nodes: a real system at scale); a spring layout draws it in milliseconds.
  if (counts.size > 2 * model.domains.length) lines.push('  layout=neato;', '  overlap=false;');
  for (const domain of model.domains) {
    const runtimes = [...new Set(domain.services.map((s) => s.runtime))].sort().join(', ');
    lines.push(`  ${dotString(domain.name)}${dotAttributes({ label: `${domain.name}\n${domain.services.length} services (${runtimes || 'none'})` })};`);
  }
  for (const [key, { calls, events }] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [from, to] = key.split('\u0000') as [string, string];
    const label = [calls ? `${calls} call${calls > 1 ? 's' : ''}` : '', events ? `${events} event${events > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${dotString(from)} -> ${dotString(to)}${dotAttributes({ label, style: calls ? 'solid' : 'dashed' })};`);
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * A domain's services, the services outside it that they call or are called by, and the events
 * they publish or consume: solid edges are gRPC calls (labelled timeout × tries), dashed edges
 * are NATS subjects.
 */
export function domainDot(model: SystemModel, domainName: string): string {
  const inDomain = (s: Workload) => s.domain.name === domainName;
  const own = model.services.filter(inDomain);
  const nodes = new Map<string, Workload>();
  const edges: string[] = [];
  const id = (s: Workload) => `${s.domain.name}/${s.name}`;
  for (const service of own) nodes.set(id(service), service);
  for (const edge of model.callEdges) {
    if (!inDomain(edge.caller) && !inDomain(edge.callee)) continue;
    nodes.set(id(edge.caller), edge.caller);
    nodes.set(id(edge.callee), edge.callee);
    const tries = edge.call.retries + 1;
    edges.push(`  ${dotString(id(edge.caller))} -> ${dotString(id(edge.callee))}${dotAttributes({ label: `${edge.call.contract.name}\n${edge.call.timeout}${tries > 1 ? ` ×${tries}` : ''}` })};`);
  }
  const events = new Set<EventContract>();
  for (const service of own) {
    for (const event of service.publishes) events.add(event);
    for (const subscription of service.subscribes) events.add(subscription.event);
  }
  const eventId = (e: EventContract) => `event:${e.name}`;
  for (const event of [...events].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const publisher of model.publishersOf(event).filter(inDomain)) {
      edges.push(`  ${dotString(id(publisher))} -> ${dotString(eventId(event))}${dotAttributes({ style: 'dashed' })};`);
    }
    for (const { subscriber } of model.subscribersOf(event).filter((s) => inDomain(s.subscriber))) {
      edges.push(`  ${dotString(eventId(event))} -> ${dotString(id(subscriber))}${dotAttributes({ style: 'dashed' })};`);
    }
  }
  const lines = [`digraph ${dotString(domainName)} {`, '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  // Crossing minimisation dominates dot's time on a large domain; a tenth of it is still enough there.
  if (nodes.size > 100) lines.push('  mclimit=0.1;');
  lines.push(`  subgraph ${dotString(`cluster_${domainName}`)} {`, `    label=${dotString(domainName)};`, '    style="rounded";');
  for (const service of own) lines.push(`    ${serviceNode(service, id(service))}`);
  lines.push('  }');
  for (const [key, service] of [...nodes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!inDomain(service)) lines.push(`  ${serviceNode(service, key)}`);
  }
  for (const event of [...events].sort((a, b) => a.name.localeCompare(b.name))) {
    lines.push(`  ${dotString(eventId(event))}${dotAttributes({ label: event.subject, shape: 'cds', style: 'filled', fillcolor: '#FFF4CC' })};`);
  }
  lines.push(...edges, '}');
  return lines.join('\n');
}

function serviceNode(service: Workload, key: string): string {
  return `${dotString(key)}${dotAttributes({
    label: `${service.name}\n${service.profile?.displayName ?? service.runtime} · ${service.deadline}`,
    shape: 'box',
    style: 'rounded,filled',
    fillcolor: RUNTIME_COLOURS[service.runtime] ?? '#DDDDDD',
    fontcolor: 'white',
  })};`;
}
