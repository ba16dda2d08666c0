import { z } from 'zod';
import type { DomainScope } from '../core/settings.js';
import { registerRuntime } from './runtime.js';
import { Workload, workloadShape, type WorkloadProps } from './workload.js';

/** Rust holds the hot path: CPU-bound work under tight deadlines; it starts in milliseconds. */
export const RUST_PROFILE = registerRuntime({
  runtime: 'rust',
  displayName: 'Rust',
  component: 'hot-path',
  radar: 'use',
  sdkLanguage: 'rust',
  ports: { grpc: 50051, http: 8080 },
  probe: { kind: 'grpc', port: 'grpc' },
  startupPeriodSeconds: 1,
  startupFailureThreshold: 10,
  resources: { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '32Mi', memoryLimit: '128Mi' },
  preStopDrainSeconds: 5,
  terminationGraceSeconds: 20,
  runAsUser: 65532,
  defaultDeadline: '100ms',
});

/** Props of a {@link RustHotPath}. */
export type RustHotPathProps = WorkloadProps;

/** A Rust service on the hot path (gRPC on 50051, health and metrics on 8080). */
export class RustHotPath extends Workload {
  constructor(scope: DomainScope, id: string, props: RustHotPathProps = {}) {
    super(scope, id, { ...props, runtime: 'rust' }, { runtime: 'rust', className: 'RustHotPath', schema: z.strictObject(workloadShape) });
  }
}
