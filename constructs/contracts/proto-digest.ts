import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { protoFiles } from './proto-files.js';

/** The files of buf's configuration, at the root and in the module's directory. */
const CONFIG_FILES = ['buf.yaml', 'buf.lock', 'buf.work.yaml'];

/**
 * A SHA-256 of the proto sources of a buf module as buf reads them: its configuration files and
 * every .proto file under the module's directory, each by path and bytes (node_modules and
 * dot-folders skipped, as buf skips them). Equal digests mean buf would see the same input.
 */
export function protoSourcesDigest(root: string, moduleDir: string): string {
  const hash = createHash('sha256');
  const field = (value: string | Buffer) => hash.update(`${value.length}:`).update(value);
  for (const dir of [...new Set(['.', moduleDir])]) {
    for (const name of CONFIG_FILES) addFile(field, resolve(root, dir, name), `${dir}/${name}`);
  }
  const base = resolve(root, moduleDir);
  for (const path of protoFiles(base)) addFile(field, join(base, path), `${moduleDir}/${path}`);
  return hash.digest('hex');
}

/** A file's name and bytes; a missing file (no buf.lock, say) adds nothing. */
function addFile(field: (value: string | Buffer) => void, path: string, name: string): void {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return;
  }
  field(name);
  field(bytes);
}
