import { parseAllDocuments } from 'yaml';
import type { System } from '../../constructs/index.js';

/** A Kubernetes object as synthesized, loosely typed for assertions. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  [key: string]: any;
}

/** Synthesizes in memory and returns every manifest object, keyed by file. */
export function manifests(system: System): Map<string, KubeObject[]> {
  const result = new Map<string, KubeObject[]>();
  for (const [path, content] of system.files()) {
    if (!path.endsWith('.k8s.yaml')) continue;
    result.set(path, parseAllDocuments(content).map((d) => d.toJS() as KubeObject).filter(Boolean));
  }
  return result;
}

/** All manifest objects in one list. */
export function allObjects(system: System): KubeObject[] {
  return [...manifests(system).values()].flat();
}

/** The one object of a kind and name (and namespace, if given); fails the test when absent. */
export function find(objects: KubeObject[], kind: string, name: string, namespace?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name && (!namespace || o.metadata.namespace === namespace));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${namespace ?? '*'}/${name}, found ${found.length}`);
  return found[0]!;
}

/** The pod template's containers of every workload object. */
export function containersOf(objects: KubeObject[]): { owner: string; container: any; pod: any }[] {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    .flatMap((o) =>
      [...(o.spec.template.spec.containers ?? []), ...(o.spec.template.spec.initContainers ?? [])].map((container: any) => ({
        owner: `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
        container,
        pod: o.spec.template.spec,
      })),
    );
}
