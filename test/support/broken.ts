import { z } from 'zod';
import { EventContract, GoService, GrpcContract, RustHotPath, System, TsApi, Workload } from '../../constructs/index.js';

/**
 * A model with one of each kind of mistake the core must report, all at once.
 * Returns the system; `system.check()` lists the problems.
 */
export function brokenSystem(): System {
  const system = new System({ name: 'broken' });
  const quotes = new GrpcContract(system, 'quotes', { proto: 'contracts/q/v1/q.proto', service: 'broken.quotes.v1.Quotes' });
  const nobodyServes = new GrpcContract(system, 'ledger', { proto: 'contracts/l/v1/l.proto', service: 'broken.ledger.v1.Ledger' });
  const nobodyPublishes = new EventContract(system, 'price-moved', { subject: 'broken.prices.{symbol}', schema: z.object({ symbol: z.string() }) });
  const trading = system.domain('trading');
  // invalid DNS name
  new RustHotPath(trading, 'Quote_Engine', { serves: [quotes] });
  // duplicate name in one namespace
  new GoService(trading, 'orders', { calls: [{ contract: quotes, timeout: '100ms' }] });
  new GoService(trading, 'orders', {});
  // port clash
  new GoService(trading, 'risk', { ports: { grpc: 8080 } });
  // a call to a contract nobody serves, a subscription to an event nobody publishes
  new GoService(trading, 'settlement', { calls: [{ contract: nobodyServes, timeout: '100ms', retries: 1 }], subscribes: [nobodyPublishes] });
  // unknown runtime
  new Workload(trading, 'pricing-model', { runtime: 'cobol' });
  // bad props values
  new TsApi(system.domain('edge'), 'web', { calls: [{ contract: quotes, timeout: '30 ms', retries: -1 }], ingress: { host: 'Not A Host' } });
  // invalid domain name (the namespace)
  new GoService(system.domain('Back_Office'), 'reports', {});
  return system;
}
