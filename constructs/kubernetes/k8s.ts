import { ApiObject, JsonPatch, type ApiObjectMetadata, type ApiObjectMetadataDefinition } from 'cdk8s';
import type { k8s as api } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

/**
 * polyglot's Kubernetes objects: the typed props of cdk8s-plus-28's generated `k8s` classes (so
 * the compiler still checks every field), serialized as the plain JSON they already are.
 *
 * The generated classes send every object through cdk8s' token resolution, a sanitizing copy and
 * a generated converter per type; at a thousand services that was half of synth. polyglot's
 * objects hold no tokens or lazy values, so none of it is needed: the output is the same bytes
 * (keys sorted at every level, top-level `apiVersion`, `kind`, `metadata` first, `null` and
 * `undefined` dropped, JSON patches applied), which the jvn snapshot test pins. Only types are
 * imported from cdk8s-plus-28: loading it cost every run a fifth of a second.
 *
 * Use as `import * as k8s from './k8s.js'`, then `new k8s.KubeDeployment(scope, id, props)`.
 */

/** An object of one kind, rendered from its props without token resolution. */
export class KubeObject<P extends { readonly metadata?: ApiObjectMetadata }> extends ApiObject {
  private readonly body: Omit<P, 'metadata'>;
  private readonly ownPatches: JsonPatch[] = [];

  constructor(scope: Construct, id: string, gvk: { readonly apiVersion: string; readonly kind: string }, props: P) {
    super(scope, id, { ...gvk, ...props });
    const { metadata: _metadata, ...body } = props;
    this.body = body;
  }

  override addJsonPatch(...ops: JsonPatch[]): void {
    this.ownPatches.push(...ops);
  }

  override toJson(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: metadataJson(this.metadata),
      ...(plainJson(this.body) as Record<string, unknown>),
    };
    if (this.ownPatches.length === 0) return json;
    const patched = JsonPatch.apply(json, ...this.ownPatches) as Record<string, unknown>;
    const { apiVersion, kind, metadata, ...rest } = patched;
    return Object.fromEntries(Object.entries({ apiVersion, kind, metadata, ...rest }).filter(([, v]) => v !== undefined));
  }
}

/** The class of one kind: `new k8s.KubeDeployment(scope, id, props)`. */
export type KubeKind<P extends { readonly metadata?: ApiObjectMetadata }> = new (scope: Construct, id: string, props: P) => KubeObject<P>;

/**
 * `metadata.toJson()` without its token resolution (a third of the time of writing an object):
 * the same fields, empty ones left out. The state is read from cdk8s' metadata object, so labels
 * or annotations added through its public methods after construction are written too;
 * test/constructs/k8s-objects.test.ts fails if cdk8s moves that state.
 */
function metadataJson(metadata: ApiObjectMetadataDefinition): unknown {
  const state = metadata as unknown as MetadataState;
  const nonEmpty = <T extends object>(value: T) => (Object.keys(value).length > 0 ? value : undefined);
  return plainJson({
    ...state._additionalAttributes,
    name: metadata.name,
    namespace: metadata.namespace,
    annotations: nonEmpty(state.annotations),
    finalizers: nonEmpty(state.finalizers),
    ownerReferences: nonEmpty(state.ownerReferences),
    labels: nonEmpty(state.labels),
  });
}

/** The fields of cdk8s' `ApiObjectMetadataDefinition` (private in its types) that `toJson()` writes. */
interface MetadataState {
  readonly _additionalAttributes: Record<string, unknown>;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly finalizers: string[];
  readonly ownerReferences: object[];
}

/** A class per kind, with the generated class's props type and the kind's apiVersion. */
function kind<P extends { readonly metadata?: ApiObjectMetadata }>(apiVersion: string, kindName: string): KubeKind<P> {
  const gvk = { apiVersion, kind: kindName };
  return class extends KubeObject<P> {
    constructor(scope: Construct, id: string, props: P) {
      super(scope, id, gvk, props);
    }
  };
}

export const KubeNamespace = kind<api.KubeNamespaceProps>('v1', 'Namespace');
export const KubeServiceAccount = kind<api.KubeServiceAccountProps>('v1', 'ServiceAccount');
export const KubeConfigMap = kind<api.KubeConfigMapProps>('v1', 'ConfigMap');
export const KubeService = kind<api.KubeServiceProps>('v1', 'Service');
export const KubeDeployment = kind<api.KubeDeploymentProps>('apps/v1', 'Deployment');
export const KubeStatefulSet = kind<api.KubeStatefulSetProps>('apps/v1', 'StatefulSet');
export const KubeDaemonSet = kind<api.KubeDaemonSetProps>('apps/v1', 'DaemonSet');
export const KubePodDisruptionBudget = kind<api.KubePodDisruptionBudgetProps>('policy/v1', 'PodDisruptionBudget');
export const KubeHorizontalPodAutoscalerV2 = kind<api.KubeHorizontalPodAutoscalerV2Props>('autoscaling/v2', 'HorizontalPodAutoscaler');
export const KubeIngress = kind<api.KubeIngressProps>('networking.k8s.io/v1', 'Ingress');
export const KubeNetworkPolicy = kind<api.KubeNetworkPolicyProps>('networking.k8s.io/v1', 'NetworkPolicy');
export const KubeClusterRole = kind<api.KubeClusterRoleProps>('rbac.authorization.k8s.io/v1', 'ClusterRole');
export const KubeClusterRoleBinding = kind<api.KubeClusterRoleBindingProps>('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding');

/** What the generated `IntOrString` and `Quantity` hold: written as their bare value. */
class BareValue {
  constructor(readonly value: string | number) {}
}

/**
 * An `IntOrString` or `Quantity` made by cdk8s-plus-28 itself (extensions may pass them in a
 * wiring's egress rules): known by the jsii type name its classes carry, so the package need not
 * be loaded to recognise them.
 */
function isGeneratedValue(value: object): value is { value: string | number } {
  const fqn = (value.constructor as unknown as Record<symbol, { fqn?: string } | undefined> | undefined)?.[Symbol.for('jsii.rtti')]?.fqn;
  return fqn !== undefined && /\.k8s\.(IntOrString|Quantity)$/.test(fqn) && 'value' in value;
}

/** Drop-in for `k8s.IntOrString` of cdk8s-plus-28. */
export const IntOrString = {
  fromNumber: (value: number) => new BareValue(value) as unknown as api.IntOrString,
  fromString: (value: string) => new BareValue(value) as unknown as api.IntOrString,
};

/** Drop-in for `k8s.Quantity` of cdk8s-plus-28. */
export const Quantity = {
  fromNumber: (value: number) => new BareValue(value) as unknown as api.Quantity,
  fromString: (value: string) => new BareValue(value) as unknown as api.Quantity,
};

export type IntOrString = api.IntOrString;
export type Quantity = api.Quantity;
export type Container = api.Container;
export type EnvVar = api.EnvVar;
export type EnvVarSource = api.EnvVarSource;
export type NetworkPolicyEgressRule = api.NetworkPolicyEgressRule;
export type NetworkPolicyPeer = api.NetworkPolicyPeer;
export type NetworkPolicyPort = api.NetworkPolicyPort;
export type PodDisruptionBudgetSpec = api.PodDisruptionBudgetSpec;
export type PodSecurityContext = api.PodSecurityContext;
export type PodSpec = api.PodSpec;
export type PodTemplateSpec = api.PodTemplateSpec;
export type Probe = api.Probe;
export type SecurityContext = api.SecurityContext;
export type Volume = api.Volume;
export type VolumeMount = api.VolumeMount;

/**
 * JSON as cdk8s writes it: keys sorted at every level, `null` and `undefined` left out,
 * `IntOrString`/`Quantity` as their value, and the few props whose TypeScript name differs from
 * the API's field (`clusterIp` is `clusterIP`) renamed back. Anything else that is not plain
 * data is a bug here.
 */
export function plainJson(value: unknown, freeForm = false): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value ?? undefined;
  if (value instanceof BareValue || isGeneratedValue(value)) return value.value;
  if (Array.isArray(value)) return value.map((item) => plainJson(item));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new Error(`cannot write a ${(value as object).constructor?.name ?? 'non-plain'} object into a Kubernetes manifest`);
  }
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  const out: Record<string, unknown> = {};
  if (freeForm || !keys.some((key) => RENAMED.has(key))) {
    // The common case: the keys are the fields, and the native sort is the fastest.
    for (const key of keys.sort()) {
      const item = source[key];
      if (item === undefined || item === null) continue;
      const json = typeof item === 'object' ? plainJson(item, FREE_FORM_MAPS.has(key)) : item;
      if (json !== undefined) out[key] = json;
    }
    return out;
  }
  const byField = new Map(keys.map((key) => [RENAMED.get(key) ?? key, key]));
  for (const field of [...byField.keys()].sort()) {
    const json = plainJson(source[byField.get(field)!], FREE_FORM_MAPS.has(field));
    if (json !== undefined) out[field] = json;
  }
  return out;
}

/** Fields whose keys are the user's (labels, config file names…): never renamed. */
const FREE_FORM_MAPS = new Set(['annotations', 'binaryData', 'data', 'labels', 'matchLabels', 'nodeSelector', 'selector', 'stringData']);

/**
 * Props of cdk8s-plus-28's `k8s` types named unlike their API field, TypeScript name → API name.
 * Every such pair of the generated converters; test/constructs/k8s-objects.test.ts re-reads them
 * from the installed cdk8s-plus-28 and fails when this table is out of date.
 */
export const API_FIELD_NAMES: Readonly<Record<string, string>> = {
  clusterIp: 'clusterIP',
  datasetUuid: 'datasetUUID',
  diskUri: 'diskURI',
  externalId: 'externalID',
  hostIp: 'hostIP',
  hostIpc: 'hostIPC',
  hostPid: 'hostPID',
  insecureSkipTlsVerify: 'insecureSkipTLSVerify',
  loadBalancerIp: 'loadBalancerIP',
  nodeId: 'nodeID',
  nonResourceUrLs: 'nonResourceURLs',
  pdId: 'pdID',
  podCidr: 'podCIDR',
  podCidRs: 'podCIDRs',
  providerId: 'providerID',
  setHostnameAsFqdn: 'setHostnameAsFQDN',
  storagePolicyId: 'storagePolicyID',
  targetCpuUtilizationPercentage: 'targetCPUUtilizationPercentage',
  targetWwNs: 'targetWWNs',
  volumeId: 'volumeID',
  xKubernetesEmbeddedResource: 'x-kubernetes-embedded-resource',
  xKubernetesIntOrString: 'x-kubernetes-int-or-string',
  xKubernetesListMapKeys: 'x-kubernetes-list-map-keys',
  xKubernetesListType: 'x-kubernetes-list-type',
  xKubernetesMapType: 'x-kubernetes-map-type',
  xKubernetesPreserveUnknownFields: 'x-kubernetes-preserve-unknown-fields',
  xKubernetesValidations: 'x-kubernetes-validations',
};
const RENAMED = new Map(Object.entries(API_FIELD_NAMES));
