/**
 * Every colour the diagrams use, as text-on-background pairs, so contrast can be checked where
 * the colours are chosen (WCAG 2.x AA asks 4.5:1 for text; test/render/palette.test.ts holds
 * every pair here to it).
 */

/** A filled shape and the colour of the text on it. */
export interface Swatch {
  readonly fill: string;
  readonly text: string;
}

const INK = '#1A1A1A';

/**
 * Runtime colours, from each language's own mark, so the cut each runtime makes is visible at a
 * glance. Dark text on all of them: white on Go's cyan and Rust's tan is 2.6:1 and 2.1:1.
 * TypeScript's blue is darkened from #3178C6 so dark text on it still reads.
 */
export const RUNTIME_SWATCHES: Readonly<Record<string, Swatch>> = {
  go: { fill: '#00ADD8', text: INK },
  rust: { fill: '#DEA584', text: INK },
  elixir: { fill: '#B594C9', text: INK },
  typescript: { fill: '#6FA3DE', text: INK },
};

/** A runtime the palette does not know (one registered from outside). */
export const OTHER_RUNTIME_SWATCH: Swatch = { fill: '#D0D0D0', text: INK };
/** A NATS event (its name and subject). */
export const EVENT_SWATCH: Swatch = { fill: '#FFF4CC', text: INK };
/** Another domain, drawn as one node in a domain's diagram. */
export const NEIGHBOUR_SWATCH: Swatch = { fill: '#F2F2F2', text: INK };
/** A domain in the system diagram. */
export const DOMAIN_SWATCH: Swatch = { fill: '#F5F5F5', text: INK };
/** The page: cluster titles, edge labels and the legend's words sit on it. */
export const PAGE_SWATCH: Swatch = { fill: '#FFFFFF', text: INK };
/** Edge labels: a softer ink on the page, still well above AA. */
export const EDGE_LABEL_SWATCH: Swatch = { fill: '#FFFFFF', text: '#404040' };
/** Lines and borders. */
export const LINE_COLOUR = '#333333';

/** The swatch of a runtime. */
export function runtimeSwatch(runtime: string): Swatch {
  return RUNTIME_SWATCHES[runtime] ?? OTHER_RUNTIME_SWATCH;
}

/** Every text/background pair the diagrams draw. */
export function allSwatches(): Record<string, Swatch> {
  return {
    ...Object.fromEntries(Object.entries(RUNTIME_SWATCHES).map(([runtime, swatch]) => [`runtime ${runtime}`, swatch])),
    'other runtime': OTHER_RUNTIME_SWATCH,
    event: EVENT_SWATCH,
    'neighbour domain': NEIGHBOUR_SWATCH,
    domain: DOMAIN_SWATCH,
    page: PAGE_SWATCH,
    'edge label': EDGE_LABEL_SWATCH,
  };
}

/** WCAG 2.x contrast ratio of two `#RRGGBB` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** WCAG 2.x relative luminance of a `#RRGGBB` colour. */
export function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`expected a colour such as #1A2B3C, got ${hex}`);
  const [r, g, b] = match.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
