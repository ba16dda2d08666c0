/**
 * Generates examples/jvn/README.md from the model: `npm run jvn:readme` writes it,
 * `npm run jvn:readme -- --check` exits 1 when the committed file differs (the test does the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jvn } from '../system.js';
import { renderReadme } from './render.js';
import type { Walk } from './walk.js';

export const README = join(import.meta.dirname, '..', 'README.md');

const INTRO =
  'jvn is the reference system of polyglot: a real-time backbone where viewers hold websockets to live rooms. ' +
  'Go owns the service plane, Rust the hot path, Elixir the fan-out and TypeScript the edge; every boundary is a contract and every hop is bounded. ' +
  'Everything below is generated from `system.ts` and the checks that ran on it.';

/** The request this README walks through: the one every viewer makes, at the system's scale. */
export const JOIN_A_ROOM: Walk = {
  title: 'a viewer joins a live room',
  story: 'A signed-in viewer, already connected, sends `join` for a room over the websocket and waits for the answer that lets the room\'s messages in.',
  entry: 'broadcast',
  calls: [
    { contract: 'token-signer', why: 'the token the socket presented is verified on every join, so a revoked session cannot enter a new room.' },
    { contract: 'entitlements', why: 'paid rooms need a ticket or a season plan; billing answers from its own tables.' },
  ],
  events: [
    { event: 'session-changed', publisher: 'broadcast', why: 'the join is recorded once it is allowed; broadcast answers the viewer without waiting for what follows.' },
    { event: 'presence-changed', publisher: 'presence', why: 'presence counts the room and announces who came in.' },
  ],
};

/** The README as the model stands now. */
export function jvnReadme(): string {
  const inspection = jvn().inspect();
  // The committed copy is synthesized with the diagrams drawn (test/examples/jvn.test.ts): an SVG
  // beside each Mermaid source synth writes.
  const diagrams = [...(inspection.files?.keys() ?? [])].filter((path) => path.startsWith('diagrams/') && path.endsWith('.mmd')).map((path) => path.replace(/\.mmd$/, '.svg'));
  return renderReadme(inspection, JOIN_A_ROOM, { outdir: 'dist', committedCopy: '../../test/__snapshots__/jvn', diagrams }, INTRO);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const readme = jvnReadme();
  if (process.argv.includes('--check')) {
    const current = readFileSync(README, 'utf8');
    if (current !== readme) {
      console.error('examples/jvn/README.md differs from the model: run `npm run jvn:readme` and commit it');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(README, readme);
    console.log('wrote examples/jvn/README.md');
  }
}
