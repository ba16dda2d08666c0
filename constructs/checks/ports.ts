import type { Problem } from '../core/problems.js';
import type { Check } from '../extension.js';
import { defaultPorts } from '../services/runtime.js';

/** Two listeners on one port cannot both bind; the second would crash at start-up. */
export const portClashes: Check = (model) => {
  const problems: Problem[] = [];
  for (const service of model.services) {
    const byPort = new Map<number, string[]>();
    for (const [name, port] of Object.entries(service.ports)) {
      if (port === undefined) continue;
      byPort.set(port, [...(byPort.get(port) ?? []), name]);
    }
    for (const [port, names] of byPort) {
      if (names.length < 2) continue;
      problems.push({
        severity: 'error',
        code: 'port-clash',
        path: service.node.path,
        message: `ports ${names.join(' and ')} are both ${port}`,
        why: 'two listeners cannot bind one port; the container would fail at start-up',
        fix: `give each its own port in \`ports\` (the ${service.runtime} defaults are ${JSON.stringify(service.profile && defaultPorts(service.profile, service.serves.length > 0))})`,
      });
    }
  }
  return problems;
};
