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
export function formatProblems(problems: readonly Problem[]): string {
  const sorted = sortProblems(problems);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  const warnings = sorted.length - errors;
  const lines = sorted.map((p, i) => {
    const mark = p.severity === 'error' ? 'error' : 'warning';
    const parts = [`${i + 1}. ${mark} [${p.code}] ${p.path}`, `   ${p.message}`];
    if (p.why) parts.push(`   why: ${p.why}`);
    parts.push(`   fix: ${p.fix}`);
    return parts.join('\n');
  });
  const head = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  return [...lines, head].join('\n\n');
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
