import type { BufOutcome } from '../contracts/buf.js';
import { bufCacheSlot, type BufCacheInputs } from '../contracts/buf-cache.js';
import { startBufRuns } from '../contracts/buf-concurrent.js';
import { readLock } from '../contracts/lock.js';
import { protoSourcesDigest } from '../contracts/proto-digest.js';
import type { SystemModel } from '../model.js';
import { bufModuleOf } from './buf-module.js';

/** What buf said of the system's module: each command run at most once per model. */
export interface BufOutcomes {
  /** `buf lint`; undefined when the system has no buf module. */
  readonly lint?: BufOutcome;
  /** `buf breaking`; undefined when there is nothing to compare with (see {@link bufOutcomes}). */
  readonly breaking?: BufOutcome;
  /** What `breaking` compared the module with, as a person reads it. */
  readonly baseline?: string;
}

/** buf's outcomes of a model, once started: `wait()` blocks until they are in (then kept). */
interface Started {
  wait(): BufOutcomes;
}

const started = new WeakMap<SystemModel, Started>();

/**
 * Starts buf lint and buf breaking of the system's module and returns at once, so buf compiles
 * the protos on other cores while synth checks and synthesizes the rest; {@link bufOutcomes}
 * collects them. Each command comes from the cache where it holds its inputs
 * (contracts/buf-cache.ts); the others run side by side. Breaking compares with
 * `contracts.breakingAgainst` (a git ref or a saved image) or else the image in the lock file; it
 * is not run without a baseline, nor while the protos are byte for byte those the lock's image
 * was built from (an image compared with itself cannot break: a fresh clone's CI, most synths).
 */
export function startBufCommands(model: SystemModel): void {
  if (!started.has(model)) started.set(model, startCommands(model));
}

/** What buf said of the model's module (started by {@link startBufCommands}, or now). */
export function bufOutcomes(model: SystemModel): BufOutcomes {
  startBufCommands(model);
  return started.get(model)!.wait();
}

interface Command {
  readonly inputs: BufCacheInputs;
  /** Whether its findings may be kept: a git ref's content is not in the inputs' digest. */
  readonly cacheable: boolean;
}

function startCommands(model: SystemModel): Started {
  const lookup = bufModuleOf(model);
  if (!('module' in lookup) || !lookup.module) return { wait: () => ({}) };
  const moduleDir = lookup.module.dir;
  const { root, breakingAgainst, lockFile } = model.contractSources;

  const lint: Command = { inputs: { root, moduleDir, args: ['lint', moduleDir] }, cacheable: true };
  let breaking: Command | undefined;
  if (breakingAgainst !== undefined) {
    breaking = { inputs: { root, moduleDir, args: ['breaking', moduleDir, '--against', breakingAgainst] }, cacheable: false };
  } else {
    const read = readLock(model);
    const locked = 'lock' in read ? read.lock?.grpc : undefined;
    if (locked && (locked.sourcesSha256 === undefined || locked.sourcesSha256 !== protoSourcesDigest(root, moduleDir))) {
      // The baseline is the lock's image, read here: the cache can cover it (a git ref could not).
      breaking = { inputs: { root, moduleDir, args: ['breaking', moduleDir, '--against', '-#format=json'], stdin: JSON.stringify(locked.image) }, cacheable: true };
    }
  }

  const commands = breaking ? [lint, breaking] : [lint];
  const slots = commands.map((command) => (command.cacheable ? bufCacheSlot(command.inputs) : { keep: () => {} }));
  const missing = commands.flatMap((command, i) => (slots[i]!.hit ? [] : [i]));
  const running = startBufRuns(missing.map((i) => ({ args: commands[i]!.inputs.args, cwd: root, stdin: commands[i]!.inputs.stdin })));
  let outcomes: BufOutcomes | undefined;
  return {
    wait() {
      if (outcomes) return outcomes;
      const ran = running.wait();
      const results = slots.map((slot) => slot.hit);
      missing.forEach((i, k) => {
        results[i] = ran[k]!;
        slots[i]!.keep(ran[k]!);
      });
      return (outcomes = { lint: results[0], breaking: results[1], baseline: breaking ? (breakingAgainst ?? `the image in ${lockFile}`) : undefined });
    },
  };
}
