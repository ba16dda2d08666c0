import type { k8s } from 'cdk8s-plus-28';
import type { SystemModel } from '../model.js';
import type { Workload } from '../services/workload.js';
import type { PlatformEndpoint } from './platform.js';

/**
 * How a platform piece (the NATS spine, the telemetry pipeline) plugs into every service it
 * serves: environment variables for the container and endpoints its network policy must allow.
 * The System collects these; the workload synthesis applies them without knowing the pieces.
 */
export interface WorkloadWiring {
  /** Environment variables this piece gives the service's container. */
  env?(workload: Workload, model: SystemModel): k8s.EnvVar[];
  /** Endpoints the service must be allowed to reach for this piece. */
  egress?(workload: Workload, model: SystemModel): PlatformEndpoint[];
}
