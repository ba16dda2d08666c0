import { GoService, GrpcContract, System, type Problem, type SystemProps } from '../../constructs/index.js';

/** One service of a test model: it serves `<name>-api` and calls other services' APIs. */
export interface ServiceSpec {
  readonly name: string;
  /** @default '1s' */
  readonly deadline?: string;
  readonly calls?: readonly { readonly to: string; readonly timeout: string; readonly retries?: number }[];
}

/**
 * A system of Go services in one domain, each serving its own contract, wired by `calls`.
 * Telemetry is off so only the model's own checks speak.
 */
export function callModel(services: readonly ServiceSpec[], props: Partial<SystemProps> = {}): System {
  const system = new System({ name: 'm', telemetry: { enabled: false }, ...props });
  const api = new Map(
    services.map((s) => [s.name, new GrpcContract(system, `${s.name}-api`, { proto: `contracts/m/${s.name}/v1/api.proto`, service: `m.${s.name.replace(/-/g, '_')}.v1.Api` })]),
  );
  const domain = system.domain('d');
  for (const s of services) {
    new GoService(domain, s.name, {
      serves: [api.get(s.name)!],
      deadline: s.deadline ?? '1s',
      calls: (s.calls ?? []).map((c) => ({ contract: api.get(c.to)!, timeout: c.timeout, retries: c.retries ?? 0 })),
    });
  }
  return system;
}

/** The problems with one of these codes. */
export function problemsOf(system: System, ...codes: string[]): Problem[] {
  return system.check().filter((p) => codes.includes(p.code));
}
