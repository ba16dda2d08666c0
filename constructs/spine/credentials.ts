import { natsClientUrl, natsConsumerName, natsCredentials, natsEndpoint, natsInboxPrefix, natsUser, usesEvents } from './client.js';
import type { WorkloadWiring } from '../extension.js';
import type { SystemModel } from '../model.js';
import type { RequiredSecret } from '../extension.js';
import { NATS_USERS_SECRET } from './names.js';
import { natsClients, natsUsers } from './server-config.js';

/**
 * What every service that publishes or subscribes gets, and no other service does: egress to the
 * NATS client port, and its NATS password from the Secret in its own namespace (the service
 * config names the variable). The Secret is created outside the manifests, so no credential is
 * ever part of the output.
 */
export const natsClientWiring: WorkloadWiring = {
  env: (workload) => {
    if (!usesEvents(workload)) return [];
    const { env, secret, key } = natsCredentials(workload);
    return [{ name: env, valueFrom: { secretKeyRef: { name: secret, key } } }];
  },
  egress: (workload, model) => (usesEvents(workload) ? [natsEndpoint(model)] : []),
  serviceConfig: (workload, model) => ({
    publishes: workload.publishes.map((e) => ({ event: e.name, subject: e.subject, version: e.version, stream: e.stream?.name })),
    subscribes: workload.subscribes.map((s) => ({
      event: s.event.name,
      subject: s.event.subjectPattern,
      version: s.event.version,
      queueGroup: s.queueGroup,
      durable: s.durable,
      stream: s.durable ? s.event.stream?.name : undefined,
      consumer: s.durable ? natsConsumerName(workload) : undefined,
    })),
    nats: usesEvents(workload)
      ? { url: natsClientUrl(model), inboxPrefix: natsInboxPrefix(workload), user: natsUser(workload), passwordEnv: natsCredentials(workload).env }
      : undefined,
  }),
};

/**
 * The Secrets the spine needs and never writes: each service's `<service>-nats` (key
 * `password`) in its own namespace, and `nats-users` in the spine's namespace with one key per
 * user holding the same value as that user's service Secret.
 */
export function natsSecrets(model: SystemModel, namespace: string): RequiredSecret[] {
  const perService = natsClients(model).map((service): RequiredSecret => {
    const { secret, key } = natsCredentials(service);
    return { namespace: service.namespace, name: secret, type: 'generated', keys: { [key]: `nats-user:${natsUser(service)}` }, purpose: `NATS password of ${service.name} (as $NATS_PASSWORD)` };
  });
  const users = Object.fromEntries(natsUsers(model).map((user) => [user, `nats-user:${user}`]));
  return [...perService, { namespace, name: NATS_USERS_SECRET, type: 'generated', keys: users, purpose: 'every NATS user\'s password, read by the NATS servers' }];
}
