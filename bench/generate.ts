import { z } from 'zod';
import {
  ElixirFanout,
  EventContract,
  GoService,
  GrpcContract,
  RustHotPath,
  System,
  TsApi,
  type Workload,
  type WorkloadProps,
} from 'generator-polyglot'; // the build, as users run it (npm test and npm ci build it)
import { grpcContractOf, planSystem, type PlanOptions, type SystemPlan } from './plan.js';

export { planSystem, type PlanOptions, type SystemPlan } from './plan.js';

export interface GenerateOptions extends PlanOptions {
  /** Where `system.synth()` writes.
   * @default - the System's default */
  readonly outdir?: string;
}

export interface GeneratedSystem {
  readonly system: System;
  readonly plan: SystemPlan;
  readonly services: readonly Workload[];
}

const ms = (n: number) => `${n}ms`;

/**
 * A synthetic polyglot system of `services` services: see {@link planSystem} for its shape.
 * Construction only; call `system.check()`, `system.files()` or `system.synth()` on the result.
 */
export function generateSystem(options: GenerateOptions): GeneratedSystem {
  const plan = planSystem(options);
  return { ...buildSystem(plan, options.outdir), plan };
}

/** Builds the polyglot model of a plan. */
export function buildSystem(plan: SystemPlan, outdir?: string): { system: System; services: Workload[] } {
  const system = new System({ name: plan.name, version: '1.0.0', outdir });

  const grpc = new Map<number, GrpcContract>();
  for (const s of plan.services) {
    if (!s.serves) continue;
    const { proto, service } = grpcContractOf(plan, s.index);
    grpc.set(s.index, new GrpcContract(system, s.serves, { proto, service }));
  }
  const payload = z.object({ key: z.string(), at: z.iso.datetime(), value: z.number() });
  const events = plan.events.map(
    (e) =>
      new EventContract(system, e.name, {
        subject: e.subject,
        schema: payload,
        stream: e.stream ? { name: e.stream, maxAge: '24h', replicas: 3 } : undefined,
      }),
  );

  const services = plan.services.map((s) => {
    const domain = system.domain(s.domain);
    const props: WorkloadProps = {
      serves: s.serves ? [grpc.get(s.index)!] : [],
      calls: s.calls.map((c) => ({ contract: grpc.get(c.callee)!, timeout: ms(c.timeoutMs), retries: c.retries })),
      publishes: s.publishes.map((e) => events[e]!),
      subscribes: s.subscribes.map((e) => events[e]!),
      deadline: ms(s.deadlineMs),
    };
    switch (s.runtime) {
      case 'go':
        return new GoService(domain, s.name, props);
      case 'rust':
        return new RustHotPath(domain, s.name, props);
      case 'elixir':
        return new ElixirFanout(domain, s.name, { ...props, websocket: { connections: 100_000, perPod: 25_000 } });
      case 'typescript':
        return new TsApi(domain, s.name, { ...props, ingress: { host: `${s.name}.${plan.name}.example` } });
    }
  });
  return { system, services };
}
