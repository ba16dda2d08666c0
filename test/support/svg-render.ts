import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { decompress } from 'wawoff2';
import { DIAGRAM_FONT_FAMILY, diagramFontFile } from '../../constructs/render/font.js';
import { tempDir } from './cli.js';

/**
 * A real SVG renderer (resvg, the Rust renderer behind many static-site and CI image tools) with
 * exactly one font: the one the diagrams embed. resvg reads TrueType, not WOFF2, and ignores
 * `@font-face`, so the embedded file is unpacked to TrueType once (wawoff2, Google's own
 * decoder) and handed to it; no system font is loaded, so nothing else can stand in.
 */
let fontFile: string | undefined;
async function trueTypeFont(): Promise<string> {
  if (!fontFile) {
    fontFile = join(tempDir('polyglot-font-'), 'inter.ttf');
    writeFileSync(fontFile, await decompress(readFileSync(diagramFontFile())));
  }
  return fontFile;
}

async function options(extra: ResvgRenderOptions = {}): Promise<ResvgRenderOptions> {
  return { font: { loadSystemFonts: false, fontFiles: [await trueTypeFont()], defaultFontFamily: DIAGRAM_FONT_FAMILY }, ...extra };
}

/** The SVG as a PNG, drawn by resvg with the diagram font, at `zoom`. */
export async function renderPng(svg: string, zoom = 1.5): Promise<Buffer> {
  return new Resvg(svg, await options({ fitTo: { mode: 'zoom', value: zoom } })).render().asPng();
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A text that does not fit the shape it belongs to. */
export interface Overflow {
  readonly group: string;
  readonly text: string;
  readonly textBox: Box;
  readonly shapeBox: Box;
}

/**
 * Every text of the SVG that reaches outside its shape, and every node that lies on another, as resvg lays it out: for each node,
 * cluster and labelled edge Graphviz drew (and each legend entry), the ink box of its text
 * (resvg turns glyphs into outlines, so this is where pixels land) is compared with the box of its
 * shape: the node's outline, the cluster's frame, the edge label's background, the legend frame.
 * Both boxes come from resvg on the same page, so they share one coordinate system.
 */
export async function textOverflows(svg: string): Promise<Overflow[]> {
  const opts = await options();
  const open = /<svg[^>]*>/.exec(svg)![0];
  const graphOpen = /<g id="graph0"[^>]*>/.exec(svg)![0];
  const bbox = (body: string): Box | undefined => {
    const box = new Resvg(`${open}${body}</svg>`, opts).getBBox();
    return box ? { x: box.x, y: box.y, width: box.width, height: box.height } : undefined;
  };
  const overflows: Overflow[] = [];
  const nodes: { title: string; box: Box }[] = [];
  const check = (group: string, texts: string[], shape: string, wrap: (body: string) => string, inset: number) => {
    if (texts.length === 0) return;
    const textBox = bbox(wrap(texts.join('')));
    const shapeBox = bbox(wrap(shape));
    if (!textBox || !shapeBox) throw new Error(`resvg drew nothing for ${group}`);
    const fits =
      textBox.x >= shapeBox.x + inset &&
      textBox.y >= shapeBox.y + inset &&
      textBox.x + textBox.width <= shapeBox.x + shapeBox.width - inset &&
      textBox.y + textBox.height <= shapeBox.y + shapeBox.height - inset;
    if (!fits) overflows.push({ group, text: texts.map((t) => t.replace(/<[^>]*>/g, '')).join(' / '), textBox, shapeBox });
  };
  const inGraph = (body: string) => `${graphOpen}${body}</g>`;
  for (const match of svg.matchAll(/<g id="[^"]*" class="(node|cluster|edge)">([\s\S]*?)<\/g>/g)) {
    const [, kind, body] = match as unknown as [string, string, string];
    const title = /<title>([\s\S]*?)<\/title>/.exec(body)?.[1] ?? kind;
    const texts = body.match(/<text[\s\S]*?<\/text>/g) ?? [];
    // The shape a text must stay inside: a node's outline (its first shape), a cluster's frame,
    // an edge label's background (a white polygon; the edge's own path and arrowhead are not it).
    const shape = kind === 'edge' ? /<polygon fill="#ffffff"[^>]*\/>/.exec(body)?.[0] : /<(path|polygon|ellipse)[^>]*\/>/.exec(body)?.[0];
    if (!shape) {
      if (texts.length > 0) throw new Error(`${kind} ${title} has text but no shape to hold it`);
      continue;
    }
    // The outline's stroke and a rounded corner's curve both sit at the edge: keep 1pt clear.
    const solid = shape.replace(/fill="[^"]*"/, 'fill="#000000"');
    check(`${kind} ${title}`, texts, solid, inGraph, 1);
    if (kind === 'node') nodes.push({ title, box: bbox(inGraph(solid))! });
  }
  // No node may lie on another: its text would be hidden even though it fits its own box.
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const [a, b] = [nodes[i]!, nodes[j]!];
      const apart = a.box.x + a.box.width <= b.box.x || b.box.x + b.box.width <= a.box.x || a.box.y + a.box.height <= b.box.y || b.box.y + b.box.height <= a.box.y;
      if (!apart) overflows.push({ group: `node ${a.title} overlaps node ${b.title}`, text: '', textBox: a.box, shapeBox: b.box });
    }
  }
  const legend = /<g id="legend"[^>]*>([\s\S]*)<\/g>\s*<\/svg>/.exec(svg);
  if (legend) {
    const legendOpen = /<g id="legend"[^>]*>/.exec(svg)![0];
    const frame = /<rect[^>]*\/>/.exec(legend[1]!)![0];
    check('legend', legend[1]!.match(/<text[\s\S]*?<\/text>/g) ?? [], frame, (body) => `${legendOpen}${body}</g>`, 1);
  }
  return overflows;
}
