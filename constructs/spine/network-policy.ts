import type { Chart } from 'cdk8s';
import * as k8s from '../kubernetes/k8s.js';
import { NAMESPACE_NAME_LABEL, selectorLabels } from '../kubernetes/labels.js';
import type { Workload } from '../services/workload.js';
import { NATS, PORTS } from './names.js';
import type { NatsSpineSettings } from './props.js';

/** Who may reach the NATS servers, besides each other. */
export interface NatsPeers {
  /** The services that publish or subscribe: the only clients let in. */
  readonly clients: readonly Workload[];
  readonly settings: NatsSpineSettings;
  /** Namespace of the ingress controller, for the websocket listener. */
  readonly ingressControllerNamespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
}

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const namespace = (name: string): k8s.NetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } });

/**
 * The servers' allow rules on top of the namespace's default deny: clients in from exactly the
 * pods of the services that use events (and the NACK controller), routes between the servers,
 * monitoring from within the namespace, and the websocket listener from the ingress controller.
 */
export function synthesizeNatsNetworkPolicy(chart: Chart, peers: NatsPeers): void {
  const servers: k8s.NetworkPolicyPeer = { podSelector: { matchLabels: peers.selector } };
  const clients: k8s.NetworkPolicyPeer[] = [
    ...peers.clients.map((service) => ({ ...namespace(service.namespace), podSelector: { matchLabels: selectorLabels(service) } })),
    namespace(peers.settings.controllerNamespace),
  ];
  const websocket = peers.settings.websocket;
  new k8s.KubeNetworkPolicy(chart, 'network-policy', {
    metadata: { name: NATS, labels: peers.labels },
    spec: {
      podSelector: { matchLabels: peers.selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: clients, ports: [tcp(PORTS.client)] },
        { from: [servers], ports: [tcp(PORTS.cluster)] },
        { from: [{ podSelector: {} }], ports: [tcp(PORTS.monitor)] },
        ...(websocket ? [{ from: [namespace(peers.ingressControllerNamespace)], ports: [tcp(websocket.port)] }] : []),
      ],
      egress: [{ to: [servers], ports: [tcp(PORTS.cluster)] }],
    },
  });
}
