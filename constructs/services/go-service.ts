import { z } from 'zod';
import type { DomainScope } from '../core/settings.js';
import { registerRuntime } from './runtime.js';
import { Workload, workloadShape, type WorkloadProps } from './workload.js';

/** Go owns the service plane: CRUD-like services that start in a second on modest memory. */
export const GO_PROFILE = registerRuntime({
  runtime: 'go',
  displayName: 'Go',
  component: 'service-plane',
  radar: 'use',
  sdkLanguage: 'go',
  ports: { grpc: 50051, http: 8080 },
  probe: { kind: 'grpc', port: 'grpc' },
  startupPeriodSeconds: 1,
  startupFailureThreshold: 15,
  resources: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '64Mi', memoryLimit: '256Mi' },
  preStopDrainSeconds: 5,
  terminationGraceSeconds: 30,
  runAsUser: 65532,
  defaultDeadline: '1s',
});

/** Props of a {@link GoService}. */
export type GoServiceProps = WorkloadProps;

/** A Go service on the service plane (gRPC on 50051, health and metrics on 8080). */
export class GoService extends Workload {
  constructor(scope: DomainScope, id: string, props: GoServiceProps = {}) {
    super(scope, id, { ...props, runtime: 'go' }, { runtime: 'go', className: 'GoService', schema: z.strictObject(workloadShape) });
  }
}
