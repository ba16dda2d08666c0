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
    report(issueToProblem(scope, className, issue));
  }
  const cleaned = { ...(props as Record<string, unknown>) };
  for (const key of badKeys) delete cleaned[key];
  const second = schema.safeParse(cleaned);
  return second.success ? second.data : undefined;
}

function issueToProblem(scope: Construct, className: string, issue: z.core.$ZodIssue): Problem {
  const where = formatPropPath(issue.path);
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown prop${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}${where ? ` in ${where}` : ''}`
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
