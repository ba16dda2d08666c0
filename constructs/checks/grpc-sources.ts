import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GrpcContract } from '../contracts/grpc.js';
import { readProtoDeclarations } from '../contracts/proto-source.js';
import type { Problem } from '../core/problems.js';
import { bufModuleOf, inModule, type BufModule } from './buf-module.js';
import type { Check } from '../extension.js';

/**
 * A gRPC contract is its .proto file: the file must exist inside the buf module (or buf never
 * checks it), and declare the contract's package (which carries the version) and service.
 * Systems without a buf module are not checked here (docs/checks.md).
 */
export const grpcSources: Check = (model) => {
  const lookup = bufModuleOf(model);
  if ('problem' in lookup) return [lookup.problem];
  if (!lookup.module) return [];
  return model.grpcContracts.flatMap((contract) => checkContract(contract, lookup.module!, model.contractSources.root));
};

function checkContract(contract: GrpcContract, module: BufModule, root: string): Problem[] {
  // A proto path or service name that failed validation is reported by the contract's props
  // already (an unversioned service gets version 'v0').
  if (!contract.proto.endsWith('.proto') || contract.version === 'v0') return [];
  const problem = (code: string, message: string, why: string, fix: string): Problem[] => [
    { severity: 'error', code, path: contract.node.path, message, why, fix },
  ];
  if (!inModule(module, contract.proto)) {
    return problem(
      'proto-outside-module',
      `proto '${contract.proto}' is outside the buf module (${module.protoRoots.join(', ')})`,
      'buf lints and breaking-checks only the files of its module: this contract would go unchecked',
      `move the file under ${module.protoRoots[0]}/, or add its directory to modules in buf.yaml`,
    );
  }
  const file = resolve(root, contract.proto);
  if (!existsSync(file)) {
    return problem(
      'proto-missing',
      `proto '${contract.proto}' does not exist (looked for ${file})`,
      'the contract is its .proto file: without it no client or server can be generated',
      `create ${contract.proto} declaring \`package ${contract.protoPackage};\` and \`service ${contract.service.split('.').pop()}\`, or fix the path`,
    );
  }
  const declared = readProtoDeclarations(readFileSync(file, 'utf8'));
  if (declared.package?.name !== contract.protoPackage) {
    const where = declared.package ? `${contract.proto}:${declared.package.line} declares package '${declared.package.name}'` : `${contract.proto} declares no package`;
    return problem(
      'proto-package-mismatch',
      `${where}, but the contract names '${contract.service}' (package '${contract.protoPackage}')`,
      'the package carries the contract version; generated clients would call a service name the server does not have',
      `make the package '${contract.protoPackage}', or name the contract's service after the file's package`,
    );
  }
  const name = contract.service.split('.').pop()!;
  if (declared.services.some((s) => s.name === name)) return [];
  const found = declared.services.map((s) => `'${s.name}' (line ${s.line})`).join(', ');
  return problem(
    'proto-service-missing',
    `${contract.proto} declares no service '${name}'${found ? `; it declares ${found}` : '; it declares no service at all'}`,
    'callers would get UNIMPLEMENTED for every method',
    `add \`service ${name} { … }\` to ${contract.proto}, or correct the contract's service name`,
  );
}
