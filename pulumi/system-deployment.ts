import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { SynthError, formatProblems, type RequiredSecret, type System } from '../constructs/index.js';
import { deployPlan, type DeployPlan, type KubeObject } from './deploy-plan.js';
import { generatedSecrets } from './generated-secrets.js';
import { readDeploySettings, type DeploySettings } from './settings.js';

/** Arguments of a {@link SystemDeployment}. */
export interface SystemDeploymentArgs {
  /** Builds the System for this stack. Pass the settings into the model with `withSystemSettings`
   * and `withServiceSettings`, so the checks and the synthesis see them. */
  readonly system: (settings: DeploySettings) => System;
  /** The environment-specific values.
   * @default - read from the stack config (`polyglot:*`, see {@link readDeploySettings}) */
  readonly settings?: DeploySettings;
  /** CustomResourceDefinitions (YAML) the system's objects need, deployed first: NACK's
   * `jetstream.nats.io` CRDs when the system has events.
   * @default - none: the CRDs are installed with NACK, outside this stack */
  readonly crds?: string;
  /** Mark every object ready as soon as the API server has it (`pulumi.com/skipAwait`), instead
   * of waiting for Deployments to become available. For clusters with no nodes (tests).
   * @default false */
  readonly skipAwait?: boolean;
}

/**
 * A polyglot System deployed with @pulumi/kubernetes: every synthesized object is one Pulumi
 * resource, applied in the safe order of {@link DeployPlan} (CRDs and Namespaces, then the
 * generated Secrets, the NATS spine and telemetry, then the domains), and the Secrets the system
 * needs are made with random values that stay Pulumi secrets.
 */
export class SystemDeployment extends pulumi.ComponentResource {
  /** The System as built for this stack. */
  readonly system: System;
  /** The objects, in the order they are applied. */
  readonly plan: DeployPlan;
  /** One resource group per step of the order. */
  readonly foundation: k8s.yaml.ConfigGroup;
  readonly platform: k8s.yaml.ConfigGroup;
  readonly domains: k8s.yaml.ConfigGroup;
  /** The generated Secrets (values are secret outputs). */
  readonly secrets: readonly k8s.core.v1.Secret[];

  constructor(name: string, args: SystemDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('polyglot:index:SystemDeployment', name, {}, opts);
    const settings = args.settings ?? readDeploySettings();
    this.system = args.system(settings);
    checkImageTags(this.system, settings);
    checkSettingsApplied(this.system, settings);
    checkReplicaFloor(this.system, settings);
    this.plan = planOrExplain(this.system, args.crds);

    const transformations = args.skipAwait ? [skipAwait] : [];
    const group = (step: string, objects: readonly KubeObject[], dependsOn: pulumi.Resource[]) =>
      new k8s.yaml.ConfigGroup(`${name}-${step}`, { objs: objects.map(clone), transformations }, { parent: this, dependsOn });

    this.foundation = group('foundation', this.plan.foundation, []);
    this.secrets = generatedSecrets(this.plan.generatedSecrets, { parent: this, dependsOn: [this.foundation] });
    this.platform = group('platform', this.plan.platform, [this.foundation, ...this.secrets]);
    this.domains = group('domains', this.plan.domains, [this.platform, ...this.secrets]);
    for (const secret of this.plan.userSecrets) pulumi.log.warn(userSecretHint(secret), this);
    this.registerOutputs({});
  }
}

/** How to create a Secret whose values the user brings (the same hints as `polyglot secrets`). */
function userSecretHint(secret: RequiredSecret): string {
  if (secret.type === 'tls') {
    return `bring your own certificate: kubectl -n ${secret.namespace} create secret tls ${secret.name} --cert=<file> --key=<file>   # ${secret.purpose}`;
  }
  const literals = Object.keys(secret.keys).map((key) => `--from-literal=${key}=<${key}>`).join(' ');
  return `bring the values you already have: kubectl -n ${secret.namespace} create secret generic ${secret.name} ${literals}   # ${secret.purpose}`;
}

/** Synthesizes, turning model problems into one readable error (no stack trace). */
function planOrExplain(system: System, crds: string | undefined): DeployPlan {
  try {
    return deployPlan(system, crds);
  } catch (error) {
    if (error instanceof SynthError) throw new pulumi.RunError(`polyglot: the system has problems, nothing was deployed.\n\n${formatProblems(error.problems)}`);
    throw error;
  }
}

/** A tag for a service that does not exist is a typo that would silently deploy the old image. */
function checkImageTags(system: System, settings: DeploySettings): void {
  const services = new Set(system.services.map((s) => s.name));
  const unknown = Object.keys(settings.imageTags).filter((name) => !services.has(name));
  if (unknown.length === 0) return;
  throw new pulumi.RunError(
    `polyglot: polyglot:imageTags names ${unknown.map((n) => `'${n}'`).join(', ')}, which ${unknown.length === 1 ? 'is not a service' : 'are not services'} of ${system.name}` +
      ` (services: ${[...services].sort().join(', ')}); fix the names with \`pulumi config set --path polyglot:imageTags.<service> <tag>\``,
  );
}

/**
 * A setting the system function did not pass into the model would deploy something else than the
 * stack says, silently: each one must show in the System it returned.
 */
function checkSettingsApplied(system: System, settings: DeploySettings): void {
  const ignored: string[] = [];
  if (settings.version !== undefined && system.version !== settings.version) ignored.push(`polyglot:version (${settings.version}; the system has ${system.version})`);
  if (settings.environment !== undefined && system.environment !== settings.environment) {
    ignored.push(`polyglot:environment (${settings.environment}; the system has ${system.environment})`);
  }
  for (const [service, tag] of Object.entries(settings.imageTags)) {
    const found = system.services.find((s) => s.name === service);
    if (found && found.version !== tag) ignored.push(`polyglot:imageTags.${service} (${tag}; the service has ${found.version})`);
  }
  if (ignored.length === 0) return;
  throw new pulumi.RunError(
    `polyglot: the system function did not apply ${ignored.join(', ')}` +
      '; build the System with withSystemSettings(props, settings) and each service with withServiceSettings(name, props, settings), or remove the config value',
  );
}

/**
 * The floor is a promise about the deployed system: a service whose props did not go through
 * `withServiceSettings`, or whose runtime sizes its own autoscaler (ElixirFanout from its
 * connections), would silently run fewer.
 */
function checkReplicaFloor(system: System, settings: DeploySettings): void {
  const floor = settings.replicaFloor;
  if (floor === undefined) return;
  const below = system.services.filter((s) => s.valid && (s.autoscaling?.minReplicas ?? s.replicas) < floor);
  if (below.length === 0) return;
  throw new pulumi.RunError(
    `polyglot: polyglot:replicaFloor is ${floor}, but ${below.map((s) => `${system.name}/${s.node.path} runs ${s.autoscaling?.minReplicas ?? s.replicas}`).join(', ')}` +
      `; pass the service's props through withServiceSettings(), give it autoscaling with minReplicas >= ${floor}, or lower the floor`,
  );
}

/** ConfigGroup transformations change the object they are given: each group gets its own copy. */
function clone(object: KubeObject): KubeObject {
  return structuredClone(object) as KubeObject;
}

function skipAwait(object: { metadata?: { annotations?: Record<string, string> } }): void {
  if (!object.metadata) return;
  object.metadata.annotations = { ...object.metadata.annotations, 'pulumi.com/skipAwait': 'true' };
}
