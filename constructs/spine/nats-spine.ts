import { Chart } from 'cdk8s';
import { DOMAIN_LABEL } from '../kubernetes/labels.js';
import { synthesizeLockedDownNamespace } from '../kubernetes/namespace.js';
import type { SynthContext, Synthesizer, System } from '../system.js';
import { clusterChecks, durableSubscriptions, natsUserNames, streamNames } from './checks.js';
import { natsClientWiring, natsSecrets } from './credentials.js';
import { synthesizeJetStreamResources } from './jetstream-resources.js';
import { synthesizeNatsCluster } from './kubernetes.js';
import { natsLabels, natsSelector } from './labels.js';
import { NATS } from './names.js';
import { synthesizeNatsNetworkPolicy } from './network-policy.js';
import type { NatsSpineSettings } from './props.js';
import { natsClients, natsServerConfig, natsUsers } from './server-config.js';

const SPINE = Symbol.for('polyglot.NatsSpine');

/**
 * The event spine: a NATS cluster with JetStream in its own namespace, `<system>-nats`, and one
 * output file. Its server config gives every service that uses events a user whose permissions
 * are derived from the service's declared contracts; its streams and consumers are NACK resources.
 * The System creates it; it synthesizes nothing when no service publishes or subscribes.
 */
export class NatsSpine extends Chart implements Synthesizer {
  /** The namespace, `<system>-nats`. */
  override readonly namespace: string;
  readonly settings: NatsSpineSettings;
  private readonly ingressControllerNamespace: string;

  /** cdk8s' Chart answers `instanceof` for every chart; the spine must only match itself. */
  static override [Symbol.hasInstance](value: unknown): value is NatsSpine {
    return Chart.isChart(value) && SPINE in value;
  }

  /** @internal the System creates the spine from its `nats` prop */
  constructor(system: System, settings: NatsSpineSettings) {
    const namespace = `${system.name}-${NATS}`;
    super(system, namespace, { namespace, disableResourceNameHashes: true });
    Object.defineProperty(this, SPINE, { value: true });
    this.namespace = namespace;
    this.settings = settings;
    this.ingressControllerNamespace = system.ingressControllerNamespace;
  }

  synthesize(context: SynthContext): void {
    const { model } = context;
    const clients = natsClients(model);
    if (clients.length === 0) return;

    // `nats:2.11.17-alpine` is NATS 2.11.17: the variant is not part of the version.
    const version = this.settings.image.split(':').pop()!.replace(/-.*$/, '');
    const labels = (component: string) => natsLabels(model.name, this.namespace, version, component);
    const selector = natsSelector(this.namespace);
    const config = natsServerConfig(model, this.settings);

    const namespace = synthesizeLockedDownNamespace(
      this,
      this.namespace,
      { 'app.kubernetes.io/part-of': model.name, 'app.kubernetes.io/managed-by': 'polyglot', [DOMAIN_LABEL]: NATS },
      'NATS event spine: servers, JetStream streams and consumers.',
    );
    synthesizeNatsCluster(this, { settings: this.settings, config, users: natsUsers(model), labels: labels('event-spine'), selector });
    synthesizeNatsNetworkPolicy(this, {
      clients,
      settings: this.settings,
      ingressControllerNamespace: this.ingressControllerNamespace,
      labels: labels('event-spine'),
      selector,
    });
    synthesizeJetStreamResources(this, model, labels);
    // The namespace must come first in the file: `kubectl apply -f` creates objects in order.
    for (const child of this.node.children) if (child !== namespace) child.node.addDependency(namespace);
    context.addFile('nats/nats.conf', config);
    for (const secret of natsSecrets(model, this.namespace)) context.requireSecret(secret);
  }
}

/**
 * Gives a System its event spine: the services' NATS wiring (credentials, egress) and the stream
 * checks always (they hold for any NATS the services connect to), the cluster itself when enabled.
 */
export function addNatsSpine(system: System, settings: NatsSpineSettings): void {
  system.addWorkloadWiring(natsClientWiring);
  // Overlapping stream subjects are caught by the system-wide subject-clash check: two events
  // that can carry one subject clash whether or not they keep streams.
  for (const check of [streamNames, durableSubscriptions, natsUserNames]) system.addCheck(check);
  if (!settings.enabled) return;
  const spine = new NatsSpine(system, settings);
  system.addSynthesizer(spine);
  system.addCheck(clusterChecks(settings.replicas));
}
