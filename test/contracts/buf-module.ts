import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GoService, GrpcContract, System, TsApi, type Problem } from '../../constructs/index.js';
import { buildLock, renderLock } from '../../constructs/contracts/lock.js';
import { tempDir } from '../support/cli.js';

export const PRICING_PROTO = 'proto/shop/pricing/v1/pricing.proto';

/** A tiny buf module: buf.yaml (v2, STANDARD lint, FILE breaking) and one versioned service. */
export const PRICING_V1 = `syntax = "proto3";

package shop.pricing.v1;

// PricingService quotes prices.
service PricingService {
  // Quote returns a price.
  rpc Quote(QuoteRequest) returns (QuoteResponse);
  // Cancel drops a quote.
  rpc Cancel(CancelRequest) returns (CancelResponse);
}

// QuoteRequest names what to price.
message QuoteRequest {
  string sku = 1;
  int64 quantity = 2;
}

// QuoteResponse carries the price.
message QuoteResponse {
  int64 cents = 1;
}

// CancelRequest names the quote.
message CancelRequest {
  string quote_id = 1;
}

// CancelResponse is empty.
message CancelResponse {}
`;

/** Creates the module in a fresh directory and returns it. */
export function bufModule(files: Record<string, string> = { [PRICING_PROTO]: PRICING_V1 }): string {
  const root = tempDir('polyglot-buf-');
  writeFileSync(join(root, 'buf.yaml'), 'version: v2\nmodules:\n  - path: proto\nlint:\n  use:\n    - STANDARD\nbreaking:\n  use:\n    - FILE\n');
  for (const [path, content] of Object.entries(files)) writeProto(root, path, content);
  return root;
}

export function writeProto(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

export function editProto(root: string, path: string, edit: (text: string) => string): void {
  writeFileSync(join(root, path), edit(readFileSync(join(root, path), 'utf8')));
}

/** A system in `root` whose api serves the pricing contract (or the given one) to a caller. */
export function pricingSystem(root: string, contract: { proto?: string; service?: string } = {}, contracts: Record<string, string> = {}): System {
  const system = new System({ name: 'shop', telemetry: { enabled: false }, contracts: { root, ...contracts } });
  const pricing = new GrpcContract(system, 'pricing', { proto: contract.proto ?? PRICING_PROTO, service: contract.service ?? 'shop.pricing.v1.PricingService' });
  new GoService(system.domain('sales'), 'pricer', { serves: [pricing], deadline: '50ms' });
  new TsApi(system.domain('edge'), 'api', { calls: [{ contract: pricing, timeout: '60ms' }] });
  return system;
}

/** Writes the system's lock file as `polyglot contracts lock` would. */
export function lock(system: System): void {
  const model = system.model();
  const built = buildLock(model);
  if ('failure' in built) throw new Error(built.failure);
  writeFileSync(join(model.contractSources.root, model.contractSources.lockFile), renderLock(built.lock));
}

/** `code path: message` of the problems with these codes. */
export function findings(system: System, ...codes: string[]): string[] {
  return system
    .check()
    .filter((p: Problem) => codes.includes(p.code))
    .map((p) => `${p.code} ${p.path}: ${p.message}`);
}
