import { z } from 'zod';
import type { DomainScope } from '../core/settings.js';
import { hostName } from '../core/names.js';
import { registerRuntime } from './runtime.js';
import { Workload, workloadShape, type Listener, type ResolvedIngress, type WorkloadProps } from './workload.js';

/** TypeScript serves APIs at the edge; Node is up in a few seconds. */
export const TYPESCRIPT_PROFILE = registerRuntime({
  runtime: 'typescript',
  displayName: 'TypeScript',
  component: 'edge-api',
  radar: 'use',
  sdkLanguage: 'nodejs',
  ports: { http: 3000 },
  probe: { kind: 'http', port: 'http', livenessPath: '/healthz', readinessPath: '/readyz' },
  startupPeriodSeconds: 1,
  startupFailureThreshold: 30,
  resources: { cpuRequest: '200m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '384Mi' },
  preStopDrainSeconds: 5,
  terminationGraceSeconds: 30,
  runAsUser: 65532,
  defaultDeadline: '1s',
});

/** How the API is exposed outside the cluster. */
export interface IngressProps {
  /** Public host name, e.g. `api.jvn.example`. */
  readonly host: string;
  /** Path prefix routed to the service.
   * @default '/' */
  readonly path?: string;
  /** The IngressClass that serves it.
   * @default - the system's ingress class */
  readonly className?: string;
  /** Secret with the TLS certificate for the host (created by cert-manager or by hand).
   * @default - no TLS section */
  readonly tlsSecretName?: string;
}

/** Props of a {@link TsApi}. */
export interface TsApiProps extends WorkloadProps {
  /** Expose the API through an Ingress.
   * @default - cluster-internal only */
  readonly ingress?: IngressProps;
}

const schema = z.strictObject({
  ...workloadShape,
  ingress: z
    .strictObject({
      host: hostName,
      path: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, "expected a path starting with '/'").default('/'),
      className: z.string().optional(),
      tlsSecretName: z.string().optional(),
    })
    .optional(),
});

/** A TypeScript API at the edge (HTTP on 3000), optionally behind an Ingress. */
export class TsApi extends Workload {
  /** The ingress settings with defaults applied, when the API is exposed. */
  readonly ingress?: ResolvedIngress;

  constructor(scope: DomainScope, id: string, props: TsApiProps = {}) {
    super(scope, id, { ...props, runtime: 'typescript' }, { runtime: 'typescript', className: 'TsApi', schema });
    const ingress = (this.parsedProps as z.output<typeof schema> | undefined)?.ingress;
    if (ingress) this.ingress = { ...ingress, className: ingress.className ?? scope.system.ingressClassName };
  }

  /** Its HTTP port, behind an Ingress, when it declares one. */
  override get listeners(): readonly Listener[] {
    return this.ingress ? [{ port: 'http', ingress: this.ingress }] : [];
  }
}
