export { System, type SystemProps } from './system.js';
export type { Check, SynthContext, Synthesizer, WorkloadWiring, PlatformEndpoint, RequiredSecret, SystemExtensions } from './extension.js';
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
  type Delivery,
  type AutoscalingProps,
  type ResourcesProps,
  type Call,
  type Subscription,
} from './services/workload.js';
export { GoService, GO_PROFILE, type GoServiceProps } from './services/go-service.js';
export { RustHotPath, RUST_PROFILE, type RustHotPathProps } from './services/rust-hotpath.js';
export { ElixirFanout, ELIXIR_PROFILE, type ElixirFanoutProps, type WebsocketProps } from './services/elixir-fanout.js';
export { TsApi, TYPESCRIPT_PROFILE, type TsApiProps } from './services/ts-api.js';
export type { IngressProps } from './services/ingress.js';
export { ExternalEndpoint, type ExternalEndpointProps, type EndpointUseProps, type EndpointUse } from './services/external-endpoint.js';
export { registerRuntime, runtimeProfile, knownRuntimes, canServeGrpc, grpcFirst, defaultPorts, healthProbe, type RuntimeProfile, type RadarStatus, type HealthProbe, type PortProfile } from './services/runtime.js';
export { type Problem, type Severity, SynthError, formatProblems } from './core/problems.js';
export { polyglotCacheFolder } from './core/cache-folder.js';
export { type SystemModel, type CallEdge, type Contract } from './model.js';
export { parseDuration, formatDuration, parseQuantity } from './core/units.js';
export { budgetReport, type ServiceBudgetReport, type CallBudget } from './checks/budget-report.js';
export { type TelemetryProps, type OtlpExporterProps, type TailSamplingProps, type Signal } from './telemetry/props.js';
export { NatsSpine } from './spine/nats-spine.js';
export { type NatsSpineProps, type NatsWebsocketProps } from './spine/props.js';

// What the polyglot command and the generators read from a system's process (its reports) and
// need to render the same way synth does. Tools import these from here, never from a subfolder.
export { DIAGRAMS_ONLY_ENV, DRAW_DIAGRAMS_ENV, SYNTH_RESULT_ENV, type SynthResult } from './system.js';
export { CHECK_REPORT_ENV, modelOutline, type CallOutline, type CheckReport, type Inspection, type ModelOutline, type ServiceOutline } from './synth/check-report.js';
export { manifestYaml } from './render/manifest-yaml.js';
export { secretValue } from './synth/secrets-plan.js';
export { natsPasswordHash } from './spine/password-hash.js';
export { renderLock } from './contracts/lock.js';
export { dnsLabelProblem, suggestDnsLabel } from './core/names.js';
export { serviceConfigSchema, serviceConfigJsonSchema, SERVICE_CONFIG_SCHEMA_ID, type ServiceConfig } from './core/service-config.js';
export type { SystemSettings, SystemScope, DomainScope } from './core/settings.js';
export type { Listener, ResolvedIngress } from './services/workload.js';
