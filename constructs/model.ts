import type { CallPolicy } from './contracts/call-policy.js';
import type { EventContract } from './contracts/events.js';
import type { GrpcContract } from './contracts/grpc.js';
import type { ContractSources } from './contracts/sources.js';
import type { Domain } from './domain.js';
import type { ExternalEndpoint } from './services/external-endpoint.js';
import type { Call, Subscription, Workload } from './services/workload.js';

/** Any contract. */
export type Contract = GrpcContract | EventContract;

/** A synchronous edge: `caller` calls `contract`, served by `callee`. */
export interface CallEdge {
  readonly caller: Workload;
  readonly call: Call;
  readonly callee: Workload;
}

/**
 * The system as a graph: services, contracts and who serves, calls, publishes and subscribes to
 * what. Built once per synth from the construct tree; checks and synthesis read it.
 */
export interface SystemModel {
  readonly name: string;
  readonly version: string;
  readonly environment: string;
  /** How calls retry and what the budget checks allow. */
  readonly callPolicy: CallPolicy;
  /** Where the contracts' sources and baselines are. */
  readonly contractSources: ContractSources;
  readonly domains: readonly Domain[];
  /** Services whose props parsed and whose runtime is known, sorted by namespace then name. */
  readonly services: readonly Workload[];
  /** Services left out because their props or runtime were invalid (already reported). */
  readonly invalidServices: readonly Workload[];
  readonly grpcContracts: readonly GrpcContract[];
  readonly eventContracts: readonly EventContract[];
  /** The external endpoints declared (datastores, partner APIs), sorted by name. */
  readonly externalEndpoints: readonly ExternalEndpoint[];
  /** The services that connect to an endpoint. */
  usersOf(endpoint: ExternalEndpoint): readonly Workload[];
  serversOf(contract: GrpcContract): readonly Workload[];
  callersOf(contract: GrpcContract): readonly { readonly caller: Workload; readonly call: Call }[];
  publishersOf(event: EventContract): readonly Workload[];
  subscribersOf(event: EventContract): readonly { readonly subscriber: Workload; readonly subscription: Subscription }[];
  /** Every call whose contract has exactly one server, resolved to that server. */
  readonly callEdges: readonly CallEdge[];
  /** The resolved outgoing calls of one service. */
  callsOf(service: Workload): readonly CallEdge[];
  /** The resolved incoming calls of one service. */
  calledBy(service: Workload): readonly CallEdge[];
}

/** What the model is built from; the System provides it. */
export interface ModelSource {
  readonly name: string;
  readonly version: string;
  readonly environment: string;
  readonly callPolicy: CallPolicy;
  readonly contractSources: ContractSources;
  readonly domains: readonly Domain[];
  readonly grpcContracts: readonly GrpcContract[];
  readonly eventContracts: readonly EventContract[];
  readonly externalEndpoints: readonly ExternalEndpoint[];
}

/** Builds the graph in one pass over services and their edges: O(services + edges). */
export function buildModel(source: ModelSource): SystemModel {
  const all = source.domains.flatMap((d) => d.services);
  const services = all.filter((s) => s.valid);
  const invalidServices = all.filter((s) => !s.valid);

  const servers = new Map<GrpcContract, Workload[]>();
  const callers = new Map<GrpcContract, { caller: Workload; call: Call }[]>();
  const publishers = new Map<EventContract, Workload[]>();
  const subscribers = new Map<EventContract, { subscriber: Workload; subscription: Subscription }[]>();
  const users = new Map<ExternalEndpoint, Workload[]>();
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const service of services) {
    for (const contract of service.serves) push(servers, contract, service);
    for (const call of service.calls) push(callers, call.contract, { caller: service, call });
    for (const event of service.publishes) push(publishers, event, service);
    for (const subscription of service.subscribes) push(subscribers, subscription.event, { subscriber: service, subscription });
    for (const use of service.uses) push(users, use.endpoint, service);
  }

  const callEdges: CallEdge[] = [];
  const outgoing = new Map<Workload, CallEdge[]>();
  const incoming = new Map<Workload, CallEdge[]>();
  for (const caller of services) {
    for (const call of caller.calls) {
      const targets = servers.get(call.contract) ?? [];
      if (targets.length !== 1) continue;
      const edge = { caller, call, callee: targets[0]! };
      callEdges.push(edge);
      push(outgoing, caller, edge);
      push(incoming, edge.callee, edge);
    }
  }

  return {
    name: source.name,
    version: source.version,
    environment: source.environment,
    callPolicy: source.callPolicy,
    contractSources: source.contractSources,
    domains: source.domains,
    services,
    invalidServices,
    grpcContracts: source.grpcContracts,
    eventContracts: source.eventContracts,
    externalEndpoints: source.externalEndpoints,
    usersOf: (e) => users.get(e) ?? [],
    serversOf: (c) => servers.get(c) ?? [],
    callersOf: (c) => callers.get(c) ?? [],
    publishersOf: (e) => publishers.get(e) ?? [],
    subscribersOf: (e) => subscribers.get(e) ?? [],
    callEdges,
    callsOf: (s) => outgoing.get(s) ?? [],
    calledBy: (s) => incoming.get(s) ?? [],
  };
}
