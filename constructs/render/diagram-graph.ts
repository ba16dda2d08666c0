import type { Swatch } from './palette.js';

/**
 * A diagram before layout: what is drawn and what it says, independent of the drawing tool.
 * Graphviz (dot.ts) and Mermaid (mermaid.ts) both draw from this, so the two never disagree.
 */
export interface DiagramGraph {
  /** The diagram's name: the system's or the domain's. */
  readonly name: string;
  /** The box around a domain's own services, in a domain diagram. */
  readonly cluster?: { readonly title: string; readonly nodeIds: readonly string[] };
  /** Sorted by id. */
  readonly nodes: readonly DiagramNode[];
  /** Sorted by from, to, kind. */
  readonly edges: readonly DiagramEdge[];
  /** What the legend explains, in the order it lists it. */
  readonly legend: readonly LegendEntry[];
}

/**
 * `service`: a service of this domain, filled with its runtime's colour. `domain`: a domain in
 * the system view. `neighbour`: another domain, standing for all of its services a domain
 * diagram would otherwise draw one by one. `event`: a NATS event, named, with its subject.
 */
export type NodeKind = 'service' | 'domain' | 'neighbour' | 'event';

export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** Text lines, the first one the name. */
  readonly lines: readonly string[];
  readonly swatch: Swatch;
}

/** `call`: gRPC, drawn solid. `event`: NATS, drawn dashed. */
export type EdgeKind = 'call' | 'event';

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** Label lines; empty for an unlabelled edge. */
  readonly lines: readonly string[];
}

/** One legend item: a sample of a node or a line, and what it means. */
export type LegendEntry =
  | { readonly sample: 'node'; readonly kind: NodeKind; readonly swatch: Swatch; readonly text: string }
  | { readonly sample: 'line'; readonly kind: EdgeKind; readonly text: string };

/** At most this many lines in an edge label; the rest is counted ("+3 more"). */
export const MAX_LABEL_LINES = 4;

/** `lines`, cut to {@link MAX_LABEL_LINES} with a count of what was left out. */
export function capLines(lines: readonly string[]): string[] {
  if (lines.length <= MAX_LABEL_LINES) return [...lines];
  return [...lines.slice(0, MAX_LABEL_LINES - 1), `+${lines.length - MAX_LABEL_LINES + 1} more`];
}
