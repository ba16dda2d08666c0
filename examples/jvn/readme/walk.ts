import type { CallBudget, EventContract, ExternalEndpoint, ServiceBudgetReport, SystemModel, Workload } from 'generator-polyglot';

/**
 * One request told hop by hop. The story (which hops, and why each is taken) is written by hand;
 * every fact it shows (runtimes, contracts, timeouts, retries, budgets, subjects, streams,
 * datastores) is read from the model, and a hop the model does not have stops the generation.
 */
export interface Walk {
  readonly title: string;
  /** What the user does, in one sentence. */
  readonly story: string;
  /** The service the request enters. */
  readonly entry: string;
  /** Synchronous calls the entry makes, in order, each with why it makes them. */
  readonly calls: readonly { readonly contract: string; readonly why: string }[];
  /** The asynchronous tail: events published on the way and who consumes them, in order. */
  readonly events: readonly { readonly event: string; readonly publisher: string; readonly why: string }[];
}

/** A walk resolved against the model: every name is a construct, every number the checks'. */
export interface ResolvedWalk {
  readonly walk: Walk;
  readonly entry: Workload;
  readonly budget: ServiceBudgetReport;
  readonly calls: readonly { readonly cost: CallBudget; readonly why: string }[];
  readonly events: readonly {
    readonly event: EventContract;
    readonly publisher: Workload;
    readonly subscribers: readonly { readonly subscriber: Workload; readonly durable: boolean }[];
    readonly why: string;
  }[];
  /** Every service the request reaches, in order of first contact. */
  readonly services: readonly Workload[];
  /** Every datastore those services use, with its user. */
  readonly datastores: readonly { readonly endpoint: ExternalEndpoint; readonly user: Workload }[];
}

/** Resolves a walk; throws, naming the missing piece, when the model does not have a hop. */
export function resolveWalk(model: SystemModel, budgets: readonly ServiceBudgetReport[], walk: Walk): ResolvedWalk {
  const service = (name: string, role: string): Workload => {
    const found = model.services.filter((s) => s.name === name);
    if (found.length !== 1) throw new Error(`walk '${walk.title}': ${role} '${name}' is ${found.length === 0 ? 'not a service of the model' : 'ambiguous'}`);
    return found[0]!;
  };
  const entry = service(walk.entry, 'entry');
  const budget = budgets.find((b) => b.service === entry);
  if (!budget) throw new Error(`walk '${walk.title}': ${entry.name} has no deadline budget (is it on a call cycle?)`);

  const calls = walk.calls.map(({ contract, why }) => {
    const cost = budget.calls.find((c) => c.contract.name === contract);
    if (!cost) throw new Error(`walk '${walk.title}': ${entry.name} does not call '${contract}' in the model`);
    return { cost, why };
  });
  if (calls.length !== budget.calls.length) {
    const told = new Set(walk.calls.map((c) => c.contract));
    const untold = budget.calls.filter((c) => !told.has(c.contract.name)).map((c) => c.contract.name);
    throw new Error(`walk '${walk.title}': ${entry.name} also calls ${untold.join(', ')}; tell every call, or its budget does not add up`);
  }

  const events = walk.events.map(({ event: name, publisher: publisherName, why }) => {
    const event = model.eventContracts.find((e) => e.name === name);
    if (!event) throw new Error(`walk '${walk.title}': '${name}' is not an event of the model`);
    const publisher = service(publisherName, 'publisher');
    if (!model.publishersOf(event).includes(publisher)) throw new Error(`walk '${walk.title}': ${publisher.name} does not publish '${name}' in the model`);
    const subscribers = model.subscribersOf(event).map(({ subscriber, subscription }) => ({ subscriber, durable: subscription.durable }));
    if (subscribers.length === 0) throw new Error(`walk '${walk.title}': nobody subscribes to '${name}'`);
    return { event, publisher, subscribers, why };
  });

  const services: Workload[] = [];
  const reach = (s: Workload) => {
    if (!services.includes(s)) services.push(s);
  };
  reach(entry);
  for (const { cost } of calls) reach(cost.callee);
  for (const { publisher, subscribers } of events) {
    reach(publisher);
    for (const { subscriber } of subscribers) reach(subscriber);
  }
  const datastores = services.flatMap((user) => user.uses.map(({ endpoint }) => ({ endpoint, user })));
  return { walk, entry, budget, calls, events, services, datastores };
}
