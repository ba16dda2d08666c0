import { natsClientUrl, natsConsumerName, natsCredentials, natsEndpoint, natsInboxPrefix, natsUser, usesEvents } from './client.js';
import type { WorkloadWiring } from '../extension.js';
import type { SystemModel } from '../model.js';
import type { RequiredSecret } from '../extension.js';
import { NATS_ROUTE_SECRET, NATS_USERS_SECRET } from './names.js';
import { NATS_BCRYPT } from './password-hash.js';
import type { NatsSpineSettings } from './props.js';
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
    subscribes: workload.subscribes.map((s) => {
      const ordered = s.delivery === 'broadcast' && s.event.stream !== undefined;
      return {
        event: s.event.name,
        subject: s.event.subjectPattern,
        version: s.event.version,
        delivery: s.delivery,
        queueGroup: s.delivery === 'queue' ? s.queueGroup : undefined,
        durable: s.durable,
        stream: s.durable || ordered ? s.event.stream?.name : undefined,
        consumer: s.durable ? natsConsumerName(workload) : undefined,
        replay: ordered ? s.replay : undefined,
        podSubject: s.delivery === 'pod' ? podSubject(s.event.subject) : undefined,
      };
    }),
    nats: usesEvents(workload)
      ? { url: natsClientUrl(model), inboxPrefix: natsInboxPrefix(workload), user: natsUser(workload), passwordEnv: natsCredentials(workload).env }
      : undefined,
  }),
};

/**
 * The subject a pod subscribes to for `pod` delivery: the event's subject with `{pod}` kept for
 * the service to fill with its pod name ($POD_NAME) and every other token a wildcard.
 */
function podSubject(subject: string): string {
  return subject
    .split('.')
    .map((token) => (token === '{pod}' ? token : /^\{.*\}$/.test(token) ? '*' : token))
    .join('.');
}

/**
 * The Secrets the spine needs and never writes: each service's `<service>-nats` (key
 * `password`) in its own namespace; `nats-users` in the spine's namespace with one key per user
 * holding the bcrypt hash of that user's password (the servers need no plaintext); `nats-route`
 * with the route password the servers share; and, with `routeTls`, the route certificates.
 */
export function natsSecrets(model: SystemModel, namespace: string, settings: NatsSpineSettings): RequiredSecret[] {
  const perService = natsClients(model).map((service): RequiredSecret => {
    const { secret, key } = natsCredentials(service);
    return { namespace: service.namespace, name: secret, type: 'generated', keys: { [key]: `nats-user:${natsUser(service)}` }, purpose: `NATS password of ${service.name} (as $NATS_PASSWORD)` };
  });
  const users = Object.fromEntries(natsUsers(model).map((user) => [user, `${NATS_BCRYPT}nats-user:${user}`]));
  const route: RequiredSecret[] =
    settings.replicas > 1
      ? [{ namespace, name: NATS_ROUTE_SECRET, type: 'generated', keys: { password: 'nats-route' }, purpose: 'the route password the NATS servers authenticate each other with' }]
      : [];
  const tls: RequiredSecret[] = settings.routeTls
    ? [{ namespace, name: settings.routeTls.secretName, type: 'tls', keys: { 'tls.crt': 'tls:nats-route', 'tls.key': 'tls:nats-route', 'ca.crt': 'tls:nats-route' }, purpose: 'mutual TLS between the NATS servers (routes)' }]
    : [];
  return [
    ...perService,
    { namespace, name: NATS_USERS_SECRET, type: 'generated', keys: users, purpose: 'the bcrypt hash of every NATS user\'s password, read by the NATS servers' },
    ...route,
    ...tls,
  ];
}
