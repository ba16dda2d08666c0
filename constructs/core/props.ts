import type { Construct } from 'constructs';
import { z } from 'zod';
import type { Problem } from './problems.js';

/**
 * Validates a props object against its schema and turns every issue into a {@link Problem}
 * naming the construct path and the prop.
 *
 * Instead of throwing at the first bad value, the offending top-level props are dropped and the
 * rest is parsed again, so the construct stays usable and synth can report every problem at once.
 * Returns `undefined` only when even the cleaned props do not parse (a required prop is bad).
 */
export function parseProps<S extends z.ZodType>(
  scope: Construct,
  className: string,
  schema: S,
  props: unknown,
  report: (problem: Problem) => void,
): z.output<S> | undefined {
  const first = schema.safeParse(props ?? {});
  if (first.success) return first.data;

  const badKeys = new Set<string>();
  for (const issue of first.error.issues) {
    const key = issue.path[0];
    if (issue.code === 'unrecognized_keys') issue.keys.forEach((k) => badKeys.add(k));
    else if (key !== undefined) badKeys.add(String(key));
    report(issueToProblem(scope, className, issue, schema));
  }
  const cleaned = { ...(props as Record<string, unknown>) };
  for (const key of badKeys) delete cleaned[key];
  const second = schema.safeParse(cleaned);
  return second.success ? second.data : undefined;
}

function issueToProblem(scope: Construct, className: string, issue: z.core.$ZodIssue, schema: z.ZodType): Problem {
  const where = formatPropPath(issue.path);
  const suggestions =
    issue.code === 'unrecognized_keys'
      ? issue.keys.flatMap((key) => {
          const near = closest(key, knownKeys(schema, issue.path));
          return near ? [`'${key}': did you mean '${near}'?`] : [];
        })
      : [];
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown prop${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}${where ? ` in ${where}` : ''}${suggestions.length > 0 ? ` (${suggestions.join('; ')})` : ''}`
      : `${where || 'props'}: ${issue.message}`;
  return {
    severity: 'error',
    code: 'invalid-props',
    path: scope.node.path,
    message,
    fix:
      issue.code === 'unrecognized_keys'
        ? `remove or rename it; the props ${className} accepts are listed in ${className}Props`
        : `correct ${where || 'the props'} of ${className} (see ${className}Props)`,
  };
}

function formatPropPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}

/** The keys an object schema accepts at `path` (through optional, default, array and pipe). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (!current) return [];
    if (typeof segment === 'number') current = current instanceof z.ZodArray ? unwrap(current.element as z.ZodType) : undefined;
    else current = current instanceof z.ZodObject ? unwrap((current.shape as Record<string, z.ZodType>)[String(segment)]) : undefined;
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else break;
  }
  return current;
}

/** The known key nearest to `key` by edit distance (case-insensitive), if it is near enough to be a typo. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** Optimal string alignment distance: a swap of two neighbours ('nmae') counts as one typo. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
