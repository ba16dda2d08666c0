import type { SystemAnswers } from '../lib/answers.js';
import type { OwnPackage } from '../lib/system.js';

/**
 * The files of a new system repository, written once: after that they are the user's (main.ts
 * above all: the generators never rewrite it; their model code lives in model/, which main.ts
 * imports).
 */
export function appFiles(system: SystemAnswers, own: OwnPackage): Record<string, string> {
  const range = (name: string, fallback: string) => own.dependencies[name] ?? own.devDependencies[name] ?? fallback;
  const packageJson = {
    name: system.name,
    version: system.version,
    private: true,
    description: `The ${system.name} system: one typed model synthesized to Kubernetes, NATS and OpenTelemetry config`,
    type: 'module',
    scripts: {
      start: 'polyglot synth',
      test: 'polyglot check',
      'contracts:lock': 'polyglot contracts lock',
      typecheck: 'tsc --noEmit',
    },
    dependencies: {
      'generator-polyglot': `^${own.version}`,
      zod: range('zod', '^4.0.0'),
    },
    devDependencies: {
      '@types/node': range('@types/node', '^20.0.0'),
      'cdk8s-cli': range('cdk8s-cli', '^2.200.0'),
      tsx: range('tsx', '^4.0.0'),
      typescript: range('typescript', '~5.9'),
    },
    engines: { node: '>=20.11' },
  };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['main.ts', 'model'],
      },
      null,
      2,
    )}\n`,
    'main.ts': `/**
 * The ${system.name} system. This file is yours: the generators never rewrite it.
 *
 * \`npx polyglot new contract\` and \`npx polyglot new service\` write their model code into model/
 * (regenerated from .yo-rc.json); the two calls below bring it in.
 */
import { System } from 'generator-polyglot';
import { generatedContracts, generatedServices } from './model/index.js';

const system = new System({
  name: '${system.name}',
  version: '${system.version}',
  imageRegistry: '${system.imageRegistry}',
  // The proto files (contracts/, a buf module), buf.yaml and contracts.lock.json sit beside this file.
  contracts: { root: import.meta.dirname },
});

// Contracts made by \`polyglot new contract\` and \`polyglot new service\` (model/contracts/).
generatedContracts(system);

// Your own contracts, domains and services go here, e.g.
//   new GrpcContract(system, 'search', { proto: 'contracts/${system.name}/search/v1/search.proto', service: '${system.name}.search.v1.SearchService' });
// Generated services can use contracts declared above this line.

// Services made by \`polyglot new service\` (model/services/).
generatedServices(system);

system.synth();
`,
    'cdk8s.yaml': `language: typescript\napp: node --import tsx main.ts\noutput: dist\n`,
    'buf.yaml': `version: v2
modules:
  - path: contracts
lint:
  use:
    - STANDARD
breaking:
  use:
    - FILE
`,
    'contracts/README.md': `# Contracts

The buf module of ${system.name} (buf.yaml at the top of the repository). One folder per package,
the version last: \`${system.name}/<name>/v1/<name>.proto\`. \`npx polyglot new contract --kind grpc\`
writes a skeleton; \`npm test\` runs buf lint and buf breaking on them.
`,
    '.gitignore': `node_modules/\n# polyglot synth: dist is a link to the current output in .dist.polyglot/\ndist\n.dist.polyglot/\n*.log\n.env\n`,
    'README.md': `# ${system.name}

A polyglot system: one typed model (\`main.ts\`) synthesized to Kubernetes, NATS and OpenTelemetry
config by [generator-polyglot](https://www.npmjs.com/package/generator-polyglot).

\`\`\`sh
npm install
npm start            # polyglot synth: writes dist/
npm test             # polyglot check: every check synth runs, nothing written
npx cdk8s synth      # the same output through the cdk8s CLI
\`\`\`

Add to it:

\`\`\`sh
npx polyglot new contract --kind grpc --name identity --yes
npx polyglot new contract --kind event --name order-placed --subject '${system.name}.orders.placed.{order}' --yes
npx polyglot new service --runtime go --name billing --domain billing --calls identity --yes
npx polyglot new service --runtime typescript --name gateway --domain edge --calls billing --yes
\`\`\`

- \`main.ts\` is yours. Generated model code lives in \`model/\`, services in \`services/<name>/\`,
  proto files in \`contracts/\`.
- The answers are kept in \`.yo-rc.json\`; \`npx polyglot init\` in this folder regenerates every
  service from them (after a generator-polyglot upgrade, say). A file you changed is never
  overwritten without asking; \`--yes\` keeps yours, \`--force\` overwrites.
`,
  };
}
