import { eventJsonSchema } from '../contracts/json-schema.js';
import { readLock } from '../contracts/lock.js';
import { breakingChanges } from '../contracts/schema-compat.js';
import type { Problem } from '../core/problems.js';
import { stableJson } from '../core/stable-json.js';
import type { Check } from '../extension.js';

/**
 * Each event is compared with the lock file: a breaking schema or subject change fails unless the
 * event's version was raised; a lock that no longer matches the model is a warning, because the
 * next comparison would be made against stale shapes. Without a lock file there is nothing to
 * compare with: a warning says so, with the command that writes the first one.
 */
export const eventLock: Check = (model) => {
  const read = readLock(model);
  const lockFile = model.contractSources.lockFile;
  if ('failure' in read) {
    return [{ severity: 'error', code: 'contracts-lock-invalid', path: '', message: read.failure, fix: `restore ${lockFile} from version control, or delete it and run polyglot contracts lock` }];
  }
  if (!read.lock) return missingLock(model);
  const locked = read.lock.events ?? {};
  const relock = `run \`polyglot contracts lock\` and commit ${lockFile}`;
  const stale = (path: string, message: string, why: string): Problem => ({ severity: 'warning', code: 'contracts-lock-stale', path, message, why, fix: relock });
  const problems: Problem[] = [];

  for (const event of model.eventContracts) {
    const entry = locked[event.name];
    const current = eventJsonSchema(event);
    if (!('schema' in current)) continue;
    if (!entry) {
      problems.push(stale(event.node.path, `event '${event.name}' is not in ${lockFile}`, 'its schema has no baseline: a breaking change to it would pass unnoticed'));
      continue;
    }
    if (event.version < entry.version) {
      problems.push({
        severity: 'error',
        code: 'event-version-lowered',
        path: event.node.path,
        message: `event '${event.name}' is version ${event.version}, lower than the locked version ${entry.version}`,
        why: 'versions only go up: subscribers tell schemas apart by version',
        fix: `set version: ${entry.version} (or higher)`,
      });
      continue;
    }
    if (event.version > entry.version) {
      problems.push(stale(event.node.path, `event '${event.name}' is version ${event.version}; ${lockFile} still has version ${entry.version}`, 'later changes would be compared with the old version'));
      continue;
    }
    const changes = breakingChanges(entry.jsonSchema, current.schema).map((c) => c.detail);
    if (entry.subject !== event.subject) changes.unshift(`subject changed from '${entry.subject}' to '${event.subject}'`);
    if (changes.length > 0) {
      problems.push({
        severity: 'error',
        code: 'event-breaking-change',
        path: event.node.path,
        message: `event '${event.name}' changed incompatibly since ${lockFile} (version ${entry.version}): ${changes.join('; ')}`,
        why: 'publishers and subscribers roll out one at a time and the stream keeps old messages: both shapes are read side by side for a while',
        fix: `raise the event's version to ${entry.version + 1} (subscribers handle both until the old messages are gone), or make the change additive: new fields optional, enums only widened`,
      });
    } else if (stableJson(entry.jsonSchema) !== stableJson(current.schema)) {
      problems.push(stale(event.node.path, `event '${event.name}' changed compatibly since ${lockFile}`, 'the next change would be compared with the older shape'));
    }
  }
  for (const name of Object.keys(locked).sort()) {
    if (model.eventContracts.some((e) => e.name === name)) continue;
    problems.push(stale('', `event '${name}' is in ${lockFile} but no longer in the model`, 'subscribers outside the system may still read it; the lock should say it is gone'));
  }
  return problems;
};

/** No lock file: breaking-change detection (events here, gRPC in buf-breaking) is off; say so. */
function missingLock(model: Parameters<Check>[0]): Problem[] {
  const contracts = model.eventContracts.length + model.grpcContracts.length;
  const { lockFile, breakingAgainst } = model.contractSources;
  if (contracts === 0) return [];
  return [
    {
      severity: 'warning',
      code: 'contracts-lock-missing',
      path: '',
      message: `there is no ${lockFile}: breaking changes to the ${contracts} contract${contracts === 1 ? '' : 's'} go undetected${breakingAgainst ? ` (gRPC is still compared with ${breakingAgainst}; events are not)` : ''}`,
      why: 'events and gRPC services are compared with the shapes recorded in the lock file; without one there is no baseline',
      fix: `run \`polyglot contracts lock\` in the system's folder and commit ${lockFile}`,
    },
  ];
}
