import { retryStorms } from './amplification.js';
import { bufBreaking } from './buf-breaking.js';
import { bufLint } from './buf-lint.js';
import { deadlineBudgets } from './budgets.js';
import type { Check } from '../extension.js';
import { syncCycles } from './cycles.js';
import { danglingEdges } from './dangling.js';
import { eventLock } from './event-lock.js';
import { eventSchemas } from './event-schemas.js';
import { grpcSources } from './grpc-sources.js';
import { portClashes } from './ports.js';
import { runtimeRadar } from './radar.js';
import { subjectClashes } from './subject-clash.js';
import { unsubscribedEvents } from './unsubscribed-events.js';

export type { Check } from '../extension.js';
export { startBufCommands } from './buf-runs.js';

/** Whether a check waits for buf's findings: synth runs those last, buf running meanwhile. */
export function awaitsBuf(check: Check): boolean {
  return check === bufLint || check === bufBreaking;
}

/** The checks every System runs before synthesis. */
export const defaultChecks: readonly Check[] = [
  // the graph
  danglingEdges,
  unsubscribedEvents,
  syncCycles,
  deadlineBudgets,
  retryStorms,
  // contracts
  subjectClashes,
  eventSchemas,
  eventLock,
  grpcSources,
  bufLint,
  bufBreaking,
  // workloads
  portClashes,
  runtimeRadar,
];
