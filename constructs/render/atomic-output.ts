import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Replaces `outdir` with exactly `files`, or leaves it untouched when anything fails.
 *
 * Everything is written to a sibling temporary directory first; only when every file is on disk
 * is the old outdir moved aside and the new one renamed into place. A crash mid-write leaves the
 * previous output intact (and a `.polyglot-tmp-*` directory to delete).
 */
export function writeTreeAtomically(outdir: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(outdir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.polyglot-tmp-${process.pid}-${Date.now()}`);
  const retired = `${staging}-old`;
  try {
    mkdirSync(staging);
    for (const [relativePath, content] of files) {
      const file = resolve(staging, relativePath);
      if (!file.startsWith(staging + '/')) throw new Error(`refusing to write outside the output directory: ${relativePath}`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    let hadPrevious = true;
    try {
      renameSync(target, retired);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      hadPrevious = false;
    }
    try {
      renameSync(staging, target);
    } catch (error) {
      if (hadPrevious) renameSync(retired, target);
      throw error;
    }
    if (hadPrevious) rmSync(retired, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
