import { stableJson } from '../core/stable-json.js';
import type { JsonSchema } from './json-schema.js';

/** A change between two versions of an event schema that breaks a publisher or a subscriber. */
export interface BreakingChange {
  readonly kind: 'field-removed' | 'type-changed' | 'made-required' | 'required-added' | 'made-optional' | 'enum-narrowed' | 'closed' | 'variant-removed';
  /** Where in the message, e.g. `user.address.city`, `items[]`; empty for the message itself. */
  readonly at: string;
  readonly detail: string;
}

/**
 * The breaking changes from `before` to `after`, in document order. A message schema is read by
 * subscribers that may run either version while publishers roll out, and a stream keeps old
 * messages for its maxAge, so the rule is that both versions must read each other's messages:
 *
 * - breaking: a field removed, a type changed (including nullable), an optional field made
 *   required or a new required field, a required field made optional, an enum or const narrowed,
 *   an object closed to unknown fields, a union variant removed;
 * - additive (allowed): a new optional field, an enum widened, a new union variant.
 *
 * Constraints such as `maxLength` or `pattern` are not compared.
 */
export function breakingChanges(before: JsonSchema, after: JsonSchema): BreakingChange[] {
  const changes: BreakingChange[] = [];
  new Comparison(before, after, changes).compare(before, after, '');
  return changes;
}

type Node = JsonSchema;
type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'any';

class Comparison {
  private readonly visited = new Map<Node, Set<Node>>();

  constructor(
    private readonly rootBefore: Node,
    private readonly rootAfter: Node,
    private readonly changes: BreakingChange[],
  ) {}

  compare(rawBefore: Node, rawAfter: Node, at: string): void {
    const before = resolveRef(rawBefore, this.rootBefore);
    const after = resolveRef(rawAfter, this.rootAfter);
    // Recursive schemas ($ref: '#') would loop: each pair of nodes is compared once.
    const seen = this.visited.get(before) ?? new Set<Node>();
    if (seen.has(after)) return;
    this.visited.set(before, seen.add(after));

    const b = variantsByType(before, this.rootBefore);
    const a = variantsByType(after, this.rootAfter);
    const typesBefore = [...b.keys()].sort();
    const typesAfter = [...a.keys()].sort();
    if (typesBefore.join() !== typesAfter.join()) {
      this.report('type-changed', at, `type changed from ${typesBefore.join(' | ')} to ${typesAfter.join(' | ')}`);
      return;
    }
    for (const type of typesBefore) {
      const vb = b.get(type)!;
      const va = a.get(type)!;
      this.compareValues(vb, va, at);
      if (type === 'object' || type === 'array') this.compareStructured(type, vb, va, at);
    }
  }

  private compareStructured(type: 'object' | 'array', before: Node[], after: Node[], at: string): void {
    if (before.length === 1 && after.length === 1) {
      if (type === 'object') this.compareObjects(before[0]!, after[0]!, at);
      else this.compareArrays(before[0]!, after[0]!, at);
      return;
    }
    // A union of several object (or array) variants: unchanged variants match by content, a new
    // variant is additive, and a variant that is gone or changed breaks its readers.
    const remaining = new Map(after.map((node) => [stableJson(node, 0), node]));
    const unmatched = before.filter((node) => !remaining.delete(stableJson(node, 0)));
    if (unmatched.length === 0) return;
    if (unmatched.length === remaining.size) {
      [...remaining.values()].forEach((node, i) => this.compareStructured(type, [unmatched[i]!], [node], at));
    } else {
      this.report('variant-removed', at, `${unmatched.length} of the ${type} variants were removed or changed`);
    }
  }

  private compareObjects(before: Node, after: Node, at: string): void {
    const propsBefore = (before['properties'] ?? {}) as Record<string, Node>;
    const propsAfter = (after['properties'] ?? {}) as Record<string, Node>;
    const requiredBefore = new Set((before['required'] ?? []) as string[]);
    const requiredAfter = new Set((after['required'] ?? []) as string[]);
    for (const [key, schema] of Object.entries(propsBefore)) {
      const field = join(at, key);
      if (!(key in propsAfter)) {
        this.report('field-removed', field, `field '${field}' was removed`);
        continue;
      }
      if (!requiredBefore.has(key) && requiredAfter.has(key)) this.report('made-required', field, `field '${field}' was optional and is now required`);
      if (requiredBefore.has(key) && !requiredAfter.has(key)) this.report('made-optional', field, `field '${field}' was required and is now optional`);
      this.compare(schema, propsAfter[key]!, field);
    }
    for (const key of Object.keys(propsAfter)) {
      if (!(key in propsBefore) && requiredAfter.has(key)) this.report('required-added', join(at, key), `new field '${join(at, key)}' is required`);
    }
    if (before['additionalProperties'] !== false && after['additionalProperties'] === false) {
      this.report('closed', at, `${at ? `'${at}'` : 'the message'} no longer accepts unknown fields`);
    }
  }

  private compareArrays(before: Node, after: Node, at: string): void {
    const itemsBefore = before['items'];
    const itemsAfter = after['items'];
    if (isNode(itemsBefore) && isNode(itemsAfter)) this.compare(itemsBefore, itemsAfter, `${at}[]`);
    else if (isNode(itemsAfter) && !isNode(itemsBefore)) this.report('type-changed', `${at}[]`, `items of '${at}' are now restricted`);
  }

  /** Enum and const: every value allowed before must still be allowed. */
  private compareValues(before: Node[], after: Node[], at: string): void {
    const allowedBefore = allowedValues(before);
    const allowedAfter = allowedValues(after);
    if (allowedAfter === undefined) return;
    const label = at ? `'${at}'` : 'the message';
    if (allowedBefore === undefined) {
      this.report('enum-narrowed', at, `${label} is now restricted to ${[...allowedAfter].join(', ')}`);
      return;
    }
    const dropped = [...allowedBefore].filter((v) => !allowedAfter.has(v));
    if (dropped.length > 0) this.report('enum-narrowed', at, `${label} no longer allows ${dropped.join(', ')}`);
  }

  private report(kind: BreakingChange['kind'], at: string, detail: string): void {
    this.changes.push({ kind, at, detail });
  }
}

const join = (at: string, key: string) => (at ? `${at}.${key}` : key);
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a local `$ref` (`#`, `#/$defs/X`, `#/definitions/X`). */
function resolveRef(node: Node, root: Node): Node {
  let current = node;
  for (let hops = 0; typeof current['$ref'] === 'string' && hops < 32; hops++) {
    const ref = current['$ref'] as string;
    if (!ref.startsWith('#')) break;
    let target: unknown = root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) target = isNode(target) ? target[decodeURIComponent(part)] : undefined;
    if (!isNode(target)) break;
    current = target;
  }
  return current;
}

/** The schema's alternatives grouped by JSON type; `any` for a schema that accepts anything. */
function variantsByType(node: Node, root: Node): Map<JsonType, Node[]> {
  const result = new Map<JsonType, Node[]>();
  const add = (type: JsonType, variant: Node) => result.set(type, [...(result.get(type) ?? []), variant]);
  const branches = (node['anyOf'] ?? node['oneOf']) as Node[] | undefined;
  if (Array.isArray(branches)) {
    for (const branch of branches) for (const [type, variants] of variantsByType(resolveRef(branch, root), root)) variants.forEach((v) => add(type, v));
    return result;
  }
  const declared = node['type'];
  const types: JsonType[] = Array.isArray(declared) ? declared : typeof declared === 'string' ? [declared as JsonType] : inferTypes(node);
  for (const type of types) add(type, node);
  return result;
}

function inferTypes(node: Node): JsonType[] {
  const values = 'const' in node ? [node['const']] : Array.isArray(node['enum']) ? (node['enum'] as unknown[]) : undefined;
  if (values) return [...new Set(values.map((v): JsonType => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as JsonType))))];
  if ('properties' in node) return ['object'];
  if ('items' in node) return ['array'];
  return ['any'];
}

/** The values an enum or const allows across variants, or `undefined` when any value goes. */
function allowedValues(variants: Node[]): Set<string> | undefined {
  const allowed = new Set<string>();
  for (const variant of variants) {
    if ('const' in variant) allowed.add(JSON.stringify(variant['const']));
    else if (Array.isArray(variant['enum'])) (variant['enum'] as unknown[]).forEach((v) => allowed.add(JSON.stringify(v)));
    else return undefined;
  }
  return allowed;
}
