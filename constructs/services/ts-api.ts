import { z } from 'zod';
import type { DomainScope } from '../core/settings.js';
import { problemReporter } from '../core/problem-sink.js';
import { ingressSchema, resolveIngress, type IngressProps } from './ingress.js';
import { registerRuntime } from './runtime.js';
import { Workload, workloadShape, type Listener, type ResolvedIngress, type WorkloadProps } from './workload.js';

/** TypeScript serves APIs at the edge; Node is up in a few seconds. A TypeScript service that serves
 * gRPC contracts also opens gRPC on 50051 and is probed through gRPC health there, as Go and Rust
 * are (the template's gRPC health turns SERVING once HTTP and gRPC both listen). */
export const TYPESCRIPT_PROFILE = registerRuntime({
  runtime: 'typescript',
  displayName: 'TypeScript',
  component: 'edge-api',
  radar: 'use',
  sdkLanguage: 'nodejs',
  ports: { http: 3000 },
  probe: { kind: 'http', port: 'http', livenessPath: '/healthz', readinessPath: '/readyz' },
  whenServingGrpc: { grpcPort: 50051, probe: { kind: 'grpc', port: 'grpc' } },
  startupPeriodSeconds: 1,
  startupFailureThreshold: 30,
  resources: { cpuRequest: '200m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '384Mi' },
  preStopDrainSeconds: 5,
  terminationGraceSeconds: 30,
  runAsUser: 65532,
  defaultDeadline: '1s',
});


/** Props of a {@link TsApi}. */
export interface TsApiProps extends WorkloadProps {
  /** Expose the API through an Ingress.
   * @default - cluster-internal only */
  readonly ingress?: IngressProps;
}

const schema = z.strictObject({
  ...workloadShape,
  ingress: ingressSchema.optional(),
});

/** A TypeScript API at the edge (HTTP on 3000), optionally behind an Ingress; with `serves`, also a
 * gRPC server of those contracts (gRPC on 50051, gRPC health probes). */
export class TsApi extends Workload {
  /** The ingress settings with defaults applied, when the API is exposed. */
  readonly ingress?: ResolvedIngress;

  constructor(scope: DomainScope, id: string, props: TsApiProps = {}) {
    super(scope, id, { ...props, runtime: 'typescript' }, { runtime: 'typescript', className: 'TsApi', schema });
    const ingress = (this.parsedProps as z.output<typeof schema> | undefined)?.ingress;
    this.ingress = resolveIngress(this.node.path, 'TsApi', ingress, scope, problemReporter(this));
  }

  /** Its HTTP port, behind an Ingress, when it declares one. */
  override get listeners(): readonly Listener[] {
    return this.ingress ? [{ port: 'http', ingress: this.ingress }] : [];
  }
}
