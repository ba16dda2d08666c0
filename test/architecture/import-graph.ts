// The import graph of the project's own TypeScript, type imports included (a type import is a
// dependency of the design even when it vanishes from the JavaScript), read with the TypeScript
// compiler's own pre-processor, and its strongly connected components (Tarjan).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportGraph {
  /** Files, relative to the root, with `/` separators. */
  readonly files: readonly string[];
  /** file → the project files it imports (relative specifiers only). */
  readonly imports: ReadonlyMap<string, readonly string[]>;
}

/** Every `.ts` file under `dirs` (tests excluded) and its relative imports. */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const files = dirs.flatMap((dir) => listTs(join(root, dir))).map((file) => relative(root, file).split('\\').join('/'));
  const imports = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => toTs(resolve(root, dirname(file), spec)))
      .filter((path): path is string => path !== undefined)
      .map((path) => relative(root, path).split('\\').join('/'));
    imports.set(file, [...new Set(targets)].sort());
  }
  return { files: files.sort(), imports };
}

function toTs(path: string): string | undefined {
  for (const candidate of [path.replace(/\.js$/, '.ts'), `${path}.ts`, join(path, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listTs(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Strongly connected components with more than one file (import cycles), each sorted. */
export function importCycles(graph: ImportGraph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    indices.set(file, index);
    lowlink.set(file, index);
    index++;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.imports.get(file) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlink.set(file, Math.min(lowlink.get(file)!, lowlink.get(next)!));
      } else if (onStack.has(next)) {
        lowlink.set(file, Math.min(lowlink.get(file)!, indices.get(next)!));
      }
    }
    if (lowlink.get(file) === indices.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (graph.imports.get(file) ?? []).includes(file)) cycles.push(component.sort());
    }
  };
  for (const file of graph.files) if (!indices.has(file)) visit(file);
  return cycles.sort((a, b) => b.length - a.length);
}
