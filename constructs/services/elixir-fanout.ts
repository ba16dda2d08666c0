import { z } from 'zod';
import type { DomainScope } from '../core/settings.js';
import { portNumber } from '../core/units.js';
import { registerRuntime } from './runtime.js';
import { problemReporter } from '../core/problem-sink.js';
import { ingressSchema, resolveIngress, type IngressProps } from './ingress.js';
import { Workload, workloadShape, type Listener, type ResolvedIngress, type WorkloadProps } from './workload.js';

/**
 * Elixir handles the fan-out: long-lived websockets on the BEAM. A release boots in tens of
 * seconds, and its clients must be drained (told to reconnect elsewhere) before the pod goes.
 */
export const ELIXIR_PROFILE = registerRuntime({
  runtime: 'elixir',
  displayName: 'Elixir',
  component: 'fanout',
  radar: 'use',
  sdkLanguage: 'erlang',
  ports: { http: 4000, websocket: 4001 },
  probe: { kind: 'http', port: 'http', livenessPath: '/healthz', readinessPath: '/readyz' },
  startupPeriodSeconds: 2,
  startupFailureThreshold: 45,
  // Measured (bench/README.md, Elixir fan-out capacity, 2026-12-03 after the core's fixes): a
  // websocket connection of the template costs ≈ 26 KiB of RSS at 10k connections, the same idle
  // (sessions and websocket processes hibernate, so bursts no longer leave 400 KiB heaps). 50k
  // sessions, the perPod jvn sizes for, project to ≈ 1.36 GiB with the 119 MiB idle VM: over the
  // 1280Mi requested before, so the request is the projection rounded up; the limit keeps 2x room
  // for bursts and the kernel's socket buffers (not in RSS, counted by the cgroup).
  resources: { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '1536Mi', memoryLimit: '3Gi' },
  preStopDrainSeconds: 45,
  terminationGraceSeconds: 75,
  runAsUser: 65532,
  defaultDeadline: '5s',
});

/** The websocket listener and the load it must carry. */
export interface WebsocketProps {
  /** The port clients connect to.
   * @default 4001 */
  readonly port?: number;
  /** Concurrent connections the service must hold at peak, e.g. `340_000`. */
  readonly connections: number;
  /** Connections one pod holds comfortably, e.g. `50_000`. */
  readonly perPod: number;
  /**
   * Spare capacity above the peak, as a factor: the autoscaler may grow to
   * `connections × headroom / perPod` pods.
   * @default 2
   */
  readonly headroom?: number;
}

/** Props of an {@link ElixirFanout}. */
export interface ElixirFanoutProps extends WorkloadProps {
  /** The websocket clients connect to, and the load that sizes the autoscaler.
   * @default - no websocket clients: a fan-out fed by events only (replicas or autoscaling as given) */
  readonly websocket?: WebsocketProps;
  /** Expose the websocket port through an Ingress (the controller must proxy websockets; nginx
   * does by default).
   * @default - no Ingress: clients reach the port through the controller's own configuration */
  readonly ingress?: IngressProps;
}

const schema = z.strictObject({
  ...workloadShape,
  websocket: z
    .strictObject({
      port: portNumber.optional(),
      connections: z.number().int().min(1),
      perPod: z.number().int().min(1),
      headroom: z.number().min(1).max(10).default(2),
    })
    .refine((w) => w.perPod <= w.connections, { message: 'perPod is larger than connections: one pod would do; lower perPod or raise connections' })
    .optional(),
  ingress: ingressSchema.optional(),
});

/**
 * An Elixir fan-out service holding websocket connections. Replicas and autoscaler bounds are
 * derived from the connections it must hold: `minReplicas = ceil(connections / perPod)`.
 */
export class ElixirFanout extends Workload {
  /** The websocket settings with defaults applied. */
  readonly websocket?: Required<WebsocketProps>;
  /** The ingress settings with defaults applied, when the websocket is exposed. */
  readonly ingress?: ResolvedIngress;

  constructor(scope: DomainScope, id: string, props: ElixirFanoutProps) {
    const derived = deriveScaling(props);
    super(
      scope,
      id,
      { ...props, ...derived, runtime: 'elixir' },
      { runtime: 'elixir', className: 'ElixirFanout', schema },
    );
    const parsed = this.parsedProps as z.output<typeof schema> | undefined;
    this.ingress = resolveIngress(this.node.path, 'ElixirFanout', parsed?.ingress, scope, problemReporter(this));
    const websocket = parsed?.websocket;
    if (websocket) {
      this.websocket = { ...websocket, port: this.ports.websocket ?? ELIXIR_PROFILE.ports.websocket! };
    }
  }

  /** Its websocket port: clients connect through the ingress controller (its own Ingress is the
   * user's, with the controller's websocket settings). */
  override get listeners(): readonly Listener[] {
    if (!this.websocket) return [];
    return [this.ingress ? { port: 'websocket', ingress: this.ingress } : { port: 'websocket' }];
  }
}

/**
 * Sizes the autoscaler from the connection load, unless the user set it. Done before the props
 * are validated so that bad numbers are reported by the schema, not by this arithmetic.
 */
function deriveScaling(props: ElixirFanoutProps): Partial<WorkloadProps> {
  const ws = props?.websocket;
  const derived: { autoscaling?: WorkloadProps['autoscaling']; ports?: WorkloadProps['ports'] } = {};
  if (ws?.port !== undefined) derived.ports = { ...props.ports, websocket: ws.port };
  const valid = ws && Number.isInteger(ws.connections) && Number.isInteger(ws.perPod) && ws.perPod > 0 && ws.connections > 0;
  if (!props?.autoscaling && valid) {
    const minReplicas = Math.max(2, Math.ceil(ws.connections / ws.perPod));
    const headroom = ws.headroom ?? 2;
    derived.autoscaling = { minReplicas, maxReplicas: Math.max(minReplicas, Math.ceil((ws.connections * headroom) / ws.perPod)) };
  }
  return derived;
}
