/**
 * How big the diagrams of a generated system are and what drawing them costs: nodes and edges
 * over all DOT sources, and the CPU time (user + sys, all threads: the Graphviz workers
 * included) and wall time of `renderDiagrams` from start to the last SVG.
 *
 *     node --import tsx bench/diagrams.ts --services 1000,3000 [--module <diagram.ts>]
 *
 * `--module` measures another copy of constructs/render/diagram.ts (an older checkout) on the
 * same systems, so before and after come from one machine in one sitting. Prints one JSON line
 * per size. Not part of `npm test`: it has timings.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { generateSystem } from './generate.js';

interface DiagramModule {
  renderDiagrams(model: unknown): () => Map<string, string>;
  systemDot(model: unknown): string;
  domainDot(model: unknown, domain: string): string;
}

const { values } = parseArgs({ options: { services: { type: 'string', default: '1000' }, module: { type: 'string' } } });
const modulePath = resolve(values.module ?? new URL('../constructs/render/diagram.ts', import.meta.url).pathname);
const diagrams = (await import(pathToFileURL(modulePath).href)) as DiagramModule;

/** Nodes and edges of a DOT source, counted from its statements (one per line in both writers). */
function countDot(dot: string): { nodes: number; edges: number } {
  let nodes = 0;
  let edges = 0;
  for (const line of dot.split('\n')) {
    if (/^\s*"[^"]*" -> "/.test(line)) edges++;
    else if (/^\s*"[^"]*"( \[|;)/.test(line)) nodes++;
  }
  return { nodes, edges };
}

for (const services of values.services.split(',').map(Number)) {
  const model = generateSystem({ services }).system.model() as unknown as { domains: { name: string }[] };
  const domainDots = model.domains.map((d) => diagrams.domainDot(model, d.name));
  const perDomain = domainDots.map(countDot);
  const system = countDot(diagrams.systemDot(model));
  const cpu = process.cpuUsage();
  const start = performance.now();
  const files = diagrams.renderDiagrams(model)();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const svgBytes = [...files].filter(([p]) => p.endsWith('.svg')).reduce((sum, [, svg]) => sum + svg.length, 0);
  console.log(
    JSON.stringify({
      module: values.module ?? 'this checkout',
      services,
      domains: model.domains.length,
      domainDiagramNodes: perDomain.reduce((s, c) => s + c.nodes, 0),
      domainDiagramEdges: perDomain.reduce((s, c) => s + c.edges, 0),
      largestDomainDiagramNodes: Math.max(...perDomain.map((c) => c.nodes)),
      systemDiagram: system,
      renderCpuMs: Math.round((used.user + used.system) / 1000),
      renderWallMs: Math.round(wallMs),
      svgBytes,
      loadavg: loadavg().map((l) => Number(l.toFixed(2))),
    }),
  );
}
