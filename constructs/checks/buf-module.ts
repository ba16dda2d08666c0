import { existsSync, readFileSync } from 'node:fs';
import { holdsProto } from '../contracts/proto-files.js';
import { join, normalize, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import type { SystemModel } from '../model.js';
import type { Problem } from '../core/problems.js';

/** The system's buf module as the checks need it. */
export interface BufModule {
  /** The module directory, relative to the system root (buf runs in the root with this input). */
  readonly dir: string;
  /** Directories holding .proto files, relative to the system root (buf.yaml v2 `modules[].path`). */
  readonly protoRoots: readonly string[];
}

/** The buf module, `undefined` when the system has none, or the problem with it. */
export type BufModuleLookup = { readonly module?: BufModule } | { readonly problem: Problem };

const cache = new WeakMap<SystemModel, BufModuleLookup>();

/** Finds and reads the system's buf.yaml once per model. */
export function bufModuleOf(model: SystemModel): BufModuleLookup {
  let lookup = cache.get(model);
  if (!lookup) cache.set(model, (lookup = readBufModule(model)));
  return lookup;
}

function readBufModule(model: SystemModel): BufModuleLookup {
  const { root, bufModule, bufModuleDeclared } = model.contractSources;
  if (bufModule === undefined) return { module: undefined };
  const file = resolve(root, bufModule, 'buf.yaml');
  if (!existsSync(file)) {
    return {
      problem: {
        severity: 'error',
        code: 'buf-module-missing',
        path: '',
        message: `contracts.bufModule is '${bufModule}', but ${file} does not exist`,
        why: 'without the buf module the proto files behind the gRPC contracts cannot be linted or checked for breaking changes',
        fix: bufModuleDeclared ? 'point contracts.bufModule at the directory holding buf.yaml' : 'create a buf.yaml (version: v2) in the system directory',
      },
    };
  }
  let config: { version?: string; modules?: { path?: string }[] } | null;
  try {
    config = parse(readFileSync(file, 'utf8')) as typeof config;
  } catch (error) {
    return { problem: { severity: 'error', code: 'buf-module-invalid', path: '', message: `${relative(root, file)} is not valid YAML: ${(error as Error).message}`, fix: 'fix the YAML syntax of buf.yaml' } };
  }
  // buf.yaml v2 lists its modules; v1 (and v2 without `modules`) is a module rooted at its own directory.
  const paths = config?.version === 'v2' && Array.isArray(config.modules) ? config.modules.map((m) => m.path ?? '.') : ['.'];
  const protoRoots = paths.map((p) => normalize(join(bufModule, p)));
  // A new system has its buf module before its first contract: buf refuses a module without a
  // .proto file, and there is nothing to lint or compare yet. A contract that names a missing
  // proto is reported by the proto checks.
  if (!protoRoots.some((dir) => holdsProto(resolve(root, dir)))) return { module: undefined };
  return { module: { dir: bufModule, protoRoots } };
}


/** True when `proto` (relative to the root) lies inside one of the module's proto roots. */
export function inModule(module: BufModule, proto: string): boolean {
  const file = normalize(proto);
  return module.protoRoots.some((root) => root === '.' || file.startsWith(`${root}/`));
}
