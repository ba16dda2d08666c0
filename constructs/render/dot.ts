import type { DiagramGraph, DiagramNode, EdgeKind, NodeKind } from './diagram-graph.js';
import { DIAGRAM_FONT_FAMILY, textWidth } from './font.js';
import { EDGE_LABEL_SWATCH, LINE_COLOUR, PAGE_SWATCH } from './palette.js';

/** Quotes a string for Graphviz DOT. */
export function dotString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Renders `key=value` attribute lists, keys in the given order. */
export function dotAttributes(attributes: Record<string, string | number | undefined>): string {
  const parts = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v : (k === 'label' || k === 'xlabel') && v!.startsWith('<') ? v : dotString(v!)}`);
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}

/** Font sizes, in points (SVG user units). */
export const NODE_FONT_SIZE = 14;
export const EDGE_FONT_SIZE = 11;
export const TITLE_FONT_SIZE = 16;
/** Graphviz sets lines of a label this far apart, as a multiple of the font size. */
export const LINE_SPACING = 1.2;

/**
 * Room around a node's text, per shape, in points: the text of a tag (`cds`) must clear its
 * pointed end, and a stack (`box3d`) its raised edge, on both sides since Graphviz centres text.
 */
const NODE_PADDING: Record<NodeKind, { x: number; y: number; shape: string; style: string }> = {
  service: { x: 12, y: 8, shape: 'box', style: 'rounded,filled' },
  domain: { x: 14, y: 10, shape: 'box3d', style: 'filled' },
  neighbour: { x: 14, y: 9, shape: 'box3d', style: 'filled' },
  event: { x: 24, y: 7, shape: 'cds', style: 'filled' },
};

const EDGE_STYLE: Record<EdgeKind, string> = { call: 'solid', event: 'dashed' };

/**
 * The DOT source of a diagram. Graphviz cannot read our font (it runs as WebAssembly, without
 * fonts, and estimates widths from tables of a few standard faces), so every box gets its size
 * from the font's own metrics here: nodes are `fixedsize`, and edge labels and the cluster title
 * are HTML-like tables of fixed size whose text starts at the cell's left edge (Graphviz would
 * centre it with its own, wrong, width estimate).
 */
export function graphDot(graph: DiagramGraph): string {
  const font = dotString(DIAGRAM_FONT_FAMILY);
  const lines = [
    `digraph ${dotString(graph.name)} {`,
    `  graph [rankdir=LR, fontname=${font}, fontsize=${TITLE_FONT_SIZE}, fontcolor=${dotString(PAGE_SWATCH.text)}, bgcolor=${dotString(PAGE_SWATCH.fill)}, nodesep=0.3, ranksep=0.6];`,
    `  node [fontname=${font}, fontsize=${NODE_FONT_SIZE}, fixedsize=true, color=${dotString(LINE_COLOUR)}];`,
    `  edge [fontname=${font}, fontsize=${EDGE_FONT_SIZE}, fontcolor=${dotString(EDGE_LABEL_SWATCH.text)}, color=${dotString(LINE_COLOUR)}, arrowsize=0.7];`,
  ];
  // dot's layered layout takes minutes on a dense graph of domains (754 labelled edges between
  // twenty domains at 1000 services: 173 s); a spring layout draws it in about a second. Overlaps
  // are removed by scaling: this Graphviz has no GTS, so `overlap=false` (prism) is ignored and
  // `voronoi` leaves boxes on top of each other.
  const domains = graph.nodes.filter((n) => n.kind === 'domain').length;
  if (domains > 0 && graph.edges.length > 2 * domains) lines.push('  layout=neato;', '  overlap=scale;', '  sep="+24";', '  edge [len=3];');
  // On a large domain (a fiftieth of a thousand-service system: 176 nodes, 467 edges) dot spends
  // its time ranking label nodes, minimising crossings and placing nodes by network simplex.
  // There, labels are placed after layout (xlabel) and the three searches are cut short: 0.23 s
  // of CPU instead of 0.55-0.9 s measured on the same graph, for a picture no one reads whole.
  const large = graph.nodes.length > 100;
  if (large) lines.push('  mclimit=0.01;', '  nslimit=2;', '  nslimit1=2;', '  searchsize=10;', '  forcelabels=true;');
  const inCluster = new Set(graph.cluster?.nodeIds ?? []);
  if (graph.cluster) {
    lines.push(`  subgraph ${dotString(`cluster_${graph.name}`)} {`);
    lines.push(`    label=${fixedLabel([graph.cluster.title], TITLE_FONT_SIZE)};`, '    labeljust=l;', `    style="rounded";`, `    color=${dotString(LINE_COLOUR)};`);
    for (const node of graph.nodes) if (inCluster.has(node.id)) lines.push(`    ${nodeDot(node)}`);
    lines.push('  }');
  }
  for (const node of graph.nodes) if (!inCluster.has(node.id)) lines.push(`  ${nodeDot(node)}`);
  for (const edge of graph.edges) {
    const label = edge.lines.length > 0 ? fixedLabel(edge.lines, EDGE_FONT_SIZE) : undefined;
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)}${dotAttributes({ [large ? 'xlabel' : 'label']: label, style: EDGE_STYLE[edge.kind] })};`);
  }
  lines.push('}');
  return lines.join('\n');
}

function nodeDot(node: DiagramNode): string {
  const { x, y, shape, style } = NODE_PADDING[node.kind];
  const { width, height } = textBlock(node.lines, NODE_FONT_SIZE);
  return `${dotString(node.id)}${dotAttributes({
    label: node.lines.join('\n'),
    shape,
    style,
    width: inches(width + 2 * x),
    height: inches(height + 2 * y),
    fillcolor: node.swatch.fill,
    fontcolor: node.swatch.text,
  })};`;
}

/** The size of a block of lines set in the diagram font at `size`. */
export function textBlock(lines: readonly string[], size: number): { width: number; height: number } {
  return { width: Math.max(0, ...lines.map((line) => textWidth(line, size))), height: lines.length * size * LINE_SPACING };
}

/** An HTML-like label of fixed size, lines left-aligned, on the page colour so crossing lines do not run through its text. */
function fixedLabel(lines: readonly string[], size: number): string {
  const { width, height } = textBlock(lines, size);
  const cell = `<TD FIXEDSIZE="TRUE" WIDTH="${Math.ceil(width + 4)}" HEIGHT="${Math.ceil(height + 2)}" ALIGN="LEFT" BALIGN="LEFT">${lines.map(htmlText).join('<BR/>')}</TD>`;
  return `<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" BGCOLOR="${PAGE_SWATCH.fill}"><TR>${cell}</TR></TABLE>>`;
}

const htmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const inches = (points: number) => Math.ceil((points / 72) * 1000) / 1000;
