// Invariants every pod polyglot writes must hold, services and platform pieces (NATS, collectors)
// alike; kube-score and kube-linter check the same on jvn and a 100-service system
// (test/validators/), these keep them true for the small fixture without the tools.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smallSystem } from '../support/fixtures.js';
import { allObjects, containersOf } from '../support/synth.js';

const containers = containersOf(allObjects(smallSystem().system));

test('the fixture covers services, the NATS servers and both collectors', () => {
  const owners = containers.map((c) => c.owner);
  for (const expected of [/^StatefulSet\/shop-nats\//, /^DaemonSet\/shop-telemetry\/otel-agent/, /^Deployment\/shop-telemetry\/otel-gateway/, /^Deployment\/shop-sales\/orders/]) {
    assert.ok(owners.some((o) => expected.test(o)), `${expected} in ${owners.join(', ')}`);
  }
});

test('no container has identical liveness and readiness probes (a pod that is not ready would also be restarted)', () => {
  for (const { owner, container } of containers) {
    if (!container.livenessProbe) continue;
    const handler = (probe: any) => JSON.stringify({ ...probe, periodSeconds: undefined, failureThreshold: undefined, timeoutSeconds: undefined, successThreshold: undefined, initialDelaySeconds: undefined });
    assert.notEqual(handler(container.livenessProbe), handler(container.readinessProbe), owner);
  }
});

test('every pod runs as a high non-root UID and GID (above 10000: no clash with host users)', () => {
  for (const { owner, container, pod } of containers) {
    for (const [what, id] of [['pod runAsUser', pod.securityContext.runAsUser], ['pod runAsGroup', pod.securityContext.runAsGroup], ['container runAsUser', container.securityContext.runAsUser], ['container runAsGroup', container.securityContext.runAsGroup]] as const) {
      assert.ok(typeof id === 'number' && id > 10_000, `${owner}: ${what} is ${id}`);
    }
  }
});
