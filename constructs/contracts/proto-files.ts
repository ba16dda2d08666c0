import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** True when `dir` or a folder below it holds a .proto file (stops at the first one). */
export function holdsProto(dir: string): boolean {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((entry) => (entry.isFile() && entry.name.endsWith('.proto')) || (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.') && holdsProto(join(dir, entry.name))));
}
