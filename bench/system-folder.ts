import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grpcContractOf, type SystemPlan } from './plan.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Writes a generated system as users keep one, so the bench can run `polyglot synth` on it the way
 * they do: a package, a main.ts that builds the model of the plan, a buf module holding a lint-clean
 * .proto for every gRPC contract (so buf lint, buf breaking and the proto checks run), and the
 * buf.yaml. The contracts lock is written by the caller with `polyglot contracts lock`, as users
 * do, so event-lock and breaking-change detection run too.
 */
export function writeSystemFolder(dir: string, plan: SystemPlan, seed: number): void {
  mkdirSync(dir, { recursive: true });
  // Installed as users install it (`npm install generator-polyglot`): a node_modules, where
  // polyglot keeps buf's cache (node_modules/.cache/polyglot).
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(dirname(here), join(dir, 'node_modules', 'generator-polyglot'), 'dir');
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `${plan.name}-system`, private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(
    join(dir, 'main.ts'),
    [
      `import { buildSystem } from ${JSON.stringify(join(here, 'generate.ts'))};`,
      `import { planSystem } from ${JSON.stringify(join(here, 'plan.ts'))};`,
      '',
      `buildSystem(planSystem({ services: ${plan.services.length}, seed: ${seed} })).system.synth();`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'buf.yaml'),
    ['version: v2', 'modules:', '  - path: contracts', 'lint:', '  use:', '    - STANDARD', '  except:', '    - SERVICE_SUFFIX', 'breaking:', '  use:', '    - FILE', ''].join('\n'),
  );
  for (const service of plan.services) {
    if (!service.serves) continue;
    const contract = grpcContractOf(plan, service.index);
    const file = join(dir, contract.proto);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      [
        'syntax = "proto3";',
        '',
        `package ${contract.pkg};`,
        '',
        `// Api is what ${service.name} serves.`,
        'service Api {',
        '  // Call does the work of one request.',
        '  rpc Call(CallRequest) returns (CallResponse);',
        '}',
        '',
        '// CallRequest names the key to work on.',
        'message CallRequest {',
        '  string key = 1;',
        '  int64 at_unix_ms = 2;',
        '}',
        '',
        '// CallResponse is the result.',
        'message CallResponse {',
        '  string key = 1;',
        '  double value = 2;',
        '}',
        '',
      ].join('\n'),
    );
  }
}
