import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateSystem } from '../../bench/generate.js';
import { domainDot, domainGraph, systemDot, systemGraph } from '../../constructs/render/diagram.js';
import type { SystemModel } from '../../constructs/model.js';
import { smallSystem } from '../support/fixtures.js';

/** bench/generate builds with the package's build (dist): the same model, typed from another path. */
const generatedModel = (services: number, domains: number) => generateSystem({ services, domains }).system.model() as unknown as SystemModel;

test('the system diagram names the contracts and events that cross between domains', () => {
  const graph = systemGraph(smallSystem().system.model());
  assert.deepEqual(graph.edges, [
    { from: 'domain:edge', to: 'domain:sales', kind: 'call', lines: ['orders'] },
    { from: 'domain:sales', to: 'domain:live', kind: 'event', lines: ['order-placed'] },
  ]);
  const sales = graph.nodes.find((n) => n.id === 'domain:sales')!;
  assert.deepEqual(sales.lines, ['sales', '2 services', '1 Go · 1 Rust']);
  assert.deepEqual(graph.nodes.find((n) => n.id === 'domain:edge')!.lines, ['edge', '1 service', '1 TypeScript']);
  const dot = systemDot(smallSystem().system.model());
  assert.match(dot, /"domain:edge" -> "domain:sales" \[label=<<TABLE[^\n]*>orders<\/TD>[^\n]*, style="solid"\]/);
  assert.match(dot, /"domain:sales" -> "domain:live" \[label=<<TABLE[^\n]*>order-placed<\/TD>[^\n]*, style="dashed"\]/);
});

test('a domain diagram shows its services, timeouts ×tries, events by name and subject, and other domains as one node each', () => {
  const graph = domainGraph(smallSystem().system.model(), 'sales');
  assert.deepEqual(graph.cluster, { title: 'domain sales', nodeIds: ['service:orders', 'service:pricer'] });
  assert.deepEqual(
    graph.nodes.map((n) => [n.id, n.lines]),
    [
      ['domain:edge:in', ['edge', 'other domain · 1 service']],
      ['event:order-placed', ['order-placed', 'shop.orders.placed.{region}', 'also read in live']],
      ['service:orders', ['orders', 'Go · deadline 150ms']],
      ['service:pricer', ['pricer', 'Rust · deadline 15ms']],
    ],
  );
  assert.deepEqual(graph.edges, [
    { from: 'domain:edge:in', to: 'service:orders', kind: 'call', lines: ['orders', '200ms ×2'] },
    { from: 'service:orders', to: 'event:order-placed', kind: 'event', lines: [] },
    { from: 'service:orders', to: 'service:pricer', kind: 'call', lines: ['pricing', '20ms ×3'] },
  ]);
  const dot = domainDot(smallSystem().system.model(), 'sales');
  assert.match(dot, /"service:orders" \[label="orders\\nGo · deadline 150ms", shape="box", style="rounded,filled", width=[\d.]+, height=[\d.]+, fillcolor="#00ADD8", fontcolor="#1A1A1A"\]/);
  assert.match(dot, /"service:orders" -> "event:order-placed" \[style="dashed"\]/);
});

test('calls across a domain border are gathered per service and other domain, with their contracts', () => {
  const model = generatedModel(120, 6);
  for (const domain of model.domains) {
    const graph = domainGraph(model, domain.name);
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const edge of graph.edges) assert.ok(ids.has(edge.from) && ids.has(edge.to), `${domain.name}: ${edge.from} -> ${edge.to} joins drawn nodes`);
    const keys = graph.edges.filter((e) => e.kind === 'call' && (e.from.startsWith('domain:') || e.to.startsWith('domain:'))).map((e) => `${e.from} ${e.to}`);
    for (const edge of graph.edges) {
      if (edge.from.startsWith('domain:')) assert.match(edge.from, /:in$/, 'other domains send from the left');
      if (edge.to.startsWith('domain:')) assert.match(edge.to, /:out$/, 'and receive on the right');
    }
    assert.equal(new Set(keys).size, keys.length, `${domain.name}: one edge per service, other domain and kind`);
    for (const edge of graph.edges.filter((e) => e.kind === 'call')) assert.ok(edge.lines.length > 0, 'every call edge names its contracts');
  }
});

test('domain diagrams together grow linearly with the system: no outside service is drawn', () => {
  const count = (services: number) => {
    const model = generatedModel(services, 20);
    const graphs = model.domains.map((d) => domainGraph(model, d.name));
    for (const [i, graph] of graphs.entries()) {
      const own = model.services.filter((s) => s.domain === model.domains[i]).length;
      assert.equal(graph.nodes.filter((n) => n.kind === 'service').length, own, `${graph.name} draws only its own services`);
      assert.ok(graph.nodes.filter((n) => n.kind === 'neighbour').length <= 2 * (model.domains.length - 1), 'each other domain at most twice: calling in, called');
    }
    // Each event is drawn once in each domain that publishes or subscribes to it.
    const eventDrawings = model.eventContracts.reduce((sum, e) => sum + new Set([...model.publishersOf(e).map((p) => p.domain), ...model.subscribersOf(e).map((s) => s.subscriber.domain)]).size, 0);
    const nodes = graphs.reduce((sum, g) => sum + g.nodes.length, 0);
    const d = model.domains.length;
    assert.ok(nodes <= model.services.length + eventDrawings + 2 * d * (d - 1), `${nodes} nodes: services, events per domain and neighbours only`);
    return { nodes, edges: graphs.reduce((sum, g) => sum + g.edges.length, 0) };
  };
  const small = count(300);
  const large = count(900);
  // Three times the services: at most about three times the drawing (domains and neighbours are
  // fixed at twenty), where drawing every outside service made it grow with the square.
  assert.ok(large.nodes <= 3.3 * small.nodes, `nodes ${small.nodes} → ${large.nodes}`);
  assert.ok(large.edges <= 3.3 * small.edges, `edges ${small.edges} → ${large.edges}`);
});

/** A small system built with $POLYGLOT_DRAW_DIAGRAMS=1, as `polyglot synth --diagrams` runs main.ts. */
function drawnSmallSystem() {
  const before = process.env.POLYGLOT_DRAW_DIAGRAMS;
  process.env.POLYGLOT_DRAW_DIAGRAMS = '1';
  try {
    return smallSystem();
  } finally {
    if (before === undefined) delete process.env.POLYGLOT_DRAW_DIAGRAMS;
    else process.env.POLYGLOT_DRAW_DIAGRAMS = before;
  }
}

test('by default synth writes the diagrams as Mermaid only, and the catalog links those and says how to draw them', () => {
  const files = smallSystem().system.files();
  const diagrams = [...files.keys()].filter((f) => f.startsWith('diagrams/'));
  assert.deepEqual(diagrams, ['diagrams/edge.mmd', 'diagrams/live.mmd', 'diagrams/sales.mmd', 'diagrams/system.mmd']);
  assert.match(files.get('catalog.md')!, /Pictures, as Mermaid: \[the system\]\(diagrams\/system\.mmd\) and one per domain \(\[edge\]\(diagrams\/edge\.mmd\), .*`polyglot diagram` draws them as SVG/);
  // The same Mermaid as when drawn: drawing adds the SVGs and changes nothing else of the diagrams.
  const drawn = drawnSmallSystem().system.files();
  for (const path of diagrams) assert.equal(files.get(path), drawn.get(path));
});

test('drawn diagrams are SVG with Mermaid beside them, one per domain plus the system, byte-identical across runs', () => {
  const files = drawnSmallSystem().system.files();
  const diagrams = [...files.keys()].filter((f) => f.startsWith('diagrams/'));
  assert.deepEqual(diagrams, ['diagrams/edge.mmd', 'diagrams/edge.svg', 'diagrams/live.mmd', 'diagrams/live.svg', 'diagrams/sales.mmd', 'diagrams/sales.svg', 'diagrams/system.mmd', 'diagrams/system.svg']);
  for (const path of diagrams.filter((p) => p.endsWith('.svg'))) {
    assert.match(files.get(path)!, /^<\?xml[^>]*>\s*<!DOCTYPE svg[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
  }
  assert.match(files.get('diagrams/sales.svg')!, />pricer</);
  assert.match(files.get('catalog.md')!, /Pictures: \[the system\]\(diagrams\/system\.svg\)/);
  const again = drawnSmallSystem().system.files();
  for (const path of diagrams) assert.equal(files.get(path), again.get(path));
});

test('the catalog lists every contract with its server and callers', () => {
  const catalog = smallSystem().system.files().get('catalog.md')!;
  assert.match(catalog, /\| pricing \| `shop\.pricing\.v1\.Pricing` \| contracts\/shop\/pricing\/v1\/pricing\.proto \| sales\/pricer \| sales\/orders \(20ms, 2 retries\) \|/);
  assert.match(catalog, /\| order-placed \| `shop\.orders\.placed\.\{region\}` \| ORDERS \(file, 24h, ×3\) \| sales\/orders \| live\/feed \|/);
});
