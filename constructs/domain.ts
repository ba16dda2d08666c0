import { Chart } from 'cdk8s';
import { brand, hasBrand } from './core/brand.js';
import { dnsLabelProblem } from './core/names.js';
import { problemReporter } from './core/problem-sink.js';
import type { Problem } from './core/problems.js';
import { Workload } from './services/workload.js';
import type { SystemScope } from './core/settings.js';

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
  /** The System this domain belongs to, as its settings. */
  readonly system: SystemScope;
  /** The domain's name, e.g. `identity`. */
  readonly name: string;
  /** The namespace, `<system>-<domain>`. */
  override readonly namespace: string;
  readonly description?: string;
  private readonly claimed = new Set<string>();
  private readonly report: (problem: Problem) => void;

  /** True for a Domain, also one from another copy of polyglot. */
  static isDomain(value: unknown): value is Domain {
    return hasBrand(value, DOMAIN);
  }

  /** @internal use `system.domain(name)`; `id` differs from `name` only for a name that was
   * reported as unusable (the System gives that domain a placeholder id). */
  constructor(system: SystemScope, name: string, props: DomainProps = {}, id: string = name) {
    super(system, id, { disableResourceNameHashes: true });
    brand(this, DOMAIN);
    this.system = system;
    this.name = name;
    this.namespace = `${system.name}-${name}`;
    this.description = props.description;
    this.report = problemReporter(this);
    const problem = dnsLabelProblem(this.namespace);
    // An unusable name (id !== name) is already reported by the System.
    if (problem && id === name) {
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
    return this.node.children.filter((c): c is Workload => Workload.isWorkload(c)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Reserves a service name in this namespace. A second service with the same name is reported
   * (not thrown) and gets a placeholder construct id so the rest of the model can still be checked.
   * @internal
   */
  claimServiceName(name: string): string {
    // An empty id is refused by the constructs library; the service reports the empty name itself.
    if (name === '') {
      let n = 1;
      while (this.claimed.has(`(empty name)~${n}`)) n++;
      this.claimed.add(`(empty name)~${n}`);
      return `(empty name)~${n}`;
    }
    if (!this.claimed.has(name) && !this.node.tryFindChild(name)) {
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
