import { runBuf, type BufOutcome } from '../contracts/buf.js';
import { cachedBufOutcome } from '../contracts/buf-cache.js';
import { readLock } from '../contracts/lock.js';
import { protoSourcesDigest } from '../contracts/proto-digest.js';
import type { Problem } from '../core/problems.js';
import { bufModuleOf } from './buf-module.js';
import { bufFailure, contractPathOf, lintOutcome, location } from './buf-lint.js';
import type { Check } from '../extension.js';

/**
 * The protos must not break their baseline: `contracts.breakingAgainst` (a git ref or a saved
 * image) or else the image in the lock file. A breaking change needs a new package version
 * (`…v2`) beside the old one, which buf sees as an addition. No baseline yet, nothing to compare.
 */
export const bufBreaking: Check = (model) => {
  const lookup = bufModuleOf(model);
  if (!('module' in lookup) || !lookup.module) return [];
  // buf reports a file that does not compile under every command; lint has reported it already.
  const lint = lintOutcome(model);
  if (lint && 'violations' in lint && lint.violations.some((v) => v.type === 'COMPILE')) return [];

  const { root, breakingAgainst, lockFile } = model.contractSources;
  let outcome: BufOutcome;
  if (breakingAgainst !== undefined) {
    outcome = runBuf(['breaking', lookup.module.dir, '--against', breakingAgainst], root);
  } else {
    const read = readLock(model);
    if (!('lock' in read) || !read.lock?.grpc) return [];
    // The protos are byte for byte those the lock's image was built from: an image compared with
    // itself has no breaking change, so buf need not run (a fresh clone's CI, most synths).
    if (read.lock.grpc.sourcesSha256 !== undefined && read.lock.grpc.sourcesSha256 === protoSourcesDigest(root, lookup.module.dir)) return [];
    // The baseline is the lock's image, read here: the cache can cover it (a git ref could not).
    const args = ['breaking', lookup.module.dir, '--against', '-#format=json'];
    const image = JSON.stringify(read.lock.grpc.image);
    outcome = cachedBufOutcome({ root, moduleDir: lookup.module.dir, args, stdin: image }, () => runBuf(args, root, image));
  }
  if ('failure' in outcome) return [bufFailure(outcome.failure)];
  const baseline = breakingAgainst ?? `the image in ${lockFile}`;
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
