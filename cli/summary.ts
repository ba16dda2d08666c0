import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatBytes } from '../diagnose/format.js';

export interface ManifestObject {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
}

/**
 * The kind, name and labels of every object in a manifest polyglot wrote. Its emitter
 * (constructs/render/manifest-yaml.ts) has one layout: documents separated by `---`, top-level
 * keys at column 0, metadata's keys at 2, labels at 4, each scalar plain or JSON-quoted. Reading
 * only those lines is ~50× faster than a YAML parser; test/cli/summary.test.ts holds it to the
 * `yaml` library's reading of the same files.
 */
export function manifestHeads(text: string): ManifestObject[] {
  const objects: ManifestObject[] = [];
  for (const document of text.split(/^---\n/m)) {
    const object: ManifestObject = {};
    let section = '';
    let labels: Record<string, string> | undefined;
    for (const line of document.split('\n')) {
      if (line.length === 0) continue;
      if (line[0] !== ' ') {
        section = line.startsWith('metadata:') ? 'metadata' : '';
        if (line.startsWith('kind: ')) object.kind = scalar(line.slice(6));
        continue;
      }
      if (section !== 'metadata') continue;
      if (line.startsWith('  name: ')) object.metadata = { ...object.metadata, name: scalar(line.slice(8)) };
      else if (line === '  labels:') object.metadata = { ...object.metadata, labels: (labels = {}) };
      else if (line.startsWith('    ') && line[4] !== ' ' && labels && object.metadata?.labels === labels) {
        const [key, value] = splitPair(line.slice(4));
        labels[key] = value;
      } else if (line.startsWith('  ') && line[2] !== ' ') labels = undefined;
    }
    if (object.kind) objects.push(object);
  }
  return objects;
}

function scalar(text: string): string {
  return text.startsWith('"') ? (JSON.parse(text) as string) : text;
}

/** `key: value`, either side plain or JSON-quoted. */
function splitPair(text: string): [string, string] {
  if (text.startsWith('"')) {
    const end = text.indexOf('": ');
    return [JSON.parse(text.slice(0, end + 1)) as string, scalar(text.slice(end + 3))];
  }
  const colon = text.indexOf(': ');
  return [text.slice(0, colon), scalar(text.slice(colon + 2))];
}

/** What a synth produced, counted from the files on disk (so it also describes `cdk8s synth` output). */
export interface SynthSummary {
  /** domain → runtime → service names */
  readonly services: Map<string, Map<string, string[]>>;
  readonly kinds: Map<string, number>;
  readonly files: { path: string; bytes: number; objects: number }[];
}

/**
 * Counts what a synth wrote: `written` (relative paths) when the synth reported it, else every
 * file under `outdir` (e.g. after `cdk8s synth`).
 */
export function summarize(outdir: string, written?: readonly string[]): SynthSummary {
  const services = new Map<string, Map<string, string[]>>();
  const kinds = new Map<string, number>();
  const files: SynthSummary['files'] = [];
  for (const path of written ? written.map((file) => join(outdir, file)) : listFiles(outdir)) {
    const bytes = statSync(path).size;
    let objects = 0;
    if (path.endsWith('.k8s.yaml')) {
      for (const object of manifestHeads(readFileSync(path, 'utf8'))) {
        if (!object.kind) continue;
        objects++;
        kinds.set(object.kind, (kinds.get(object.kind) ?? 0) + 1);
        const labels = object.metadata?.labels ?? {};
        const runtime = labels['polyglot.dev/runtime'];
        const domain = labels['polyglot.dev/domain'];
        if (object.kind === 'Deployment' && runtime && domain) {
          const byRuntime = services.get(domain) ?? new Map<string, string[]>();
          byRuntime.set(runtime, [...(byRuntime.get(runtime) ?? []), object.metadata?.name ?? '?']);
          services.set(domain, byRuntime);
        }
      }
    }
    files.push({ path: relative(outdir, path), bytes, objects });
  }
  return { services, kinds, files };
}

/** A short, aligned, plain-text rendering of a summary. */
export function formatSummary(summary: SynthSummary, outdirLabel: string, kept: readonly string[] = []): string {
  const lines: string[] = [];
  const serviceCount = [...summary.services.values()].flatMap((m) => [...m.values()]).flat().length;
  lines.push(`services: ${serviceCount} in ${summary.services.size} domains`);
  const domains = [...summary.services.keys()].sort();
  const width = Math.max(0, ...domains.map((d) => d.length));
  for (const domain of domains) {
    const byRuntime = summary.services.get(domain)!;
    const parts = [...byRuntime.keys()].sort().map((runtime) => `${runtime}: ${byRuntime.get(runtime)!.sort().join(', ')}`);
    lines.push(`  ${domain.padEnd(width)}  ${parts.join('  |  ')}`);
  }
  const total = [...summary.kinds.values()].reduce((a, b) => a + b, 0);
  const kinds = [...summary.kinds.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`);
  lines.push(`objects: ${total}  (${kinds.join(', ')})`);
  lines.push(`files: ${summary.files.length} in ${outdirLabel}`);
  for (const file of summary.files) {
    const detail = file.objects > 0 ? `${file.objects} objects, ${formatBytes(file.bytes)}` : formatBytes(file.bytes);
    lines.push(`  ${file.path}  (${detail})`);
  }
  if (kept.length > 0) {
    lines.push(`kept: ${kept.length} file${kept.length === 1 ? '' : 's'} in ${outdirLabel} that polyglot did not write, untouched`);
    for (const path of kept) lines.push(`  ${path}`);
  }
  return lines.join('\n');
}


function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}
