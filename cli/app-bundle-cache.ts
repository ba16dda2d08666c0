import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Whether a system's bundle from an earlier run is still what esbuild would write now, so a synth
 * whose TypeScript did not change skips the compiler (about 80 ms of CPU, a third of it loading
 * esbuild). Like tsc's incremental build info, a record beside the bundle lists what its content
 * depends on, with a SHA-256 over all of it:
 *
 * - every file esbuild compiled into it, by content, and every file a package import was bound to
 *   by path (the system's own package by its name);
 * - the code and JSON files in every folder those files are in (a new `x.js` beside `x.ts`
 *   changes what `./x.js` means) and, in each of them and every folder above, the tsconfig.json, jsconfig.json
 *   and package.json, present or not, by content (compiler options, `paths`, `exports`, `type`);
 * - the versions of esbuild and Node (the output's target) and polyglot's bundling code.
 *
 * Anything else a bundle could depend on is resolved by Node when it runs (packages imported by
 * name), so it cannot go stale. A record that cannot be read or does not match means: compile.
 */
export interface BundleRecord {
  readonly format: typeof FORMAT;
  /** The files read: compiled in, or bound to by path. */
  readonly files: readonly string[];
  /** The folders whose listings count. */
  readonly folders: readonly string[];
  readonly fingerprint: string;
}

const FORMAT = 'polyglot.dev/app-bundle/v1';
const CONFIG_FILES = ['tsconfig.json', 'jsconfig.json', 'package.json'];

/** The record of a bundle just written from `compiled` (absolute paths) and `boundByPath`. */
export function bundleRecord(entry: string, compiled: readonly string[], boundByPath: readonly string[]): BundleRecord {
  const folders = new Set<string>();
  const files = new Set([...compiled, ...boundByPath]);
  for (const file of compiled) {
    folders.add(dirname(file));
    for (let at = dirname(file); ; at = dirname(at)) {
      for (const name of CONFIG_FILES) files.add(join(at, name));
      if (dirname(at) === at) break;
    }
  }
  const sorted = { files: [...files].sort(), folders: [...folders].sort() };
  return { format: FORMAT, ...sorted, fingerprint: fingerprint(entry, sorted.files, sorted.folders) };
}

/** Whether the record at `recordFile` still matches what its bundle was made from. */
export function recordHolds(recordFile: string, entry: string): boolean {
  let record: Partial<BundleRecord>;
  try {
    record = JSON.parse(readFileSync(recordFile, 'utf8')) as Partial<BundleRecord>;
  } catch {
    return false;
  }
  if (record.format !== FORMAT || !Array.isArray(record.files) || !Array.isArray(record.folders)) return false;
  return record.fingerprint === fingerprint(entry, record.files, record.folders);
}

/** Writes the record beside its bundle, atomically (after the bundle: a record never names a bundle not yet there). */
export function keepRecord(recordFile: string, record: BundleRecord): void {
  const partial = `${recordFile}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(record)}\n`);
  renameSync(partial, recordFile);
}

function fingerprint(entry: string, files: readonly string[], folders: readonly string[]): string {
  const hash = createHash('sha256');
  const add = (value: string | Buffer) => hash.update(`${value.length}:`).update(value);
  for (const value of [FORMAT, process.versions.node, esbuildVersion(), bundlerSource(), entry]) add(value);
  for (const file of files) {
    add(file);
    add(contentOrAbsent(file));
  }
  for (const folder of folders) {
    add(folder);
    add(listingOrAbsent(folder));
  }
  return hash.digest('hex');
}

function contentOrAbsent(file: string): Buffer | string {
  try {
    return readFileSync(file);
  } catch {
    return '\0absent';
  }
}

/** Names an import could mean: synth's own output folders beside main.ts come and go without counting. */
const IMPORTABLE = /\.([cm]?[jt]s|[jt]sx|json)$/;

function listingOrAbsent(folder: string): string {
  try {
    return readdirSync(folder)
      .filter((name) => IMPORTABLE.test(name))
      .sort()
      .join('\0');
  } catch {
    return '\0absent';
  }
}

let versions: { esbuild: string; source: string } | undefined;

/** esbuild's version, from its package.json: loading esbuild itself is what a cache hit saves. */
function esbuildVersion(): string {
  versions ??= readVersions();
  return versions.esbuild;
}

/** polyglot's bundling code, so a new polyglot compiles again. */
function bundlerSource(): string {
  versions ??= readVersions();
  return versions.source;
}

function readVersions(): { esbuild: string; source: string } {
  const require = createRequire(import.meta.url);
  const esbuild = (require('esbuild/package.json') as { version: string }).version;
  const bundler = join(dirname(fileURLToPath(import.meta.url)), `app-bundle${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`);
  return { esbuild, source: createHash('sha256').update(readFileSync(bundler)).update(readFileSync(fileURLToPath(import.meta.url))).digest('hex') };
}
