import { Construct, type IConstruct } from 'constructs';
import type { Problem } from './problems.js';

/**
 * Problems found while constructing the model (bad props) are kept until synth, which reports
 * them together with the checks' findings. Constructs reach the sink through the tree's root,
 * so no construct has to import the System class.
 */
const sinks = new WeakMap<IConstruct, Problem[]>();

/** Called by the root construct (the System) to receive problems. */
export function attachProblemSink(root: IConstruct): Problem[] {
  const problems: Problem[] = [];
  sinks.set(root, problems);
  return problems;
}

/** Returns a function that records a problem on the system that owns `scope`. */
export function problemReporter(scope: IConstruct): (problem: Problem) => void {
  const problems = sinks.get(scope.node.root);
  if (!problems) {
    throw new Error(`${scope.node.path || scope.node.id}: polyglot constructs must live inside a System (new System({ name }))`);
  }
  return (problem) => problems.push(problem);
}

/** The construct id under which contracts created on the System itself are kept. */
export const CONTRACTS_SCOPE_ID = 'contracts';

/**
 * Contracts declared on the System (`new GrpcContract(system, 'identity', …)`) are kept under a
 * `contracts` scope, so a contract and a domain may share a name (`identity` is often both).
 */
export function contractScope(scope: Construct): Construct {
  if (scope.node.scope !== undefined) return scope;
  const existing = scope.node.tryFindChild(CONTRACTS_SCOPE_ID);
  return (existing as Construct | undefined) ?? new Construct(scope, CONTRACTS_SCOPE_ID);
}
