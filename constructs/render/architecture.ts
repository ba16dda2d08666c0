import type { SynthContext, Synthesizer } from '../extension.js';
import { renderCatalog } from './catalog.js';
import { renderDiagrams, renderDiagramSources } from './diagram.js';

/** What the architecture documents include. */
export interface ArchitectureDocsOptions {
  /** Draw the diagrams as SVG besides writing their Mermaid sources. */
  readonly drawDiagrams: boolean;
}

/**
 * Writes the architecture diagrams (`diagrams/*.mmd`, and `diagrams/*.svg` when they are drawn)
 * and the contract catalog (`catalog.md`).
 */
export function architectureDocs({ drawDiagrams }: ArchitectureDocsOptions): Synthesizer {
  return {
    synthesize(context: SynthContext): void {
      if (drawDiagrams) context.addFilesLater(renderDiagrams(context.model));
      else for (const [path, content] of renderDiagramSources(context.model)) context.addFile(path, content);
      context.addFile('catalog.md', renderCatalog(context.model, { drawn: drawDiagrams }));
    },
  };
}
