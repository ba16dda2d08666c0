import type { GrpcContractFacts } from '../service/template-context.js';
import type { EventContractAnswers, GrpcContractAnswers } from './answers.js';
import { nameForms } from './names.js';

/** A new gRPC contract: its answers, the buf-lint-clean (STANDARD) .proto skeleton and its facts. */
export interface GrpcSkeleton {
  readonly answers: GrpcContractAnswers;
  /** The .proto path inside the buf module, e.g. `shop/billing/v1/billing.proto`. */
  readonly moduleFile: string;
  readonly content: string;
  readonly facts: GrpcContractFacts;
}

/**
 * The skeleton of contract `name` in system `system`, in buf module `module` (`contracts`):
 * package `<system>.<name>.v1` (snake case), service `<Name>Service` with one unary `Ping` that
 * echoes a message, so a service that serves it builds and answers from the first minute.
 */
export function grpcSkeleton(system: string, name: string, module: string, description?: string): GrpcSkeleton {
  const sys = nameForms(system).snake;
  const names = nameForms(name);
  const pkg = `${sys}.${names.snake}.v1`;
  const serviceName = `${names.pascal}Service`;
  const moduleFile = `${sys}/${names.snake}/v1/${names.snake}.proto`;
  const content = `syntax = "proto3";

package ${pkg};

// ${serviceName} is the ${name} contract of ${system}${description ? `: ${description}` : '.'}
// Add its methods here; \`polyglot check\` runs buf lint and buf breaking on this file.
service ${serviceName} {
  // Ping answers with the message it was sent: proof that the service is up and reachable.
  rpc Ping(PingRequest) returns (PingResponse);
}

// PingRequest carries the message to echo.
message PingRequest {
  string message = 1;
}

// PingResponse carries the message back.
message PingResponse {
  string message = 1;
}
`;
  const facts: GrpcContractFacts = {
    contract: name,
    grpcService: `${pkg}.${serviceName}`,
    protoPackage: pkg,
    serviceName,
    protoFile: moduleFile,
    names,
    methods: [
      {
        name: 'Ping',
        camel: 'ping',
        snake: 'ping',
        inputType: `${pkg}.PingRequest`,
        inputName: 'PingRequest',
        outputType: `${pkg}.PingResponse`,
        outputName: 'PingResponse',
        clientStreaming: false,
        serverStreaming: false,
      },
    ],
  };
  return { answers: { kind: 'grpc', proto: `${module}/${moduleFile}`, service: facts.grpcService, ...(description ? { description } : {}) }, moduleFile, content, facts };
}

const SUBJECT_TOKEN = /^([A-Za-z0-9_-]+|\{[a-z][a-zA-Z0-9_]*\})$/;

/** Why a subject is not one an event can be published on, or undefined. */
export function subjectProblem(subject: string): string | undefined {
  const bad = subject.split('.').filter((t) => !SUBJECT_TOKEN.test(t));
  if (bad.length === 0) return undefined;
  return `'${subject}' has invalid token${bad.length > 1 ? 's' : ''} ${bad.map((t) => `'${t}'`).join(', ')}: use letters, digits, '-' and '_', or a named token such as '{order}' (no '*' or '>')`;
}

/** An event contract's defaults: subject `<system>.<name>` and a stream named after it. */
export function eventDefaults(system: string, name: string, subject?: string, description?: string): EventContractAnswers {
  return {
    kind: 'event',
    subject: subject ?? `${system}.${name}`,
    stream: nameForms(name).snake.toUpperCase(),
    ...(description ? { description } : {}),
  };
}

/** The `{token}` names of a subject, for the skeleton schema. */
export function subjectTokens(subject: string): string[] {
  return subject
    .split('.')
    .filter((t) => t.startsWith('{'))
    .map((t) => t.slice(1, -1));
}
