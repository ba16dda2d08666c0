import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { BenchRuntime, SystemPlan } from './plan.js';

/**
 * The baseline: the same services written by hand in plain cdk8s-plus-28, the way a user would
 * without polyglot. One Chart (and Namespace) per domain; per service a `kplus.Deployment` with
 * its ports and a non-root user, exposed with `exposeViaService()`; per call edge
 * `callee.connections.allowFrom(caller)` on the callee's gRPC port (cdk8s-plus then writes an
 * ingress policy for the callee and an egress policy for the caller). No ConfigMaps, PDBs, HPAs,
 * Ingresses, NATS, telemetry or contract files: that is what polyglot adds.
 */
export function buildBaseline(plan: SystemPlan, outdir: string): App {
  const app = new App({ outdir });
  const charts = new Map<string, Chart>();
  for (const domain of plan.domains) {
    const namespace = `${plan.name}-${domain}`;
    const chart = new Chart(app, namespace, { namespace });
    new kplus.Namespace(chart, 'namespace', { metadata: { name: namespace } });
    charts.set(domain, chart);
  }

  const deployments = plan.services.map((s) => {
    const chart = charts.get(s.domain)!;
    const deployment = new kplus.Deployment(chart, s.name, {
      metadata: { name: s.name },
      securityContext: { user: 65532, group: 65532 },
      containers: [
        {
          name: s.name,
          image: `registry.example.com/${plan.name}/${s.name}:1.0.0`,
          ports: PORTS[s.runtime].map((p) => ({ name: p.name, number: p.number })),
          securityContext: { user: 65532, group: 65532 },
        },
      ],
    });
    deployment.exposeViaService({ name: s.name });
    return deployment;
  });

  for (const s of plan.services) {
    for (const call of s.calls) {
      const callee = deployments[call.callee]!;
      callee.connections.allowFrom(deployments[s.index]!, { ports: [kplus.NetworkPolicyPort.tcp(GRPC_PORT)] });
    }
  }
  return app;
}

const GRPC_PORT = 50051;
const PORTS: Record<BenchRuntime, { name: string; number: number }[]> = {
  go: [
    { name: 'grpc', number: GRPC_PORT },
    { name: 'http', number: 8080 },
  ],
  rust: [
    { name: 'grpc', number: GRPC_PORT },
    { name: 'http', number: 8080 },
  ],
  elixir: [
    { name: 'http', number: 4000 },
    { name: 'ws', number: 4001 },
  ],
  typescript: [{ name: 'http', number: 3000 }],
};
