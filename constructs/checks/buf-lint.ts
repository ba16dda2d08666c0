import { normalize } from 'node:path';
import type { BufViolation } from '../contracts/buf.js';
import type { SystemModel } from '../model.js';
import type { Problem } from '../core/problems.js';
import { bufOutcomes } from './buf-runs.js';
import type { Check } from '../extension.js';

/**
 * The proto files follow the lint rules the system's buf.yaml chose. Each violation is an error
 * at the contract whose file it is in, with file:line:column; a file no contract names is
 * reported at the system.
 */
export const bufLint: Check = (model) => {
  const outcome = bufOutcomes(model).lint;
  if (!outcome) return [];
  if ('failure' in outcome) return [bufFailure(outcome.failure)];
  return outcome.violations.map((v): Problem => {
    const compile = v.type === 'COMPILE';
    return {
      severity: 'error',
      code: compile ? 'proto-compile' : 'buf-lint',
      path: contractPathOf(model, v),
      message: `${location(v)}: ${v.message}${compile ? '' : ` (${v.type})`}`,
      why: compile ? 'the file does not compile: no code can be generated from it' : "the system's buf.yaml makes this rule part of the contract style",
      fix: compile ? 'fix the syntax at that line' : `follow the rule, or relax it in buf.yaml (lint.except: [${v.type}])`,
    };
  });
};

export function bufFailure(failure: string): Problem {
  return {
    severity: 'error',
    code: 'buf-failed',
    path: '',
    message: failure,
    why: 'the gRPC contracts cannot be checked, so a broken or incompatible proto would go out unnoticed',
    fix: 'install @bufbuild/buf next to generator-polyglot (npm i -D @bufbuild/buf) and make sure `buf build` works in the system directory',
  };
}

/** `contracts/jvn/auth/v1/signer.proto:7:9` */
export function location(v: BufViolation): string {
  return `${v.path}:${v.line}:${v.column}`;
}

/** The construct path of the (first, by name) contract defined in the violation's file. */
export function contractPathOf(model: SystemModel, v: BufViolation): string {
  const file = normalize(v.path);
  return model.grpcContracts.find((c) => normalize(c.proto) === file)?.node.path ?? '';
}
