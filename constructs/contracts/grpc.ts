import { brand, hasBrand } from '../core/brand.js';
import { Construct } from 'constructs';
import { z } from 'zod';
import { invalidNameProblem } from '../core/names.js';
import type { Problem } from '../core/problems.js';
import { contractScope, problemReporter } from '../core/problem-sink.js';
import { parseProps } from '../core/props.js';

/** Props of a {@link GrpcContract}. */
export interface GrpcContractProps {
  /** Path of the `.proto` file that defines the service, relative to the system repository. */
  readonly proto: string;
  /**
   * Fully qualified gRPC service name, `<package>.<Service>`, e.g. `jvn.auth.v1.TokenSigner`.
   * The package must end in a version (`v1`, `v2beta1`): a breaking change gets a new package.
   */
  readonly service: string;
  /** One line on what the contract is for; it goes into the catalog.
   * @default - none */
  readonly description?: string;
}

const VERSIONED_SERVICE = /^([a-z_][a-z0-9_]*\.)+(v\d+((alpha|beta)\d+)?)\.([A-Z][A-Za-z0-9]*)$/;

const schema = z.strictObject({
  proto: z.string().regex(/\.proto$/, "expected a path to a .proto file, e.g. 'contracts/jvn/auth/v1/signer.proto'"),
  service: z
    .string()
    .regex(VERSIONED_SERVICE, "expected '<package>.v<N>.<Service>', e.g. 'jvn.auth.v1.TokenSigner' (the package carries the version)"),
  description: z.string().optional(),
});

const GRPC_CONTRACT = Symbol.for('polyglot.GrpcContract');

/**
 * A synchronous contract: a gRPC service defined in a `.proto` file. Services name the contract
 * they serve or call, never each other.
 */
export class GrpcContract extends Construct {
  /** True for a GrpcContract, also one from another copy of polyglot. */
  static isGrpcContract(value: unknown): value is GrpcContract {
    return hasBrand(value, GRPC_CONTRACT);
  }

  /** The contract's name: its construct id. */
  readonly name: string;
  readonly proto: string;
  readonly service: string;
  /** The package version, e.g. `v1`. */
  readonly version: string;
  readonly description?: string;

  constructor(scope: Construct, id: string, props: GrpcContractProps) {
    super(contractScope(scope), claimContractId(scope, id, 'GrpcContract'));
    brand(this, GRPC_CONTRACT);
    const report = problemReporter(this);
    this.name = id;
    reportContractName(this, id, report);
    const parsed = parseProps(this, 'GrpcContract', schema, props, report);
    this.proto = parsed?.proto ?? String(props?.proto ?? '');
    this.service = parsed?.service ?? String(props?.service ?? '');
    this.version = VERSIONED_SERVICE.exec(this.service)?.[2] ?? 'v0';
    this.description = parsed?.description;
  }

  /** The `.proto` package, e.g. `jvn.auth.v1`. */
  get protoPackage(): string {
    return this.service.split('.').slice(0, -1).join('.');
  }
}

/**
 * The construct id a contract is created under. The constructs library throws on an empty or
 * taken id; a contract whose name is empty (reported by {@link reportContractName}) or taken
 * (reported here) gets a placeholder id, so synth can report it with every other problem.
 */
export function claimContractId(scope: Construct, id: string, className: string): string {
  const parent = contractScope(scope);
  const name = typeof id === 'string' ? id : String(id);
  if (name !== '' && !parent.node.tryFindChild(name)) return name;
  const base = name === '' ? '(empty name)' : name;
  let n = name === '' ? 1 : 2;
  while (parent.node.tryFindChild(`${base}~${n}`)) n++;
  if (name !== '') {
    const taken = parent.node.tryFindChild(name)!;
    problemReporter(parent)({
      severity: 'error',
      code: 'duplicate-name',
      path: taken.node.path,
      message: `two contracts are named '${name}'${isContract(taken) ? '' : ` (the name is taken by ${taken.node.path})`}`,
      why: 'a contract name is its file name, config key and NATS consumer name: a second one would overwrite the first',
      fix: `rename one of them (new ${className}(system, '<another name>', …)), or reuse the first one`,
    });
  }
  return `${base}~${n}`;
}

function isContract(construct: Construct): boolean {
  return GrpcContract.isGrpcContract(construct) || hasBrand(construct, Symbol.for('polyglot.EventContract'));
}

/** Contract names become file names and config keys: hold them to DNS label rules. */
export function reportContractName(scope: Construct, id: string, report: (problem: Problem) => void): void {
  const problem = invalidNameProblem(scope.node.path, id, 'contract name', 'contract names become file names, config keys and NATS consumer names');
  if (problem) report(problem);
}
