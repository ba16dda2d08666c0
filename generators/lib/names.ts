import { dnsLabelProblem, suggestDnsLabel } from '../../constructs/index.js';
import type { NameForms } from '../service/template-context.js';

/**
 * Bad input to a generator: the message names the field (`--name`, `--runtime`…) and what to do.
 * The generators throw it before the writing phase, so nothing is written; the CLI prints the
 * message alone (no stack) and exits 1.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Throws an {@link InputError} naming `field` when `value` is not a DNS label (this also refuses
 * `../x`, `a/b`, absolute paths and every other path trick, since a name becomes a folder). */
export function requireDnsLabel(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new InputError(`${field}: a value is required`);
  const problem = dnsLabelProblem(value);
  if (problem) throw new InputError(`${field}: '${value}' ${problem}; try '${suggestDnsLabel(value)}'`);
  return value;
}

/** `token-signer` in the spellings languages want. */
export function nameForms(kebab: string): NameForms {
  const words = kebab.split(/[-_]+/).filter(Boolean);
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return { kebab: words.join('-'), snake: words.join('_'), pascal, camel: pascal ? pascal[0]!.toLowerCase() + pascal.slice(1) : '' };
}

/** `GetInvoice` → `get_invoice`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** A list flag or answer (`a,b` or `['a', 'b']` or undefined) as a list of trimmed names. */
export function nameList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}
