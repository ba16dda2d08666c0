import type { DiagramGraph, LegendEntry } from './diagram-graph.js';
import { DIAGRAM_FONT_FAMILY, diagramFontDataUrl, fontExtent, textWidth } from './font.js';
import { LINE_COLOUR, PAGE_SWATCH } from './palette.js';

const LEGEND_FONT_SIZE = 11;
const LEGEND_TITLE_SIZE = 12;
const SAMPLE_WIDTH = 40;
const ROW_HEIGHT = 22;
const MARGIN = 10;

/**
 * Turns Graphviz's SVG into the published one: the diagram font embedded (so the boxes sized
 * from its metrics hold their text in every browser, whatever fonts the machine has), a white
 * page under everything, and the legend drawn below the graph.
 */
export function finishSvg(svg: string, graph: DiagramGraph): string {
  const header = /<svg width="([\d.]+)pt" height="([\d.]+)pt"\s+viewBox="[^"]*"/.exec(svg);
  if (!header) throw new Error('Graphviz wrote an SVG without the size header polyglot expects');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const legend = legendSvg(graph.legend, height);
  const totalWidth = Math.max(width, legend.width + 2 * MARGIN);
  const totalHeight = height + legend.height + MARGIN;
  const family = `${DIAGRAM_FONT_FAMILY},sans-serif`;
  const style = [
    '<defs><style>',
    `@font-face{font-family:"${DIAGRAM_FONT_FAMILY}";font-style:normal;font-weight:400;src:url(${diagramFontDataUrl()}) format("woff2");}`,
    '</style></defs>',
    `<rect id="page" x="0" y="0" width="${totalWidth}" height="${totalHeight}" fill="${PAGE_SWATCH.fill}"/>`,
  ].join('\n');
  return svg
    .replace(header[0], `<svg width="${totalWidth}pt" height="${totalHeight}pt"\n viewBox="0.00 0.00 ${totalWidth.toFixed(2)} ${totalHeight.toFixed(2)}"`)
    .replace(/(<svg[^>]*>)/, `$1\n${style}`)
    .replaceAll(`font-family="${DIAGRAM_FONT_FAMILY}"`, `font-family="${family}"`)
    .replace(/<\/svg>\s*$/, `${legend.svg}\n</svg>\n`);
}

/**
 * The legend: one row per entry, a sample of the node or line, then what it means. Sized from
 * the font's metrics like every other box.
 */
function legendSvg(entries: readonly LegendEntry[], top: number): { svg: string; width: number; height: number } {
  const family = `${DIAGRAM_FONT_FAMILY},sans-serif`;
  const { ascent, descent } = fontExtent(LEGEND_FONT_SIZE);
  const textLeft = MARGIN + SAMPLE_WIDTH + 10;
  const titleWidth = textWidth('Legend', LEGEND_TITLE_SIZE);
  const width = Math.ceil(Math.max(titleWidth + 2 * MARGIN, textLeft + Math.max(0, ...entries.map((e) => textWidth(e.text, LEGEND_FONT_SIZE))) + MARGIN));
  const height = Math.ceil(MARGIN + LEGEND_TITLE_SIZE * 1.4 + entries.length * ROW_HEIGHT + MARGIN / 2);
  const parts = [
    `<g id="legend" class="legend" transform="translate(${MARGIN} ${top})">`,
    `<rect x="0" y="0" width="${width}" height="${height}" rx="4" fill="${PAGE_SWATCH.fill}" stroke="#BBBBBB"/>`,
    `<text x="${MARGIN}" y="${MARGIN + fontExtent(LEGEND_TITLE_SIZE).ascent}" font-family="${family}" font-size="${LEGEND_TITLE_SIZE}" fill="${PAGE_SWATCH.text}">Legend</text>`,
  ];
  entries.forEach((entry, i) => {
    const rowTop = MARGIN + LEGEND_TITLE_SIZE * 1.4 + i * ROW_HEIGHT;
    const middle = rowTop + ROW_HEIGHT / 2;
    parts.push(`<g class="legend-entry">`, sample(entry, MARGIN, middle));
    const baseline = middle + (ascent - descent) / 2;
    parts.push(`<text x="${textLeft}" y="${baseline.toFixed(2)}" font-family="${family}" font-size="${LEGEND_FONT_SIZE}" fill="${PAGE_SWATCH.text}">${xmlText(entry.text)}</text>`, '</g>');
  });
  parts.push('</g>');
  return { svg: parts.join('\n'), width, height };
}

/** A small picture of what a legend entry explains, centred on `middle`. */
function sample(entry: LegendEntry, left: number, middle: number): string {
  const top = middle - 8;
  if (entry.sample === 'line') {
    const dash = entry.kind === 'event' ? ' stroke-dasharray="5,2"' : '';
    const end = left + SAMPLE_WIDTH;
    return [
      `<path fill="none" stroke="${LINE_COLOUR}"${dash} d="M${left},${middle}L${end - 7},${middle}"/>`,
      `<polygon fill="${LINE_COLOUR}" stroke="${LINE_COLOUR}" points="${end - 7},${middle - 3} ${end},${middle} ${end - 7},${middle + 3}"/>`,
    ].join('\n');
  }
  const { fill } = entry.swatch;
  const stroke = `stroke="${LINE_COLOUR}"`;
  switch (entry.kind) {
    case 'service':
      return `<rect x="${left}" y="${top}" width="${SAMPLE_WIDTH}" height="16" rx="4" fill="${fill}" ${stroke}/>`;
    case 'event':
      return `<polygon fill="${fill}" ${stroke} points="${left},${top} ${left + SAMPLE_WIDTH - 8},${top} ${left + SAMPLE_WIDTH},${middle} ${left + SAMPLE_WIDTH - 8},${top + 16} ${left},${top + 16}"/>`;
    default:
      // A stack, as Graphviz draws box3d: a box with a raised back edge.
      return [
        `<polygon fill="${fill}" ${stroke} points="${left + 4},${top} ${left + SAMPLE_WIDTH},${top} ${left + SAMPLE_WIDTH},${top + 12} ${left + SAMPLE_WIDTH - 4},${top + 16} ${left},${top + 16} ${left},${top + 4}"/>`,
        `<polyline fill="none" ${stroke} points="${left},${top + 4} ${left + SAMPLE_WIDTH - 4},${top + 4} ${left + SAMPLE_WIDTH - 4},${top + 16}"/>`,
        `<polyline fill="none" ${stroke} points="${left + SAMPLE_WIDTH - 4},${top + 4} ${left + SAMPLE_WIDTH},${top}"/>`,
      ].join('\n');
  }
}

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
