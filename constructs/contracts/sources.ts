import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Where a system's contracts live and what they are compared with for breaking changes
 * (docs/checks.md). Every path is relative to `root`.
 */
export interface ContractSourcesProps {
  /**
   * The system repository: `GrpcContract` proto paths, the buf module and the lock file are
   * relative to it.
   * @default - the working directory, which is the system directory under `polyglot synth`,
   * `polyglot check` and `cdk8s synth`
   */
  readonly root?: string;
  /**
   * Directory of the buf module (the one holding `buf.yaml`). When set, it must exist.
   * @default - `root` when it holds a `buf.yaml`; without one, proto files are not checked
   */
  readonly bufModule?: string;
  /**
   * The baseline `buf breaking` compares the protos with: any local buf input, such as a git
   * ref (`'.git#branch=main'`) or a saved image (`'baseline.binpb'`). No network is used.
   * @default - the image saved in the lock file by `polyglot contracts lock`
   */
  readonly breakingAgainst?: string;
  /**
   * The lock file written by `polyglot contracts lock`: each event's JSON Schema and version
   * (and the gRPC baseline image). Synth fails on a breaking change against it.
   * @default 'contracts.lock.json'
   */
  readonly lockFile?: string;
}

/** The contract sources with defaults applied; `root` is absolute. */
export interface ContractSources {
  readonly root: string;
  /** The buf module directory relative to `root`, `undefined` when the system has none. */
  readonly bufModule?: string;
  /** True when `bufModule` was set in the props, so a missing `buf.yaml` is an error. */
  readonly bufModuleDeclared: boolean;
  readonly breakingAgainst?: string;
  readonly lockFile: string;
}

const relativePath = z.string().min(1);

/** The zod schema of {@link ContractSourcesProps}. */
export const contractSourcesSchema = z.strictObject({
  root: relativePath.optional(),
  bufModule: relativePath.optional(),
  breakingAgainst: relativePath.optional(),
  lockFile: relativePath.regex(/\.json$/, "expected a .json file such as 'contracts.lock.json'").default('contracts.lock.json'),
});

/** Applies the defaults; reads the file system once to find a `buf.yaml` in the root. */
export function resolveContractSources(props: z.output<typeof contractSourcesSchema> | undefined): ContractSources {
  const root = resolve(props?.root ?? '.');
  const bufModule = props?.bufModule ?? (existsSync(resolve(root, 'buf.yaml')) ? '.' : undefined);
  return {
    root,
    bufModule,
    bufModuleDeclared: props?.bufModule !== undefined,
    breakingAgainst: props?.breakingAgainst,
    lockFile: props?.lockFile ?? 'contracts.lock.json',
  };
}
