import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Message, Plugin } from 'esbuild';
import { bundleRecord, keepRecord, recordHolds } from './app-bundle-cache.js';

/** What {@link bundleApp} gave: the module to import, the errors that stop the run, or no place to put it. */
export type AppBundle = { readonly module: string } | { readonly errors: string } | { readonly unplaced: true };

/**
 * Compiles a system's main.ts, with the TypeScript and JavaScript of its own that it imports, into
 * one ES module, and returns its file URL to `import()`. Packages stay imports that Node loads
 * ({@link packageImports}): the bundle sits in the `node_modules/.cache/polyglot/` of the system's
 * package, so it finds them where main.ts would (`generator-polyglot` and zod are then the very
 * modules the CLI loaded, and `instanceof` and the System's registries agree).
 *
 * Why not tsx's loader: on Node 20 module hooks run on a second thread, and every `import` of the
 * run, the library's own included, waits for an answer from it (about 0.15 s of wall and 0.15 s
 * of CPU of a 0.8 s synth of jvn). esbuild, the compiler tsx uses, compiles the system's files in
 * one call and Node then loads plain JavaScript on its own thread.
 *
 * What a file of the system sees is what it saw under tsx: its own `import.meta.url`,
 * `import.meta.dirname` and `import.meta.filename` (each file gets its own, not the bundle's),
 * the tsconfig.json beside it, and stack traces that point into its .ts source (an inline source
 * map; the caller turns source maps on). What a bundle cannot hold: an `import()` of the system's
 * own TypeScript by a path computed at run time (esbuild sees only literal paths and globs), which
 * Node cannot load. A bundle whose sources did not change since the last run
 * is used again without compiling (cli/app-bundle-cache.ts). Returns `unplaced` when the system's package has no
 * node_modules folder to hold the bundle: the caller then uses tsx.
 */
export async function bundleApp(entry: string): Promise<AppBundle> {
  // The library, loaded here and not at the CLI's start (main.ts loads it anyway).
  const { polyglotCacheFolder } = await import('../constructs/index.js');
  const cacheDir = polyglotCacheFolder(dirname(entry));
  if (!cacheDir) return { unplaced: true };
  // One bundle per system folder, replaced atomically: two runs of one system never read half a file.
  const name = `app-${createHash('sha256').update(entry).digest('hex').slice(0, 12)}`;
  const file = join(cacheDir, `${name}.mjs`);
  const recordFile = join(cacheDir, `${name}.json`);
  if (existsSync(file) && recordHolds(recordFile, entry)) return { module: pathToFileURL(file).href };

  // require, not import: esbuild is CommonJS, and import() would first scan its 2,500 lines for
  // named exports (cjs-module-lexer, ~20 ms of CPU).
  const { build, formatMessages } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const boundByPath = new Set<string>();
  let code: string;
  let compiled: string[];
  try {
    const result = await build({
      entryPoints: [entry],
      outfile: file, // the source map's paths are relative to it
      metafile: true,
      absWorkingDir: dirname(entry),
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      // Resolve as Node does: no `module` condition or main field, which esbuild adds for bundlers.
      conditions: [],
      mainFields: ['main'],
      plugins: [ownImportMeta, packageImports(file, boundByPath)],
    });
    code = result.outputFiles[0]?.text ?? '';
    compiled = Object.keys(result.metafile.inputs).map((input) => resolve(dirname(entry), input));
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(messages)) throw error;
    return { errors: (await formatMessages(messages, { kind: 'error', color: false })).join('').trimEnd() };
  }
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, file);
  keepRecord(recordFile, bundleRecord(entry, compiled, [...boundByPath]));
  return { module: pathToFileURL(file).href };
}

const META_URL = '__polyglotImportMetaUrl';
const META_DIRNAME = '__polyglotImportMetaDirname';
const META_FILENAME = '__polyglotImportMetaFilename';

/**
 * Every file keeps its own `import.meta`: `define` swaps the expressions for identifiers, and each
 * file declares them with its own values; esbuild renames the declarations of different files
 * apart when it joins them, each use keeping its file's binding. The declarations go on the
 * file's first line (after a `#!` line), so source-map lines stay put.
 */
const ownImportMeta: Plugin = {
  name: 'polyglot-own-import-meta',
  setup(build) {
    build.initialOptions.define = {
      ...build.initialOptions.define,
      'import.meta.url': META_URL,
      'import.meta.dirname': META_DIRNAME,
      'import.meta.filename': META_FILENAME,
    };
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const declarations =
        `const ${META_URL} = ${JSON.stringify(pathToFileURL(args.path).href)}, ` +
        `${META_DIRNAME} = ${JSON.stringify(dirname(args.path))}, ${META_FILENAME} = ${JSON.stringify(args.path)};`;
      const shebang = source.startsWith('#!') ? source.indexOf('\n') + 1 : 0;
      const contents = shebang > 0 ? `${source.slice(0, shebang)}${declarations}${source.slice(shebang)}` : `${declarations}${source}`;
      return { contents, loader: loaderOf(args.path) };
    });
  },
};

function loaderOf(path: string): 'ts' | 'tsx' | 'js' | 'jsx' {
  if (/\.[cm]?ts$/.test(path)) return 'ts';
  if (path.endsWith('.tsx')) return 'tsx';
  if (path.endsWith('.jsx')) return 'jsx';
  return 'js';
}

/**
 * A package import stays an import that Node resolves at run time, as it would have for the file
 * that wrote it, with three exceptions. A package that hands out TypeScript (a workspace package
 * linked into node_modules, say), which Node cannot load, is compiled into the bundle, as tsx would
 * have compiled it. A package the bundle would not find where its importer found it (the system's
 * own package by its name, a file imported from outside the system's package, a nested
 * node_modules) is imported by the file URL esbuild resolved for the importer, with Node's
 * conditions. A package nobody can find stays as written: Node reports it if the import runs.
 */
function packageImports(bundleFile: string, boundByPath: Set<string>): Plugin {
  const searched = nodeModulesSearched(dirname(bundleFile));
  return {
    name: 'polyglot-package-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === PLUGIN_RESOLVING) return undefined;
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: PLUGIN_RESOLVING });
        if (resolved.errors.length > 0 || resolved.external) return { path: args.path, external: true };
        if (/\.([cm]?ts|tsx)$/.test(resolved.path)) return { path: resolved.path };
        if (foundAlike(args.path, resolved.path, searched)) return { path: args.path, external: true };
        boundByPath.add(resolved.path);
        return { path: pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

const PLUGIN_RESOLVING = Symbol('polyglot resolving');

/** The node_modules folders Node searches, nearest first, for a package imported from a file in `dir`. */
function nodeModulesSearched(dir: string): string[] {
  const folders: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    if (basename(at) !== 'node_modules') folders.push(join(at, 'node_modules'));
    if (dirname(at) === at) return folders;
  }
}

/** Whether Node, searching `searched`, finds the package of `specifier` where `resolved` (a real path) lies. */
function foundAlike(specifier: string, resolved: string, searched: readonly string[]): boolean {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const home = searched.map((folder) => join(folder, name)).find((candidate) => existsSync(candidate));
  if (home === undefined) return false;
  const root = realpathSync(home);
  return resolved === root || resolved.startsWith(`${root}${sep}`);
}
