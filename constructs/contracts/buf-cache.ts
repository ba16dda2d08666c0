import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { BufOutcome, BufViolation } from './buf.js';
import { polyglotCacheFolder } from '../core/cache-folder.js';
import { protoSourcesDigest } from './proto-digest.js';

/**
 * buf's findings, kept by a digest of everything buf reads, so that a synth whose protos did not
 * change does not run buf again (most synths change replicas, timeouts or services, not
 * contracts; buf lint and breaking are about 0.4 s of CPU at 100 contracts). Like eslint's and
 * tsc's caches: the digest covers buf's version, the command and its stdin (the lock's image),
 * and the module's sources ({@link protoSourcesDigest}: buf.yaml, buf.lock, buf.work.yaml and
 * every .proto file, path and bytes); any change to any of them runs buf. Only findings are kept, never a failure to
 * run buf.
 *
 * The cache lives where Node tools keep theirs: `node_modules/.cache/polyglot/` of the nearest
 * folder holding a package.json (the system's, or its repository's), one file per command and
 * system folder, overwritten when the digest changes (so it never grows). Without such a
 * package with a node_modules there is no cache (nothing is written), and a cache that cannot be
 * read or written is ignored: buf runs.
 */
export interface BufCacheInputs {
  /** The folder buf runs in: the system's contract root. */
  readonly root: string;
  /** The buf module's directory, relative to the root (where its buf.yaml is). */
  readonly moduleDir: string;
  /** buf's arguments, e.g. `['lint', 'contracts']`. */
  readonly args: readonly string[];
  /** What buf reads on stdin (the lock's image for `breaking`). */
  readonly stdin?: string;
}

const FORMAT = 'polyglot.dev/buf-cache/v1';

/** The cache's place for one buf run: what it holds for these inputs, and how to keep a new outcome. */
export interface BufCacheSlot {
  /** The findings kept for exactly these inputs, if any. */
  readonly hit?: BufOutcome;
  /** Keeps an outcome for these inputs; a failure to run buf is never kept. */
  keep(outcome: BufOutcome): void;
}

/**
 * The slot of these inputs: callers that run several buf commands at once look each up first and
 * run only the misses.
 */
export function bufCacheSlot(inputs: BufCacheInputs): BufCacheSlot {
  const file = cacheFile(inputs);
  if (!file) return { keep: () => {} };
  const digest = inputsDigest(inputs);
  const cached = readCache(file, digest);
  return {
    hit: cached ? { violations: cached } : undefined,
    keep: (outcome) => {
      if ('violations' in outcome) writeCache(file, digest, outcome.violations);
    },
  };
}

/** The cache file of this command and system folder, or undefined when there is no package to hold it. */
function cacheFile({ root, args }: BufCacheInputs): string | undefined {
  const folder = polyglotCacheFolder(root);
  if (!folder) return undefined;
  // Several systems may share one node_modules (a monorepo): each keeps its own entries.
  const system = createHash('sha256').update(resolve(root)).digest('hex').slice(0, 12);
  return join(folder, `buf-${args[0]}-${system}.json`);
}

function inputsDigest({ root, moduleDir, args, stdin }: BufCacheInputs): string {
  const hash = createHash('sha256');
  for (const value of [FORMAT, bufVersion(), JSON.stringify(args), stdin ?? '', protoSourcesDigest(root, moduleDir)]) hash.update(`${value.length}:`).update(value);
  return hash.digest('hex');
}

let cachedVersion: string | undefined;

/** The installed @bufbuild/buf version: a new buf may find what the old one did not. */
function bufVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const manifest = createRequire(import.meta.url)('@bufbuild/buf/package.json') as { version?: string };
      cachedVersion = manifest.version ?? 'unknown';
    } catch {
      cachedVersion = 'unknown';
    }
  }
  return cachedVersion;
}

function readCache(file: string, digest: string): BufViolation[] | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { format?: string; digest?: string; violations?: BufViolation[] };
    return entry.format === FORMAT && entry.digest === digest && Array.isArray(entry.violations) ? entry.violations : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, digest: string, violations: readonly BufViolation[]): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Written beside, then renamed: a reader never sees half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, `${JSON.stringify({ format: FORMAT, digest, violations })}\n`);
    renameSync(partial, file);
  } catch {
    // A read-only node_modules: buf simply runs next time.
  }
}
