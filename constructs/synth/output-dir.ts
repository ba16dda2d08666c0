import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';

/**
 * polyglot's output directory, and the promise that comes with it: synth never destroys what it
 * did not write, and the output is complete — all old or all new — at every instant.
 *
 * Layout, for an outdir `dist`:
 *
 *     dist -> .dist.polyglot/<version>        a symbolic link, swapped with one rename(2)
 *     .dist.polyglot/<version>/               one complete output, with its marker file
 *     .dist.polyglot/<version>/.polyglot-output.json   what polyglot wrote there (and nothing else)
 *
 * A new synth writes a new version folder beside the current one, carries every file a user
 * added to the output over to it (hard links, so nothing is copied or lost), and then points the
 * link at it in one atomic rename. A crash before that rename leaves the old output in place;
 * a crash after it, the new one. Old versions are removed only after the swap.
 */
export const OUTPUT_MARKER = '.polyglot-output.json';
const MARKER_SCHEMA = 'polyglot.dev/output/v1';

/** What polyglot records about an output it wrote. */
export interface OutputMarker {
  readonly schema: typeof MARKER_SCHEMA;
  readonly system: string;
  /** Every file polyglot wrote, relative, sorted. Nothing else in the folder is polyglot's. */
  readonly files: readonly string[];
}

/** Why polyglot will not write to a directory: one sentence for a person, naming their path. */
export class OutputDirError extends Error {
  override readonly name = 'OutputDirError';
}

/** How polyglot holds an output directory it may write. */
export type OutputClaim =
  | { readonly kind: 'absent' }
  | { readonly kind: 'empty' }
  /** A link into polyglot's version store: the normal case after the first synth. */
  | { readonly kind: 'versioned'; readonly current: string; readonly marker: OutputMarker }
  /** A plain directory with polyglot's marker (written by `cdk8s synth` or an older polyglot). */
  | { readonly kind: 'plain'; readonly marker: OutputMarker };

/** Failpoints for the crash tests: `POLYGLOT_FAILPOINT=<name>` kills the process there. */
const FAILPOINT_ENV = 'POLYGLOT_FAILPOINT';
function failpoint(name: string): void {
  if (process.env[FAILPOINT_ENV] === name) process.kill(process.pid, 'SIGKILL');
}

/**
 * Decides whether polyglot may write `outdir`, before any work is done. Refuses the filesystem
 * root, the home directory, the system's own folders and their ancestors, files, links polyglot
 * did not make, and directories holding files polyglot did not write.
 * @param protectedDirs folders the output must never replace or contain (the system's own).
 * @throws OutputDirError
 */
export function claimOutputDir(outdir: string, protectedDirs: readonly string[]): OutputClaim {
  const target = resolve(outdir);
  const shown = outdir;
  if (target === parse(target).root) throw new OutputDirError(`refusing to write output to ${shown}: it is the filesystem root; choose an output folder such as dist`);
  const home = resolve(homedir());
  if (isSameOrAncestor(target, home)) throw new OutputDirError(`refusing to write output to ${shown}: it is your home directory${target === home ? '' : ' or one of its parents'}; choose an output folder such as dist`);
  for (const dir of protectedDirs) {
    if (isSameOrAncestor(target, resolve(dir))) {
      throw new OutputDirError(`refusing to write output to ${shown}: it ${target === resolve(dir) ? 'is' : 'contains'} the system's own folder ${dir}, whose files synth would replace; choose a folder inside it, such as dist`);
    }
  }
  let stat;
  try {
    stat = lstatSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    throw describeFsError(error, shown);
  }
  if (stat.isSymbolicLink()) {
    const current = resolve(dirname(target), readlinkSync(target));
    const marker = readMarker(current);
    if (dirname(current) !== storeOf(target) || !marker) {
      throw new OutputDirError(`refusing to write output to ${shown}: it is a symbolic link polyglot did not make (to ${current}); remove the link or choose another output folder`);
    }
    return { kind: 'versioned', current, marker };
  }
  if (!stat.isDirectory()) throw new OutputDirError(`refusing to write output to ${shown}: it is a file, not a folder; move the file or choose another output folder`);
  let entries: string[];
  try {
    entries = readdirSync(target);
  } catch (error) {
    throw describeFsError(error, shown);
  }
  if (entries.length === 0) return { kind: 'empty' };
  const marker = readMarker(target);
  if (marker) return { kind: 'plain', marker };
  const sample = entries.sort().slice(0, 4).join(', ');
  throw new OutputDirError(
    `refusing to write output to ${shown}: it holds files polyglot did not write (${sample}${entries.length > 4 ? ', …' : ''}); choose an empty or new folder, or move those files away`,
  );
}

/** What a write did. */
export interface OutputWrite {
  /** Absolute outdir. */
  readonly outdir: string;
  /** The files polyglot wrote, relative, sorted. */
  readonly written: readonly string[];
  /** Files someone else put in the output, kept as they were. */
  readonly kept: readonly string[];
}

/** How much of the previous output a write replaces. */
export interface OutputWriteOptions {
  /**
   * Files polyglot wrote last time that this write carries over unchanged, still polyglot's:
   * `polyglot diagram` replaces the diagrams and keeps the manifests of the last synth.
   * @default - none: the write replaces all of polyglot's previous files
   */
  readonly keepOwned?: (path: string) => boolean;
}

/**
 * Writes `files` as the new output of `outdir` (claimed with {@link claimOutputDir}), keeping every
 * file polyglot did not write, and swaps it in atomically.
 * @throws OutputDirError with one sentence naming `outdir` when the filesystem refuses
 */
export function writeOutputDir(outdir: string, claim: OutputClaim, system: string, files: ReadonlyMap<string, string>, options: OutputWriteOptions = {}): OutputWrite {
  const target = resolve(outdir);
  const store = storeOf(target);
  const written = [...files.keys()].sort();
  for (const path of written) {
    const file = resolve(target, path);
    if (!file.startsWith(target + sep) || path.split('/').includes(OUTPUT_MARKER)) throw new Error(`refusing to write outside the output directory: ${path}`);
  }
  const previous = claim.kind === 'versioned' ? claim.current : claim.kind === 'plain' ? target : undefined;
  const previousOwned = new Set(claim.kind === 'versioned' || claim.kind === 'plain' ? claim.marker.files : []);
  const kept = previous ? listFiles(previous).filter((path) => path !== OUTPUT_MARKER && !previousOwned.has(path)) : [];
  const keepOwned = options.keepOwned;
  const carriedOwned = previous && keepOwned ? [...previousOwned].filter((path) => !files.has(path) && keepOwned(path) && existsSync(join(previous, path))).sort() : [];
  const clash = kept.filter((path) => files.has(path));
  if (clash.length > 0) {
    throw new OutputDirError(`refusing to write output to ${outdir}: ${clash.join(', ')} ${clash.length === 1 ? 'is a file' : 'are files'} polyglot did not write, where synth now writes its own; move ${clash.length === 1 ? 'it' : 'them'} away`);
  }

  const version = join(store, `${Date.now().toString(36)}-${process.pid}`);
  try {
    mkdirSync(version, { recursive: true });
    for (const path of written) writeInto(version, path, files.get(path)!);
    for (const path of [...kept, ...carriedOwned]) carryOver(join(previous!, path), join(version, path));
    const marker: OutputMarker = { schema: MARKER_SCHEMA, system, files: [...written, ...carriedOwned].sort() };
    writeFileSync(join(version, OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    failpoint('staged');
    swapIn(target, version, claim);
  } catch (error) {
    rmSync(version, { recursive: true, force: true });
    throw error instanceof OutputDirError ? error : describeFsError(error, outdir);
  }
  failpoint('swapped');
  removeOtherVersions(store, version);
  return { outdir: target, written, kept };
}

/** The version store of an outdir: `.<name>.polyglot` beside it. */
function storeOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.polyglot`);
}

function swapIn(target: string, version: string, claim: OutputClaim): void {
  const link = `${storeOf(target)}-link-${process.pid}`;
  rmSync(link, { force: true });
  symlinkSync(relative(dirname(target), version), link);
  if (claim.kind === 'empty') rmdirSync(target); // fails if someone added a file since the claim
  if (claim.kind === 'plain') {
    // Once only, when a plain folder becomes a link: the folder moves into the store first, so
    // for this one rename the outdir is briefly absent. Every later swap is a single rename.
    renameSync(target, join(storeOf(target), `plain-${process.pid}`));
  }
  failpoint('before-swap');
  renameSync(link, target);
}

function removeOtherVersions(store: string, keep: string): void {
  for (const entry of readdirSync(store)) {
    const path = join(store, entry);
    if (path !== keep) rmSync(path, { recursive: true, force: true });
  }
}

function writeInto(root: string, path: string, content: string): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function carryOver(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    linkSync(from, to); // same inode: the user's file is kept, not copied
  } catch {
    copyFileSync(from, to);
  }
}

function readMarker(dir: string): OutputMarker | undefined {
  const file = join(dir, OUTPUT_MARKER);
  if (!existsSync(file)) return undefined;
  try {
    const marker = JSON.parse(readFileSync(file, 'utf8')) as OutputMarker;
    return marker?.schema === MARKER_SCHEMA && Array.isArray(marker.files) ? marker : undefined;
  } catch {
    return undefined;
  }
}

function listFiles(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, path));
    else out.push(path);
  }
  return out.sort();
}

/** True when `a` is `b` or one of its parents. */
function isSameOrAncestor(a: string, b: string): boolean {
  const rel = relative(a, b);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const FS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the filesystem is read-only',
  ENAMETOOLONG: 'the path is too long for the filesystem',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EEXIST: 'another synth is writing it at the same time',
  ELOOP: 'the path has a symbolic link loop',
};

/** One sentence naming the user's path, for a filesystem error while claiming or writing. */
export function describeFsError(error: unknown, outdir: string): OutputDirError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = (code && FS_REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new OutputDirError(`cannot write output to ${outdir}: ${reason}${code ? ` (${code})` : ''}; the previous output, if any, is unchanged`);
}
