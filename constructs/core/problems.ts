/** How bad a problem is: errors stop synthesis, warnings are reported and synthesis goes on. */
export type Severity = 'error' | 'warning';

/**
 * One thing wrong with a model, written for the person who has to fix it.
 */
export interface Problem {
  readonly severity: Severity;
  /** The construct path, e.g. `jvn/jvn-identity/identity`. */
  readonly path: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** Why it matters (what would break at run time). */
  readonly why?: string;
  /** What to change to fix it. */
  readonly fix: string;
  /** A stable identifier for machines and tests, e.g. `dangling-call`. */
  readonly code: string;
}

/** Orders problems so that reports are stable: errors first, then by path and message. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      a.path.localeCompare(b.path) ||
      a.message.localeCompare(b.message),
  );
}

/** Renders problems as a report a person can act on. */
export function formatProblems(problems: readonly Problem[], options: { summary?: string } = {}): string {
  const sorted = sortProblems(problems);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  const warnings = sorted.length - errors;
  // Grouped by construct path, in the order the sorted problems first name them (errors first).
  const groups = new Map<string, Problem[]>();
  for (const problem of sorted) groups.set(problem.path, [...(groups.get(problem.path) ?? []), problem]);
  const blocks = [...groups].map(([path, group]) =>
    [
      path,
      ...group.flatMap((p) => [
        `  ${p.severity === 'error' ? 'error  ' : 'warning'} [${p.code}] ${p.message}`,
        ...(p.why ? [`          why: ${p.why}`] : []),
        `          fix: ${p.fix}`,
      ]),
    ].join('\n'),
  );
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return [...blocks, options.summary ?? `${count(errors, 'error')}, ${count(warnings, 'warning')}`].join('\n\n');
}

/**
 * Thrown when the model has errors. Synthesis writes nothing when this is thrown.
 * Its `stack` is the report itself: JavaScript frames point into polyglot, the construct paths
 * in the report point into the user's model, which is where the fix goes.
 */
export class SynthError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(`polyglot: the model has problems, nothing was written.\n\n${formatProblems(problems)}`);
    this.name = 'SynthError';
    this.problems = sortProblems(problems);
    this.stack = `${this.name}: ${this.message}`;
  }
}
