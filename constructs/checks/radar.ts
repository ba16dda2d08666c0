import type { Problem } from '../core/problems.js';
import type { Check } from '../extension.js';

/** The technology radar: no new services on a `rescue` runtime, a warning on `watch`. */
export const runtimeRadar: Check = (model) => {
  const problems: Problem[] = [];
  for (const service of model.services) {
    const profile = service.profile!;
    if (profile.radar === 'use') continue;
    problems.push({
      severity: profile.radar === 'rescue' ? 'error' : 'warning',
      code: `radar-${profile.radar}`,
      path: service.node.path,
      message: `runtime '${profile.runtime}' is on the radar as '${profile.radar}'`,
      why:
        profile.radar === 'rescue'
          ? 'rescue runtimes get no new services: the team is moving off them'
          : 'watch runtimes are allowed where they already run, not for new work',
      fix: `move the service to a runtime marked 'use', or change the radar status of '${profile.runtime}' if the team decided so`,
    });
  }
  return problems;
};
