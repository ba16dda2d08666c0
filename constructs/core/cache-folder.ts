import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * `node_modules/.cache/polyglot` of the nearest folder at or above `dir` holding a package.json,
 * where Node tools keep their caches (find-cache-dir's rule), or `undefined` when that package has
 * no node_modules folder: polyglot never creates one in a folder that has none. buf's findings and
 * the compiled main.ts of `polyglot synth` live there.
 */
export function polyglotCacheFolder(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return isDirectory(join(at, 'node_modules')) ? join(at, 'node_modules', '.cache', 'polyglot') : undefined;
    if (dirname(at) === at) return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
