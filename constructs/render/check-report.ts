import { writeFileSync } from 'node:fs';
import { buildLock, lockPath, type ContractsLock } from '../contracts/lock.js';
import { SynthError, type Problem } from '../problems.js';
import { stableJson } from '../stable-json.js';
import { SECRETS_PLAN_FILE, type RequiredSecret } from '../synth/secrets-plan.js';
import type { System } from '../system.js';

/**
 * When this environment variable names a file, `System.synth()` checks instead of writing: it
 * runs every check and every synthesizer in memory, writes a {@link CheckReport} to that file and
 * leaves the outdir alone. `polyglot check` and `polyglot contracts lock` run a system's main.ts
 * this way, so they see exactly what synth would.
 */
export const CHECK_REPORT_ENV = 'POLYGLOT_CHECK_REPORT';

/** What a check run reports back to the CLI. */
export interface CheckReport {
  readonly schema: 'polyglot.dev/check-report/v1';
  readonly system: string;
  /** Construct paths of the services checked. */
  readonly services: readonly string[];
  /** Names of the contracts checked. */
  readonly contracts: readonly string[];
  /** Errors first; paths start with the system name. */
  readonly problems: readonly Problem[];
  /** Where the lock file of this system is (absolute). */
  readonly lockFile: string;
  /** The lock as the model stands now, for `polyglot contracts lock`. */
  readonly lock?: ContractsLock;
  /** Why the lock could not be built (buf failed), when it could not. */
  readonly lockFailure?: string;
  /** The Secrets the output needs (secrets.json), when the model synthesizes. */
  readonly requiredSecrets?: readonly RequiredSecret[];
  /** What the system declares, for tools that extend it (the service and contract generators). */
  readonly model: ModelOutline;
}

/** The declared domains, services and contracts, by name. */
export interface ModelOutline {
  readonly domains: readonly string[];
  readonly services: readonly { readonly name: string; readonly domain: string; readonly runtime: string }[];
  readonly grpcContracts: readonly { readonly name: string; readonly service: string; readonly proto: string }[];
  readonly eventContracts: readonly { readonly name: string; readonly subject: string }[];
}

export function checkReport(system: System): CheckReport {
  let problems: readonly Problem[];
  let requiredSecrets: RequiredSecret[] | undefined;
  try {
    const plan = system.files().get(SECRETS_PLAN_FILE);
    if (plan) requiredSecrets = (JSON.parse(plan) as { secrets: RequiredSecret[] }).secrets;
    problems = system.warnings;
  } catch (error) {
    if (!(error instanceof SynthError)) throw error;
    problems = error.problems;
  }
  const model = system.model();
  const built = buildLock(model);
  return {
    schema: 'polyglot.dev/check-report/v1',
    system: model.name,
    services: model.services.map((s) => `${model.name}/${s.node.path}`),
    contracts: [...model.grpcContracts, ...model.eventContracts].map((c) => c.name),
    problems,
    lockFile: lockPath(model),
    lock: 'lock' in built ? built.lock : undefined,
    lockFailure: 'failure' in built ? built.failure : undefined,
    requiredSecrets,
    model: {
      domains: model.domains.map((d) => d.name),
      services: [...model.services, ...model.invalidServices].map((s) => ({ name: s.name, domain: s.domain.name, runtime: s.runtime })),
      grpcContracts: model.grpcContracts.map((c) => ({ name: c.name, service: c.service, proto: c.proto })),
      eventContracts: model.eventContracts.map((e) => ({ name: e.name, subject: e.subject })),
    },
  };
}

export function writeCheckReport(system: System, file: string): void {
  writeFileSync(file, stableJson(checkReport(system)));
}
