import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { checkSystem } from '../../cli/check.js';
import type { GrpcContractFacts, GrpcMethodFacts } from '../service/template-context.js';
import { nameForms, snakeCase } from './names.js';

/** What a system declares (domains, services, contracts by name), from its check report. */
export type ModelOutline = Awaited<ReturnType<typeof checkSystem>>['model'];

/** The root of generator-polyglot (holding package.json, templates/, schemas/), from
 * `generators/lib` (sources, run by tsx) or `dist/generators/lib` (installed). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    dir = dirname(dir);
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === 'generator-polyglot' && statSync(join(dir, 'templates')).isDirectory()) return dir;
    } catch {
      // not this level
    }
  }
  throw new Error(`generator-polyglot's package root was not found above ${fileURLToPath(import.meta.url)}`);
}

export interface OwnPackage {
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

export function ownPackage(): OwnPackage {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as Partial<OwnPackage>;
  return { version: manifest.version ?? '0.0.0', dependencies: manifest.dependencies ?? {}, devDependencies: manifest.devDependencies ?? {} };
}

/** The JSON Schema every rendered service validates its config against. */
export function serviceConfigSchema(): string {
  return readFileSync(join(packageRoot(), 'schemas', 'service-config.v1.json'), 'utf8');
}

/** generator-polyglot's own buf binary (the `@bufbuild/buf` dependency), never one on PATH. */
export function bufBinary(): string {
  const manifest = createRequire(import.meta.url).resolve('@bufbuild/buf/package.json');
  const binary = join(dirname(manifest), 'bin', 'buf');
  if (!existsSync(binary)) throw new Error(`buf is missing from generator-polyglot's dependencies (expected ${binary}); reinstall generator-polyglot`);
  return binary;
}

/**
 * Runs the system's main.ts in check mode (as `polyglot check` does) and returns what it declares.
 * The generators offer these domains and contracts as choices and check names against them.
 */
export async function readModel(dir: string): Promise<ModelOutline> {
  try {
    return (await checkSystem(dir, { quiet: true })).model;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const installed = existsSync(join(dir, 'node_modules', 'generator-polyglot'));
    throw new Error(`could not read the system's model from ${join(dir, 'main.ts')}: ${reason}${installed ? '' : '; run `npm install` in the system first'}`);
  }
}

/** The buf module folders of a system (from its buf.yaml), relative to the system. */
export function bufModules(dir: string): string[] {
  const file = join(dir, 'buf.yaml');
  if (!existsSync(file)) return [];
  const config = (parse(readFileSync(file, 'utf8')) ?? {}) as { version?: string; modules?: { path?: string }[] };
  if (config.version === 'v2' && Array.isArray(config.modules) && config.modules.length > 0) return config.modules.map((m) => m.path ?? '.');
  return ['.'];
}

interface DescriptorJson {
  file?: {
    name: string;
    package?: string;
    dependency?: string[];
    service?: { name: string; method?: { name: string; inputType: string; outputType: string; clientStreaming?: boolean; serverStreaming?: boolean }[] }[];
  }[];
}

/** What the proto sources say about a system's gRPC contracts. */
export interface ProtoFacts {
  /** The facts of a contract, or an error message naming what is wrong with it. */
  contract(contract: { name: string; service: string; proto: string }): GrpcContractFacts | string;
  /** A module-relative proto file and everything it imports that lives in the system's modules,
   * each with the path of its source (relative to the system). */
  closure(protoFile: string): Map<string, string>;
}

/**
 * Builds the system's buf workspace with its own buf (`buf build -o -#format=json`) and reads
 * the services, methods and imports from the descriptor set.
 */
export function protoFacts(dir: string): ProtoFacts {
  const modules = bufModules(dir);
  let descriptors: DescriptorJson = { file: [] };
  let failure: string | undefined;
  if (modules.length > 0) {
    const result = spawnSync(bufBinary(), ['build', '--exclude-source-info', '-o', '-#format=json'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });
    if (result.status === 0) descriptors = JSON.parse(result.stdout) as DescriptorJson;
    else failure = `buf build failed in ${dir}: ${(result.stderr || result.error?.message || '').trim()}`;
  } else {
    failure = `the system has no buf.yaml, so its .proto files cannot be read`;
  }
  const files = new Map((descriptors.file ?? []).map((f) => [f.name, f]));
  const sourceOf = (name: string): string | undefined => {
    for (const module of modules) {
      const candidate = join(module, name);
      if (existsSync(join(dir, candidate))) return candidate.split('\\').join('/');
    }
    return undefined;
  };
  return {
    contract({ name, service, proto }) {
      if (failure) return failure;
      const pkg = service.split('.').slice(0, -1).join('.');
      const serviceName = service.split('.').at(-1)!;
      for (const file of files.values()) {
        if ((file.package ?? '') !== pkg) continue;
        const found = file.service?.find((s) => s.name === serviceName);
        if (!found) continue;
        const strip = (type: string) => type.replace(/^\./, '');
        const methods: GrpcMethodFacts[] = (found.method ?? []).map((m) => ({
          name: m.name,
          camel: m.name[0]!.toLowerCase() + m.name.slice(1),
          snake: snakeCase(m.name),
          inputType: strip(m.inputType),
          inputName: strip(m.inputType).split('.').at(-1)!,
          outputType: strip(m.outputType),
          outputName: strip(m.outputType).split('.').at(-1)!,
          clientStreaming: m.clientStreaming ?? false,
          serverStreaming: m.serverStreaming ?? false,
        }));
        return { contract: name, grpcService: service, protoPackage: pkg, serviceName, protoFile: file.name, names: nameForms(name), methods };
      }
      return `contract '${name}': no service ${service} in the system's protos (it names ${proto})`;
    },
    closure(protoFile) {
      const out = new Map<string, string>();
      const visit = (name: string) => {
        if (out.has(name)) return;
        const source = sourceOf(name);
        if (!source) return; // a well-known or dependency import: the toolchains bring their own
        out.set(name, source);
        for (const dep of files.get(name)?.dependency ?? []) visit(dep);
      };
      visit(protoFile);
      return out;
    },
  };
}
