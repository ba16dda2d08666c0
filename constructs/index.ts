export { System, type SystemProps, type SynthContext, type Synthesizer } from './system.js';
export { Domain, type DomainProps } from './domain.js';
export { GrpcContract, type GrpcContractProps } from './contracts/grpc.js';
export { EventContract, type EventContractProps, type EventStreamProps, type EventStream } from './contracts/events.js';
export { type CallPolicyProps, type CallPolicy } from './contracts/call-policy.js';
export { type ContractSourcesProps, type ContractSources } from './contracts/sources.js';
export {
  Workload,
  type WorkloadProps,
  type WorkloadConstructProps,
  type CallProps,
  type SubscriptionProps,
  type AutoscalingProps,
  type ResourcesProps,
  type Call,
  type Subscription,
} from './services/workload.js';
export { GoService, GO_PROFILE, type GoServiceProps } from './services/go-service.js';
export { RustHotPath, RUST_PROFILE, type RustHotPathProps } from './services/rust-hotpath.js';
export { ElixirFanout, ELIXIR_PROFILE, type ElixirFanoutProps, type WebsocketProps } from './services/elixir-fanout.js';
export { TsApi, TYPESCRIPT_PROFILE, type TsApiProps, type IngressProps } from './services/ts-api.js';
export { registerRuntime, runtimeProfile, knownRuntimes, type RuntimeProfile, type RadarStatus } from './services/runtime.js';
export { type Problem, type Severity, SynthError, formatProblems } from './problems.js';
export { type SystemModel, type CallEdge, type Contract } from './model.js';
export { type Check } from './checks/index.js';
export { parseDuration, formatDuration } from './units.js';
export { type TelemetryProps, type OtlpExporterProps, type TailSamplingProps } from './telemetry/props.js';
export { NatsSpine } from './spine/nats-spine.js';
export { type NatsSpineProps, type NatsWebsocketProps } from './spine/props.js';
export { type WorkloadWiring, type PlatformEndpoint } from './kubernetes/index.js';
