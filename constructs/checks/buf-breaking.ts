import type { Problem } from '../core/problems.js';
import { bufFailure, contractPathOf, location } from './buf-lint.js';
import { bufOutcomes } from './buf-runs.js';
import type { Check } from '../extension.js';

/**
 * The protos must not break their baseline: `contracts.breakingAgainst` (a git ref or a saved
 * image) or else the image in the lock file. A breaking change needs a new package version
 * (`…v2`) beside the old one, which buf sees as an addition. No baseline yet, nothing to compare.
 */
export const bufBreaking: Check = (model) => {
  const { lint, breaking: outcome, baseline } = bufOutcomes(model);
  if (!outcome) return [];
  // buf reports a file that does not compile under every command; lint has reported it already.
  if (lint && 'violations' in lint && lint.violations.some((v) => v.type === 'COMPILE')) return [];
  const { breakingAgainst } = model.contractSources;
  if ('failure' in outcome) return [bufFailure(outcome.failure)];
  return outcome.violations.map(
    (v): Problem => ({
      severity: 'error',
      code: 'grpc-breaking-change',
      path: contractPathOf(model, v),
      message: `${location(v)}: ${v.message} (${v.type}, against ${baseline})`,
      why: 'clients built from the old contract are still running: they would fail or, worse, misread the new messages',
      fix:
        'keep the old version as it is and put the change in a new package version (a copy under …/v2/ with `package …v2;`), moving callers over; ' +
        (breakingAgainst === undefined ? 'if nobody outside this commit uses the old shape yet, accept it with `polyglot contracts lock --force`' : `or move the baseline ${breakingAgainst}`),
    }),
  );
};
