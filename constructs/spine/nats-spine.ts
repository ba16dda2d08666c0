import { Chart } from 'cdk8s';
import { brand, hasBrand } from '../core/brand.js';
import { DOMAIN_LABEL } from '../kubernetes/labels.js';
import { synthesizeLockedDownNamespace } from '../kubernetes/namespace.js';
import type { SynthContext, Synthesizer, SystemExtensions } from '../extension.js';
import { clusterChecks, deliveryModes, durableSubscriptions, natsUserNames, streamNames } from './checks.js';
import { natsClientWiring, natsSecrets } from './credentials.js';
import { synthesizeJetStreamResources } from './jetstream-resources.js';
import { synthesizeNatsCluster } from './kubernetes.js';
import { natsLabels, natsSelector } from './labels.js';
import { NATS } from './names.js';
import { synthesizeNatsNetworkPolicy } from './network-policy.js';
import type { NatsSpineSettings } from './props.js';
import { jetStreamStore, natsClients, natsServerConfig, natsUsers, routeUrls } from './server-config.js';
import { streamBudget } from './streams.js';

const SPINE = Symbol.for('polyglot.NatsSpine');

/**
 * The event spine: a NATS cluster with JetStream in its own namespace, `<system>-nats`, and one
 * output file. Its server config gives every service that uses events a user whose permissions
 * are derived from the service's declared contracts; its streams and consumers are NACK resources.
 * The SystemExtensions creates it; it synthesizes nothing when no service publishes or subscribes.
 */
export class NatsSpine extends Chart implements Synthesizer {
  /** The namespace, `<system>-nats`. */
  override readonly namespace: string;
  readonly settings: NatsSpineSettings;
  private readonly ingressControllerNamespace: string;

  /** True for a NatsSpine, also one from another copy of polyglot. */
  static isNatsSpine(value: unknown): value is NatsSpine {
    return hasBrand(value, SPINE);
  }

  /** @internal the SystemExtensions creates the spine from its `nats` prop */
  constructor(system: SystemExtensions, settings: NatsSpineSettings) {
    const namespace = `${system.name}-${NATS}`;
    super(system, namespace, { namespace, disableResourceNameHashes: true });
    brand(this, SPINE);
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
    synthesizeNatsCluster(this, { settings: this.settings, config, users: natsUsers(model), routes: routeUrls(model, this.settings), labels: labels('event-spine'), selector });
    synthesizeNatsNetworkPolicy(this, {
      clients,
      settings: this.settings,
      ingressControllerNamespace: this.ingressControllerNamespace,
      labels: labels('event-spine'),
      selector,
    });
    synthesizeJetStreamResources(this, model, streamBudget(model, jetStreamStore(this.settings)), this.settings.replicas, labels);
    // The namespace must come first in the file: `kubectl apply -f` creates objects in order.
    for (const child of this.node.children) if (child !== namespace) child.node.addDependency(namespace);
    context.addFile('nats/nats.conf', config);
    for (const secret of natsSecrets(model, this.namespace, this.settings)) context.requireSecret(secret);
  }
}

/**
 * Gives a SystemExtensions its event spine: the services' NATS wiring (credentials, egress) and the stream
 * checks always (they hold for any NATS the services connect to), the cluster itself when enabled.
 */
export function addNatsSpine(system: SystemExtensions, settings: NatsSpineSettings): void {
  system.addWorkloadWiring(natsClientWiring);
  // Overlapping stream subjects are caught by the system-wide subject-clash check: two events
  // that can carry one subject clash whether or not they keep streams.
  for (const check of [streamNames, durableSubscriptions, natsUserNames, deliveryModes]) system.addCheck(check);
  if (!settings.enabled) return;
  const spine = new NatsSpine(system, settings);
  system.addSynthesizer(spine);
  system.addCheck(clusterChecks(settings));
}
