import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** True when `dir` or a folder below it holds a .proto file (stops at the first one). */
export function holdsProto(dir: string): boolean {
  return entriesOf(dir).some((entry) => isProtoFile(entry) || (isSearched(entry) && holdsProto(join(dir, entry.name))));
}

/** Every .proto file below `dir`, relative to it with `/`, sorted by name at every level. */
export function protoFiles(dir: string, prefix = ''): string[] {
  return entriesOf(join(dir, prefix))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (isProtoFile(entry)) return [path];
      return isSearched(entry) ? protoFiles(dir, path) : [];
    });
}

const isProtoFile = (entry: Dirent) => entry.isFile() && entry.name.endsWith('.proto');
/** Folders looked into, as buf does: not node_modules, not dot-folders. */
const isSearched = (entry: Dirent) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.');

function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
