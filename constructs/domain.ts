import { Chart } from 'cdk8s';
import { dnsLabelProblem } from './names.js';
import { problemReporter } from './problem-sink.js';
import type { Problem } from './problems.js';
import { Workload } from './services/workload.js';
import type { System } from './system.js';

const DOMAIN = Symbol.for('polyglot.Domain');

/** Props of a {@link Domain}. */
export interface DomainProps {
  /** One line on what the domain owns; it goes into the catalog and a namespace annotation.
   * @default - none */
  readonly description?: string;
}

/**
 * A business domain (identity, catalog, realtime…): it owns its services and picks a runtime for
 * each. A domain is one Kubernetes namespace, `<system>-<domain>`, and one output file.
 * Create domains with `system.domain(name)`.
 */
export class Domain extends Chart {
  readonly system: System;
  /** The domain's name, e.g. `identity`. */
  readonly name: string;
  /** The namespace, `<system>-<domain>`. */
  override readonly namespace: string;
  readonly description?: string;
  private readonly claimed = new Set<string>();
  private readonly report: (problem: Problem) => void;

  /**
   * cdk8s' Chart answers `instanceof` for every chart; a domain must only match domains.
   */
  static override [Symbol.hasInstance](value: unknown): value is Domain {
    return Chart.isChart(value) && DOMAIN in value;
  }

  /** @internal use `system.domain(name)` */
  constructor(system: System, name: string, props: DomainProps = {}) {
    super(system, name, { disableResourceNameHashes: true });
    Object.defineProperty(this, DOMAIN, { value: true });
    this.system = system;
    this.name = name;
    this.namespace = `${system.name}-${name}`;
    this.description = props.description;
    this.report = problemReporter(this);
    const problem = dnsLabelProblem(this.namespace);
    if (problem) {
      this.report({
        severity: 'error',
        code: 'invalid-name',
        path: this.node.path,
        message: `namespace '${this.namespace}' ${problem}`,
        why: 'the domain becomes a Kubernetes namespace named <system>-<domain>',
        fix: 'use a short lower-case domain name such as "identity"',
      });
    }
  }

  /** The domain's services, sorted by name. */
  get services(): Workload[] {
    return this.node.children.filter((c): c is Workload => c instanceof Workload).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Reserves a service name in this namespace. A second service with the same name is reported
   * (not thrown) and gets a placeholder construct id so the rest of the model can still be checked.
   * @internal
   */
  claimServiceName(name: string): string {
    if (!this.claimed.has(name)) {
      this.claimed.add(name);
      return name;
    }
    let n = 2;
    while (this.claimed.has(`${name}~${n}`)) n++;
    const placeholder = `${name}~${n}`;
    this.claimed.add(placeholder);
    this.report({
      severity: 'error',
      code: 'duplicate-name',
      path: `${this.node.path}/${name}`,
      message: `two services are named '${name}' in namespace ${this.namespace}`,
      why: 'their Deployments, Services and config would overwrite each other',
      fix: 'rename one of them, or move it to another domain',
    });
    return placeholder;
  }
}
