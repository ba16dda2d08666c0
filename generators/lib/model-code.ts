import type { ContractAnswers, ServiceAnswers, StoredConfig } from './answers.js';
import { RUNTIMES, isRuntime } from './answers.js';
import { subjectTokens } from './contracts.js';
import { nameForms } from './names.js';

/**
 * The model code the generators own, under `model/` of a system. main.ts (the user's) imports
 * `model/index.ts` once and is never rewritten; these files are regenerated from `.yo-rc.json`.
 */
export const MODEL_DIR = 'model';

const HEADER = (what: string) =>
  `// ${what}\n// Written by generator-polyglot from .yo-rc.json. You may edit it: a re-run asks before it\n// overwrites a file you changed (and \`--yes\` keeps yours).\n`;

const q = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** `model/index.ts`: the two entry points main.ts calls. */
export function indexFile(config: StoredConfig): string {
  const contracts = Object.keys(config.contracts ?? {}).sort();
  const services = Object.keys(config.services ?? {}).sort();
  const imports = [
    `import type { System } from 'generator-polyglot';`,
    ...contracts.map((c) => `import { declare as ${nameForms(c).camel}Contract } from './contracts/${c}.js';`),
    ...services.map((s) => `import { register as ${nameForms(s).camel}Service } from './services/${s}.js';`),
  ];
  return `${HEADER('The contracts and services made by `polyglot new`. main.ts calls these two functions.')}${imports.join('\n')}

/** Declares the contracts made by \`polyglot new contract\` (and \`new service\`), in model/contracts/. */
export function generatedContracts(system: System): void {
${contracts.map((c) => `  ${nameForms(c).camel}Contract(system);`).join('\n') || '  void system; // none yet: `npx polyglot new contract`'}
}

/** Declares the services made by \`polyglot new service\`, in model/services/. */
export function generatedServices(system: System): void {
${services.map((s) => `  ${nameForms(s).camel}Service(system);`).join('\n') || '  void system; // none yet: `npx polyglot new service`'}
}
`;
}

/** `model/lookup.ts`: finds a contract by name wherever main.ts or model/ declared it. */
export function lookupFile(): string {
  return `${HEADER('Finds contracts by name, so generated services can use the contracts main.ts declares.')}import type { EventContract, GrpcContract, System } from 'generator-polyglot';

type Kinds = { grpc: GrpcContract; event: EventContract };

function find<K extends keyof Kinds>(system: System, kind: K, name: string): Kinds[K] {
  const model = system.model();
  const found = (kind === 'grpc' ? model.grpcContracts : model.eventContracts).find((c) => c.name === name);
  if (!found) {
    throw new Error(\`no \${kind === 'grpc' ? 'gRPC' : 'event'} contract named '\${name}': declare it in main.ts before generatedServices(system), or run \\\`npx polyglot new contract --kind \${kind} --name \${name}\\\`\`);
  }
  return found as Kinds[K];
}

export const grpcContract = (system: System, name: string): GrpcContract => find(system, 'grpc', name);
export const eventContract = (system: System, name: string): EventContract => find(system, 'event', name);
`;
}

/** `model/contracts/<name>.ts`. */
export function contractFile(name: string, contract: ContractAnswers): string {
  const description = contract.description ? `\n    description: ${q(contract.description)},` : '';
  if (contract.kind === 'grpc') {
    return `${HEADER(`The gRPC contract ${name}: its methods are in ${contract.proto}.`)}import { GrpcContract, type System } from 'generator-polyglot';

export function declare(system: System): GrpcContract {
  return new GrpcContract(system, ${q(name)}, {
    proto: ${q(contract.proto)},
    service: ${q(contract.service)},${description}
  });
}
`;
  }
  const fields = [...subjectTokens(contract.subject).map((t) => `${t}: z.string()`), 'at: z.iso.datetime()'];
  return `${HEADER(`The event contract ${name}: subject ${contract.subject}.`)}import { EventContract, type System } from 'generator-polyglot';
import { z } from 'zod';

export function declare(system: System): EventContract {
  return new EventContract(system, ${q(name)}, {
    subject: ${q(contract.subject)},
    // The message: describe it here. \`polyglot contracts lock\` records it; a breaking change
    // later needs a new version.
    schema: z.object({ ${fields.join(', ')} }),
    stream: { name: ${q(contract.stream)}, maxAge: '24h' },${description}
  });
}
`;
}

/** `model/services/<name>.ts`. */
export function serviceFile(name: string, service: ServiceAnswers): string {
  if (!isRuntime(service.runtime)) throw new Error(`service ${name}: unknown runtime ${service.runtime}`);
  const { className, template } = RUNTIMES[service.runtime];
  const props: string[] = [];
  const grpc = (c: string) => `grpcContract(system, ${q(c)})`;
  const event = (c: string) => `eventContract(system, ${q(c)})`;
  props.push(`    serves: [${service.serves.map(grpc).join(', ')}],`);
  props.push(
    service.calls.length === 0
      ? '    calls: [],'
      : `    calls: [\n${service.calls.map((c) => `      { contract: ${grpc(c.contract)}, timeout: ${q(c.timeout)}, retries: ${c.retries} },`).join('\n')}\n    ],`,
  );
  props.push(`    publishes: [${service.publishes.map(event).join(', ')}],`);
  props.push(`    subscribes: [${service.subscribes.map(event).join(', ')}],`);
  if (service.deadline) props.push(`    deadline: ${q(service.deadline)},`);
  if (service.runtime === 'elixir') props.push('    // The load the websockets must carry: set it from your own numbers.\n    websocket: { connections: 10_000, perPod: 5_000 },');
  const usesLookup = service.serves.length + service.calls.length > 0;
  const usesEvents = service.publishes.length + service.subscribes.length > 0;
  const lookups = [usesEvents ? 'eventContract' : '', usesLookup ? 'grpcContract' : ''].filter(Boolean);
  return `${HEADER(`The ${service.runtime} service ${name} (code in services/${name}/, from templates/${template}).`)}import { ${className}, type System } from 'generator-polyglot';
${lookups.length > 0 ? `import { ${lookups.join(', ')} } from '../lookup.js';\n` : ''}
export function register(system: System): ${className} {
  return new ${className}(system.domain(${q(service.domain)}), ${q(name)}, {
${props.join('\n')}
  });
}
`;
}
