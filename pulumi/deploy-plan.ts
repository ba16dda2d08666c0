import { parse, parseAllDocuments } from 'yaml';
import type { RequiredSecret, System } from '../constructs/index.js';

/** A Kubernetes object as synthesized. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/**
 * A System's objects in the order they can be applied safely:
 * 1. `foundation`: CustomResourceDefinitions and Namespaces (everything else lives in them or is
 *    one of their kinds);
 * 2. `platform`: the NATS spine and the telemetry pipeline, which every service connects to;
 * 3. `domains`: the services, domain by domain.
 * The generated Secrets go between 1 and 2: NATS servers and services read them at start.
 */
export interface DeployPlan {
  readonly foundation: readonly KubeObject[];
  readonly platform: readonly KubeObject[];
  readonly domains: readonly KubeObject[];
  /** Secrets with random values to create (`type: 'generated'` of the secrets plan). */
  readonly generatedSecrets: readonly RequiredSecret[];
  /** Secrets the user brings (TLS certificates, values that exist elsewhere); listed, never made up. */
  readonly userSecrets: readonly RequiredSecret[];
}

const KUSTOMIZATION = 'kustomization.yml';
const SECRETS_PLAN = 'secrets.json';

/**
 * Synthesizes the System in memory (nothing is written) and orders its objects. The platform
 * files are the ones the kustomization lists first (synth writes the spine and telemetry there).
 * @param crds extra CustomResourceDefinitions (YAML) the objects need, such as NACK's.
 * @throws SynthError when the model has errors
 */
export function deployPlan(system: System, crds: string = ''): DeployPlan {
  const files = system.files();
  const kustomization = parse(required(files, KUSTOMIZATION)) as { resources?: string[] };
  const order = kustomization.resources ?? [];
  const platformFiles = new Set([`${system.name}-nats.k8s.yaml`, `${system.name}-telemetry.k8s.yaml`]);
  const foundation: KubeObject[] = objectsOf(crds, 'the crds argument');
  const platform: KubeObject[] = [];
  const domains: KubeObject[] = [];
  for (const file of order) {
    for (const object of objectsOf(required(files, file), file)) {
      if (object.kind === 'Namespace' || object.kind === 'CustomResourceDefinition') foundation.push(object);
      else (platformFiles.has(file) ? platform : domains).push(object);
    }
  }
  const plan = JSON.parse(required(files, SECRETS_PLAN)) as { secrets: RequiredSecret[] };
  return {
    foundation,
    platform,
    domains,
    generatedSecrets: plan.secrets.filter((s) => s.type === 'generated'),
    userSecrets: plan.secrets.filter((s) => s.type !== 'generated'),
  };
}

function required(files: ReadonlyMap<string, string>, path: string): string {
  const content = files.get(path);
  if (content === undefined) throw new Error(`polyglot: synth produced no ${path}; is this generator-polyglot's System?`);
  return content;
}

function objectsOf(yaml: string, source: string): KubeObject[] {
  return parseAllDocuments(yaml)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`polyglot: ${source} is not valid YAML: ${doc.errors[0]!.message}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}
