import type { Construct } from 'constructs';
import type { Check } from '../extension.js';
import type { SynthContext, Synthesizer, SystemExtensions } from '../extension.js';
import { telemetryWiring } from './env.js';
import { renderCollectorConfigs, synthesizeTelemetryChart } from './kubernetes.js';
import type { TelemetrySettings } from './props.js';

/**
 * The OpenTelemetry pipeline of a system: the agent and gateway collectors in `<system>-telemetry`,
 * their configs (also written to `otel/agent.yml` and `otel/gateway.yml`), and the same OTEL_*
 * wiring on every workload.
 */
export class TelemetryPipeline implements Synthesizer {
  /** The env and egress every service gets. */
  readonly wiring;

  constructor(
    private readonly scope: Construct,
    private readonly system: string,
    private readonly settings: TelemetrySettings,
  ) {
    this.wiring = telemetryWiring(settings);
  }

  synthesize(context: SynthContext): void {
    // `.yml`, not `.yaml`: `cdk8s synth` treats every `*.yaml` in the outdir as a manifest and
    // `cdk8s synth --stdout` would splice these configs into the stream piped to kubectl.
    const configs = renderCollectorConfigs(this.system, this.settings);
    synthesizeTelemetryChart(this.scope, this.system, this.settings, configs);
    context.addFile('otel/agent.yml', configs.agent);
    context.addFile('otel/gateway.yml', configs.gateway);
  }

  /** The telemetry namespace is `<system>-telemetry`: a domain named `telemetry` would collide. */
  readonly check: Check = (model) =>
    model.domains
      .filter((d) => d.name === 'telemetry')
      .map((d) => ({
        severity: 'error' as const,
        code: 'reserved-name',
        path: d.node.path,
        message: `domain 'telemetry' collides with the telemetry pipeline's namespace ${model.name}-telemetry`,
        why: 'two owners of one namespace would overwrite each other\'s network policies',
        fix: "rename the domain (e.g. 'observability'), or disable the pipeline with telemetry: { enabled: false }",
      }));
}

/** Gives a System its telemetry pipeline, unless it is disabled. */
export function addTelemetry(system: SystemExtensions, settings: TelemetrySettings): void {
  if (!settings.enabled) return;
  const pipeline = new TelemetryPipeline(system, system.name, settings);
  system.addSynthesizer(pipeline);
  system.addWorkloadWiring(pipeline.wiring);
  system.addCheck(pipeline.check);
}
