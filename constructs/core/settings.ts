import type { Construct } from 'constructs';

/**
 * The facts of a System that the lower layers need (a domain's namespace prefix, a service's
 * default version and image, where the ingress controller lives). Plain data, so the model can
 * read them without importing the System, which sits at the top of the dependency order.
 */
export interface SystemSettings {
  /** The system's name: the prefix of every namespace and `app.kubernetes.io/part-of`. */
  readonly name: string;
  /** The default version of every service. */
  readonly version: string;
  /** `deployment.environment.name` in telemetry. */
  readonly environment: string;
  /** Registry and path prefix of service images. */
  readonly imageRegistry: string;
  /** IngressClass for services exposed with an Ingress. */
  readonly ingressClassName: string;
  /** Namespace of the ingress controller. */
  readonly ingressControllerNamespace: string;
  /** The Kubernetes version the output is written for, e.g. `1.30`. */
  readonly kubernetesVersion: string;
}

/** A System as its domains see it: the construct scope they are created in, and its settings. */
export type SystemScope = Construct & SystemSettings;

/**
 * A Domain as its services see it (services sit below domains in the dependency order): the scope
 * they are created in, its names, its System's settings, and the name registry that reports a
 * second service of one name instead of throwing.
 */
export interface DomainScope extends Construct {
  /** The domain's name, e.g. `identity`. */
  readonly name: string;
  /** `<system>-<domain>`. */
  readonly namespace: string;
  readonly system: SystemScope;
  /** Reserves a service name in the namespace; a duplicate gets a placeholder id and a problem. */
  claimServiceName(name: string): string;
}
