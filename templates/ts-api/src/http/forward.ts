// Forwards one HTTP/JSON request to a unary gRPC method: validate the body (zod, derived from the
// input message), convert it with protobuf's JSON mapping, call the method inside the request's
// deadline, answer with the output message as protobuf JSON.
import { fromJson, toJson, type DescMessage, type DescMethodUnary, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import type { CallOptions } from '@connectrpc/connect';
import type { FastifyRequest } from 'fastify';
import { callOptions } from '../deadline.ts';
import { ValidationProblem } from './problem.ts';
import { zodFromMessage } from './proto-zod.ts';

export function parseInput<I extends DescMessage>(schema: I, body: unknown): MessageShape<I> {
  const result = zodFromMessage(schema).safeParse(body ?? {});
  if (!result.success) {
    const errors = result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
    throw new ValidationProblem(`the request body is not a valid ${schema.typeName}`, errors);
  }
  try {
    return fromJson(schema, result.data as JsonValue);
  } catch (error) {
    throw new ValidationProblem(`the request body is not a valid ${schema.typeName}`, [{ path: '(body)', message: (error as Error).message }]);
  }
}

export async function forward<I extends DescMessage, O extends DescMessage>(
  request: FastifyRequest,
  method: DescMethodUnary<I, O>,
  call: (input: MessageShape<I>, options: CallOptions) => Promise<MessageShape<O>>,
): Promise<JsonValue> {
  const input = parseInput(method.input, request.body);
  const output = await call(input, callOptions(request.deadline));
  return toJson(method.output, output);
}
