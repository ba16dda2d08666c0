// generator-polyglot/pulumi: deploy a System with Pulumi. @pulumi/pulumi and @pulumi/kubernetes
// are optional peer dependencies: only this entry point imports them, and nothing else of the
// package imports this entry point (test/architecture/layers.test.ts).
export { SystemDeployment, type SystemDeploymentArgs } from './system-deployment.js';
export {
  CONFIG_NAMESPACE,
  readDeploySettings,
  parseDeploySettings,
  withSystemSettings,
  withServiceSettings,
  type DeploySettings,
} from './settings.js';
export { deployPlan, type DeployPlan, type KubeObject } from './deploy-plan.js';
