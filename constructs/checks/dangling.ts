import type { Problem } from '../core/problems.js';
import type { Check } from '../extension.js';

/**
 * Every call must reach exactly one server, and every subscription must have a publisher:
 * a contract nobody implements is a run-time failure waiting to happen.
 */
export const danglingEdges: Check = (model) => {
  const problems: Problem[] = [];
  for (const service of model.services) {
    service.calls.forEach((call, i) => {
      const servers = model.serversOf(call.contract);
      if (servers.length === 0) {
        problems.push({
          severity: 'error',
          code: 'dangling-call',
          path: service.node.path,
          message: `calls[${i}] calls contract '${call.contract.name}' (${call.contract.service}), which no service serves`,
          why: 'every call would fail with UNAVAILABLE at run time',
          fix: `add the contract to \`serves\` of the service that implements ${call.contract.service}, or remove the call`,
        });
      } else if (servers.length > 1) {
        problems.push({
          severity: 'error',
          code: 'ambiguous-server',
          path: service.node.path,
          message: `calls[${i}] calls contract '${call.contract.name}', which is served by ${servers.length} services: ${servers.map((s) => `${s.domain.name}/${s.name}`).join(', ')}`,
          why: 'a contract has one owner; callers and network policies cannot pick between two',
          fix: 'keep one server per contract; to migrate a runtime, give the new implementation a new contract version',
        });
      }
    });
    service.subscribes.forEach((subscription, i) => {
      if (model.publishersOf(subscription.event).length === 0) {
        problems.push({
          severity: 'error',
          code: 'dangling-subscription',
          path: service.node.path,
          message: `subscribes[${i}] subscribes to event '${subscription.event.name}' (${subscription.event.subject}), which no service publishes`,
          why: 'the subscriber would wait for messages that never come',
          fix: `add the event to \`publishes\` of the service that emits it, or remove the subscription`,
        });
      }
    });
  }
  return problems;
};
