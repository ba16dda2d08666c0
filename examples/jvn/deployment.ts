/**
 * jvn as a Pulumi component (generator-polyglot/pulumi): the System built with the stack's
 * settings (`polyglot:*` config) and deployed in the safe order. `index.ts`, the program
 * `pulumi up` runs, makes one; test/deploy/pulumi-up.integ.test.ts deploys the same one to a real
 * API server with the real Pulumi CLI and Kubernetes provider.
 */
import type * as pulumi from '@pulumi/pulumi';
import {
  SystemDeployment,
  withServiceSettings,
  withSystemSettings,
  type DeploySettings,
  type SystemDeploymentArgs,
} from 'generator-polyglot/pulumi';
import type { System } from 'generator-polyglot';
import { jvn } from './system.js';

/** jvn with a stack's settings in the model: environment, version, exporters, image tags, replica floor. */
export function jvnSystem(settings: DeploySettings): System {
  return jvn({
    system: (props) => withSystemSettings(props, settings),
    service: (name, props) => withServiceSettings(name, props, settings),
  });
}

/** Deploys jvn; `args` are the component's other arguments (CRDs to deploy first, the settings). */
export function jvnDeployment(args: Omit<SystemDeploymentArgs, 'system'> = {}, opts?: pulumi.ComponentResourceOptions): SystemDeployment {
  return new SystemDeployment('jvn', { ...args, system: jvnSystem }, opts);
}
