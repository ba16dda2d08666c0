import type { SynthContext, Synthesizer } from '../extension.js';
import { renderCatalog } from './catalog.js';
import { renderDiagrams } from './diagram.js';

/** Writes the architecture diagrams (`diagrams/*.svg`) and the contract catalog (`catalog.md`). */
export const architectureDocs: Synthesizer = {
  synthesize(context: SynthContext): void {
    context.addFilesLater(renderDiagrams(context.model));
    context.addFile('catalog.md', renderCatalog(context.model));
  },
};
