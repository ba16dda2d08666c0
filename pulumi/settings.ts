import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import type { OtlpExporterProps, SystemProps, WorkloadProps } from '../constructs/index.js';

/** The stack config namespace the settings are read from: `pulumi config set polyglot:<key> …`. */
export const CONFIG_NAMESPACE = 'polyglot';

/**
 * What differs between the environments a System is deployed to, read from the stack's config.
 * The system function receives it and passes it into the model with {@link withSystemSettings}
 * and {@link withServiceSettings}, so it is part of the model before anything is synthesized (and
 * the checks see it).
 */
export interface DeploySettings {
  /** `deployment.environment.name` (`polyglot:environment`).
   * @default - the system's own */
  readonly environment?: string;
  /** The system's version, the default image tag of every service (`polyglot:version`).
   * @default - the system's own */
  readonly version?: string;
  /** Image tag per service name (`polyglot:imageTags`, an object). Every name must be a service.
   * @default {} */
  readonly imageTags: Readonly<Record<string, string>>;
  /** The fewest replicas any service runs (`polyglot:replicaFloor`): `replicas` and autoscaling's
   * `minReplicas` are raised to it, never lowered.
   * @default - the model's counts */
  readonly replicaFloor?: number;
  /** Where the telemetry gateway exports (`polyglot:exporters`, a list of `{ name, endpoint, insecure }`).
   * @default - the system's own */
  readonly exporters?: readonly OtlpExporterProps[];
}

const version = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "expected an image tag such as '1.4.2'");
const settingsSchema = z.strictObject({
  environment: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "expected a DNS label such as 'staging'").optional(),
  version: version.optional(),
  imageTags: z.record(z.string(), version).default({}),
  replicaFloor: z.number().int().min(1).max(1000).optional(),
  exporters: z
    .array(
      z.strictObject({
        name: z.string(),
        endpoint: z.string(),
        insecure: z.boolean().optional(),
      }),
    )
    .optional(),
});

/** The settings of the current stack (`polyglot:*` config keys). */
export function readDeploySettings(config: pulumi.Config = new pulumi.Config(CONFIG_NAMESPACE)): DeploySettings {
  const raw = {
    environment: config.get('environment'),
    version: config.get('version'),
    imageTags: config.getObject<unknown>('imageTags'),
    replicaFloor: config.getNumber('replicaFloor'),
    exporters: config.getObject<unknown>('exporters'),
  };
  return parseDeploySettings(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
}

/** Checks settings given in code (or read from config); a bad value names its config key and a fix. */
export function parseDeploySettings(value: unknown): DeploySettings {
  const parsed = settingsSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const key = `${CONFIG_NAMESPACE}:${issue.path.map(String).join('.') || '(root)'}`;
    return `  ${key}: ${issue.message} (fix: pulumi config set ${key.split('.')[0]} …, or remove it)`;
  });
  throw new pulumi.RunError(`polyglot: the stack config is not valid:\n${lines.join('\n')}`);
}

/** The System's props with the stack's environment, version and exporters put in. */
export function withSystemSettings(props: SystemProps, settings: DeploySettings): SystemProps {
  return {
    ...props,
    ...(settings.environment !== undefined && { environment: settings.environment }),
    ...(settings.version !== undefined && { version: settings.version }),
    ...(settings.exporters !== undefined && { telemetry: { ...props.telemetry, exporters: [...settings.exporters] } }),
  };
}

/** A Workload's replica count when none is given (constructs/services/workload.ts). */
const MODEL_DEFAULT_REPLICAS = 2;

/** A service's props with the stack's image tag and replica floor put in. */
export function withServiceSettings<P extends WorkloadProps>(service: string, props: P, settings: DeploySettings): P {
  const tag = settings.imageTags[service];
  const floor = settings.replicaFloor;
  const next: { -readonly [K in keyof WorkloadProps]: WorkloadProps[K] } = { ...props, ...(tag !== undefined && { version: tag }) };
  if (floor !== undefined) {
    if (props.autoscaling) {
      const minReplicas = Math.max(props.autoscaling.minReplicas, floor);
      next.autoscaling = { ...props.autoscaling, minReplicas, maxReplicas: Math.max(props.autoscaling.maxReplicas, minReplicas) };
    } else if (floor > (props.replicas ?? MODEL_DEFAULT_REPLICAS)) {
      next.replicas = floor;
    }
  }
  return next as P;
}
