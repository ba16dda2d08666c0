import { writeFileSync } from 'node:fs';
import { buildLock, lockPath, type ContractsLock } from '../contracts/lock.js';
import type { Problem } from '../core/problems.js';
import type { SystemModel } from '../model.js';
import { stableJson } from '../core/stable-json.js';
import type { RequiredSecret } from '../extension.js';
import { SECRETS_PLAN_FILE } from './secrets-plan.js';

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

/** A declared service, as tools outside the model (generators, `polyglot diagnose`) need it. */
export interface ServiceOutline {
  readonly name: string;
  /** Its domain: also its `service.namespace` in telemetry. */
  readonly domain: string;
  readonly runtime: string;
  /** The `telemetry.sdk.language` its runtime's SDK reports, when the runtime is known. */
  readonly language?: string;
  /** The deadline it promises its callers, in milliseconds. */
  readonly deadlineMs: number;
}

/** A declared synchronous call, resolved to the one service that serves its contract. */
export interface CallOutline {
  /** Caller and callee by service name and domain. */
  readonly caller: { readonly name: string; readonly domain: string };
  readonly callee: { readonly name: string; readonly domain: string };
  /** The gRPC contract's name and its fully qualified proto service (`rpc.service` in traces). */
  readonly contract: string;
  readonly rpcService: string;
  /** Per-try timeout in milliseconds. */
  readonly timeoutMs: number;
  /** Retries after the first try. */
  readonly retries: number;
}

/** The declared domains, services, calls and contracts, by name. */
export interface ModelOutline {
  readonly domains: readonly string[];
  readonly services: readonly ServiceOutline[];
  readonly calls: readonly CallOutline[];
  readonly grpcContracts: readonly { readonly name: string; readonly service: string; readonly proto: string }[];
  readonly eventContracts: readonly { readonly name: string; readonly subject: string }[];
}

/** One synthesis in memory: the model it was built from, its problems, and its files when it has no errors. */
export interface Inspection {
  readonly model: SystemModel;
  readonly problems: readonly Problem[];
  readonly files?: ReadonlyMap<string, string>;
}

/** The report of one in-memory synthesis; the model is built once, for the checks and the report alike. */
export function checkReport({ model, problems, files }: Inspection): CheckReport {
  const plan = files?.get(SECRETS_PLAN_FILE);
  const requiredSecrets = plan ? (JSON.parse(plan) as { secrets: RequiredSecret[] }).secrets : undefined;
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
    model: modelOutline(model),
  };
}

/** What a system declares, as plain data (the `model` of a {@link CheckReport}). */
export function modelOutline(model: SystemModel): ModelOutline {
  return {
    domains: model.domains.map((d) => d.name),
    services: [...model.services, ...model.invalidServices].map((s) => ({
      name: s.name,
      domain: s.domain.name,
      runtime: s.runtime,
      language: s.profile?.sdkLanguage,
      deadlineMs: s.deadlineMs,
    })),
    calls: model.callEdges.map(({ caller, call, callee }) => ({
      caller: { name: caller.name, domain: caller.domain.name },
      callee: { name: callee.name, domain: callee.domain.name },
      contract: call.contract.name,
      rpcService: call.contract.service,
      timeoutMs: call.timeoutMs,
      retries: call.retries,
    })),
    grpcContracts: model.grpcContracts.map((c) => ({ name: c.name, service: c.service, proto: c.proto })),
    eventContracts: model.eventContracts.map((e) => ({ name: e.name, subject: e.subject })),
  };
}

export function writeCheckReport(inspection: Inspection, file: string): void {
  writeFileSync(file, stableJson(checkReport(inspection)));
}
