import { z } from 'zod';
import { dnsLabel, dnsSubdomain, hostName } from '../core/names.js';
import type { Problem } from '../core/problems.js';
import type { DomainScope } from '../core/settings.js';
import type { ResolvedIngress } from './workload.js';

/** How a service is exposed outside the cluster (TsApi's HTTP, ElixirFanout's websocket). */
export interface IngressProps {
  /** Public host name, e.g. `api.jvn.example`. */
  readonly host: string;
  /** Path prefix routed to the service.
   * @default '/' */
  readonly path?: string;
  /** The IngressClass that serves it.
   * @default - the system's ingress class */
  readonly className?: string;
  /** Namespace the controller of that class runs in: the service's network policy admits it.
   * Required with a className other than the system's.
   * @default - the system's ingressControllerNamespace, for the system's class */
  readonly controllerNamespace?: string;
  /** Secret with the TLS certificate for the host (created by cert-manager or by hand).
   * @default - no TLS section */
  readonly tlsSecretName?: string;
}

/** A path prefix: segments of safe characters, no `.` or `..` segment, no empty segment. */
const INGRESS_PATH = /^\/([A-Za-z0-9_~-][A-Za-z0-9_.~-]*\/?)*$/;

export const ingressSchema = z.strictObject({
  host: hostName,
  path: z
    .string()
    .refine((path) => INGRESS_PATH.test(path) && !path.split('/').some((segment) => segment === '.' || segment === '..'), {
      message: "expected a path prefix such as '/' or '/api/v1': letters, digits, '-', '_', '.', '~' between slashes, no '.' or '..' segment",
    })
    .default('/'),
  className: dnsSubdomain('IngressClass name').optional(),
  controllerNamespace: dnsLabel.optional(),
  tlsSecretName: dnsSubdomain('Secret name').optional(),
});

/**
 * Applies the system's defaults. An Ingress of another class is served by another controller,
 * in a namespace polyglot cannot guess; admitting the system's controller instead would leave the
 * service unreachable, so that namespace must be named.
 */
export function resolveIngress(
  path: string,
  className: string,
  ingress: z.output<typeof ingressSchema> | undefined,
  domain: DomainScope,
  report: (problem: Problem) => void,
): ResolvedIngress | undefined {
  if (!ingress) return undefined;
  const system = domain.system;
  const cls = ingress.className ?? system.ingressClassName;
  if (cls !== system.ingressClassName && ingress.controllerNamespace === undefined) {
    report({
      severity: 'error',
      code: 'invalid-props',
      path,
      message: `ingress.className '${cls}' is not the system's ingress class ('${system.ingressClassName}'), and ingress.controllerNamespace is not set`,
      why: "the network policy admits the ingress controller's namespace only; the system's controller namespace would be the wrong one",
      fix: `set ingress.controllerNamespace to the namespace the '${cls}' controller runs in (see ${className}Props)`,
    });
  }
  return {
    host: ingress.host,
    path: ingress.path,
    className: cls,
    controllerNamespace: ingress.controllerNamespace ?? system.ingressControllerNamespace,
    ...(ingress.tlsSecretName ? { tlsSecretName: ingress.tlsSecretName } : {}),
  };
}
