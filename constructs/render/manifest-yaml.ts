/**
 * A small YAML emitter for JSON-shaped data (Kubernetes manifests), about ten times faster than
 * a general YAML library on large outputs: at a thousand services, serialization was the largest
 * single cost of synth.
 *
 * It only writes what it can write unambiguously: a string is plain only when no YAML 1.1 or 1.2
 * reader (kubectl's included) can take it for anything but that string; multi-line strings become
 * literal blocks; everything else is double-quoted with JSON escapes, which YAML reads the same.
 * The test suite round-trips arbitrary JSON through it under both YAML versions.
 */

/** Renders documents as one multi-document YAML stream: `doc\n---\ndoc\n`. */
export function manifestYaml(documents: readonly unknown[]): string {
  return documents.map((document) => emitDocument(document)).join('---\n');
}

function emitDocument(value: unknown): string {
  const out: string[] = [];
  if (isObject(value) && Object.keys(value).length > 0) emitMapping(value, 0, out);
  else if (Array.isArray(value) && value.length > 0) emitSequence(value, 0, out);
  else out.push(`${scalar(value, 0)}\n`);
  return out.join('');
}

function emitMapping(map: Record<string, unknown>, indent: number, out: string[], firstLinePrefix?: string): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    const lead = first && firstLinePrefix !== undefined ? firstLinePrefix : pad;
    first = false;
    const k = isPlain(key) ? key : quoted(key); // a key is never a block
    if (isObject(value) && Object.keys(value).length > 0) {
      out.push(`${lead}${k}:\n`);
      emitMapping(value, indent + 2, out);
    } else if (Array.isArray(value) && value.length > 0) {
      out.push(`${lead}${k}:\n`);
      emitSequence(value, indent + 2, out);
    } else {
      out.push(`${lead}${k}: ${scalar(value, indent + 2)}\n`);
    }
  }
  if (first) out.push(`${firstLinePrefix ?? pad}{}\n`);
}

function emitSequence(items: readonly unknown[], indent: number, out: string[], firstLinePrefix?: string): void {
  const pad = ' '.repeat(indent);
  items.forEach((item, i) => {
    const lead = i === 0 && firstLinePrefix !== undefined ? firstLinePrefix : pad;
    if (isObject(item) && Object.keys(item).length > 0) {
      emitMapping(item, indent + 2, out, `${lead}- `);
    } else if (Array.isArray(item) && item.length > 0) {
      emitSequence(item, indent + 2, out, `${lead}- `);
    } else {
      out.push(`${lead}- ${scalar(item, indent + 2)}\n`);
    }
  });
}

function scalar(value: unknown, indent: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : quoted(String(value));
  if (typeof value === 'string') return string(value, indent);
  if (Array.isArray(value)) return '[]';
  if (isObject(value)) return '{}';
  return quoted(String(value));
}

/** Words YAML 1.1 (still read by many Kubernetes tools) or 1.2 turn into booleans or null. */
const RESERVED = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null']);
const PLAIN = /^[A-Za-z_/$][A-Za-z0-9 _./:=,()$@+%-]*$/;
// `e5` is a float to some YAML 1.1 readers; `: `, ` #` and a trailing colon or space change meaning.
const PLAIN_HAZARD = /: | #|[: ]$|^[eE][-+]?[0-9]/;
/** Characters a literal block cannot carry as they are. */
const NOT_LITERAL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
/**
 * Characters JSON leaves raw but YAML must not see raw: DEL and the C1 controls are outside
 * YAML's printable set (kubectl's reader refuses the whole file), NEL, LS and PS are line breaks
 * to YAML 1.1 readers (folded into a space), a BOM inside a document is an error, and U+FFFE/FFFF
 * are non-characters. A `\uXXXX` escape reads back the same in YAML 1.1 and 1.2.
 */
const RAW_IN_JSON = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

/**
 * A line of only spaces and tabs: in a literal block, readers disagree on whether it is content or
 * an empty line (kubectl's Go reader drops the tab of `|\n  \t`), so such text is double-quoted.
 */
const BLANK_LINE = /(^|\n)[ \t]+(\n|$)/;

/** A double-quoted YAML scalar: JSON's escapes, plus those YAML needs that JSON does not. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isPlain(text: string): boolean {
  return PLAIN.test(text) && !PLAIN_HAZARD.test(text) && !RESERVED.has(text.toLowerCase());
}

function string(text: string, indent: number): string {
  if (isPlain(text)) return text;
  if (text.includes('\n') && !NOT_LITERAL.test(text) && !/^[ \t\n]/.test(text) && !text.endsWith('\n\n') && !BLANK_LINE.test(text)) {
    const chomp = text.endsWith('\n') ? '' : '-';
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    const pad = ' '.repeat(indent);
    return `|${chomp}\n${body
      .split('\n')
      .map((line) => (line.length > 0 ? pad + line : ''))
      .join('\n')}`;
  }
  return quoted(text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
