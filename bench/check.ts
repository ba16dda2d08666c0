/**
 * The check pass on a synthetic model: 1000 services, 10 000 edges (9 000 calls, 1 000 publish
 * and subscribe edges). Runnable alone, printing the median of 5 runs:
 *
 *   node --import tsx bench/check.ts [services] [seed]
 *
 * `checkPass` is what the bench harness (bench/check-pass.ts) calls.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { EventContract, GoService, GrpcContract, System } from '../constructs/index.js';

export interface CheckPassResult {
  readonly buildMs: number;
  /** `system.check()`: builds the model graph and runs every check. */
  readonly checkMs: number;
  readonly edges: { readonly calls: number; readonly events: number };
  readonly problems: { readonly errors: number; readonly warnings: number };
}

const LAYERS = 10;
const FAN_OUT = 10;

/**
 * A layered call graph: each service calls FAN_OUT services of the next layer, so the longest
 * chain is LAYERS deep and every budget and amplification path is exercised (the leaf layer
 * calls nothing). Every service also has one event edge: each event is published by one service
 * and subscribed by the next FAN_OUT - 1. Deadlines grow by 10ms a layer and timeouts match the callee's deadline, so the
 * model is valid and the pass measures checking, not reporting. A fan-out of ten only makes
 * sense as concurrent calls, hence callOrder 'parallel'. `seed` shifts which callees are picked.
 */
export function buildModel(services: number, seed: number): { system: System; calls: number; eventEdges: number } {
  const system = new System({ name: 'bench', callPolicy: { callOrder: 'parallel' } });
  const width = Math.ceil(services / LAYERS);
  const layerOf = (i: number) => Math.floor(i / width);
  const deadlineMs = (layer: number) => (layer === LAYERS - 1 ? 5 : 40 + 10 * (LAYERS - 2 - layer));
  const api = Array.from({ length: services }, (_, i) =>
    layerOf(i) === 0 ? undefined : new GrpcContract(system, `s${i}-api`, { proto: `contracts/bench/s${i}/v1/api.proto`, service: `bench.s${i}.v1.Api` }),
  );
  const payload = z.object({ key: z.string(), at: z.iso.datetime(), value: z.number() });
  const events = Array.from({ length: Math.ceil(services / FAN_OUT) }, (_, e) => new EventContract(system, `e${e}`, { subject: `bench.e${e}.{key}`, schema: payload }));

  let calls = 0;
  let eventEdges = 0;
  for (let i = 0; i < services; i++) {
    const layer = layerOf(i);
    const next = Array.from({ length: width }, (_, k) => (layer + 1) * width + k).filter((j) => j < services);
    const callees = layer < LAYERS - 1 ? Array.from({ length: Math.min(FAN_OUT, next.length) }, (_, k) => next[(i * 7 + k * 13 + seed) % next.length]!) : [];
    const unique = [...new Set(callees)];
    calls += unique.length;
    const event = events[Math.floor(i / FAN_OUT)]!;
    const publishes = i % FAN_OUT === 0 ? [event] : [];
    const subscribes = i % FAN_OUT !== 0 ? [event] : [];
    eventEdges += publishes.length + subscribes.length;
    new GoService(system.domain(`layer${layer}`), `s${i}`, {
      serves: api[i] ? [api[i]!] : [],
      calls: unique.map((j) => ({ contract: api[j]!, timeout: `${deadlineMs(layerOf(j))}ms`, retries: layerOf(j) === LAYERS - 1 ? 1 : 0 })),
      publishes,
      subscribes,
      deadline: `${deadlineMs(layer)}ms`,
    });
  }
  return { system, calls, eventEdges };
}

/** One check pass on a freshly built model (nothing cached from an earlier pass). */
export function checkPass(services: number, seed: number): CheckPassResult {
  const t0 = performance.now();
  const { system, calls, eventEdges } = buildModel(services, seed);
  const t1 = performance.now();
  const problems = system.check();
  const t2 = performance.now();
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { buildMs: t1 - t0, checkMs: t2 - t1, edges: { calls, events: eventEdges }, problems: { errors, warnings: problems.length - errors } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const services = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? 1);
  const runs = Array.from({ length: 5 }, () => checkPass(services, seed));
  const sorted = runs.map((r) => r.checkMs).sort((a, b) => a - b);
  const { edges, problems } = runs[0]!;
  console.log(
    `check pass, ${services} services, ${edges.calls + edges.events} edges (${edges.calls} calls, ${edges.events} event edges), ` +
      `${problems.errors} errors, ${problems.warnings} warnings: median ${sorted[2]!.toFixed(1)} ms of 5 runs ` +
      `(min ${sorted[0]!.toFixed(1)}, max ${sorted[4]!.toFixed(1)}; building the model took ${runs[0]!.buildMs.toFixed(0)} ms)`,
  );
}
