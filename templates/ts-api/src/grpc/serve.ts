// A served gRPC contract for @grpc/grpc-js, from the protobuf-es descriptor of its service (the
// code `npm run generate` writes): the method paths, (de)serialisation with protobuf-es, and typed
// handlers. Each call gets a server span (the caller's trace context from its metadata), a
// deadline (the caller's grpc-timeout, capped by the config's `deadlineMs`) and a status:
// a thrown ConnectError keeps its code (Connect's codes are gRPC's), anything else is INTERNAL.
import { create, fromBinary, toBinary, type DescMessage, type DescMethod, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { Code, ConnectError } from '@connectrpc/connect';
import { status, type Metadata, type MethodDefinition, type ServerDuplexStream, type ServerErrorResponse, type ServerReadableStream, type ServerUnaryCall, type ServerWritableStream, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { context as otelContext, propagation, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { Deadline } from '../deadline.ts';

const tracer = trace.getTracer('polyglot.grpc-server');

/** What a handler gets beside its input. */
export interface CallContext {
  /** The call's budget: the caller's deadline, never more than the config's `deadlineMs`. Pass
   * `callOptions(context.deadline)` to the clients you call, so they run inside it. */
  readonly deadline: Deadline;
  /** The request metadata (headers). */
  readonly metadata: Metadata;
}

type Init<M extends DescMessage> = MessageInitShape<M>;

/** The handler of one method, by its kind. */
export type MethodHandler<M extends Pick<DescMethod, 'input' | 'output' | 'methodKind'>> = M['methodKind'] extends 'unary'
  ? (request: MessageShape<M['input']>, context: CallContext) => Promise<Init<M['output']>> | Init<M['output']>
  : M['methodKind'] extends 'server_streaming'
    ? (request: MessageShape<M['input']>, context: CallContext) => AsyncIterable<Init<M['output']>>
    : M['methodKind'] extends 'client_streaming'
      ? (requests: AsyncIterable<MessageShape<M['input']>>, context: CallContext) => Promise<Init<M['output']>>
      : (requests: AsyncIterable<MessageShape<M['input']>>, context: CallContext) => AsyncIterable<Init<M['output']>>;

/** Every method of a service, by its local (camelCase) name. */
export type ServiceHandlers<S extends GenServiceMethods> = { readonly [K in keyof S]: MethodHandler<S[K]> };

/** A contract ready to add to a grpc-js server. */
export interface ServedContract {
  /** The fully qualified service name (`grpc.health.v1` reports it). */
  readonly name: string;
  readonly definition: ServiceDefinition;
  /** Builds the implementation with the config's budget for incoming calls. */
  implementation(deadlineMs: number, onInternalError: (error: unknown, method: string) => void): UntypedServiceImplementation;
}

/** A served contract: the generated service descriptor and its handlers. */
export function serve<S extends GenServiceMethods>(service: GenService<S>, handlers: ServiceHandlers<S>): ServedContract {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) definition[method.localName] = methodDefinition(method);
  return {
    name: service.typeName,
    definition: definition as ServiceDefinition,
    implementation(deadlineMs, onInternalError) {
      const implementation: UntypedServiceImplementation = {};
      for (const method of service.methods) {
        const handler = (handlers as Record<string, unknown>)[method.localName] as AnyHandler;
        implementation[method.localName] = adapt(method, handler, deadlineMs, onInternalError);
      }
      return implementation;
    },
  };
}

function methodDefinition(method: DescMethod): MethodDefinition<unknown, unknown> {
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
    responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
    requestSerialize: (value) => Buffer.from(toBinary(method.input, value as MessageShape<DescMessage>)),
    requestDeserialize: (bytes) => fromBinary(method.input, bytes),
    // Handlers may answer with an init object: `create` fills it in (a message is returned as is).
    responseSerialize: (value) => Buffer.from(toBinary(method.output, create(method.output, value as Init<DescMessage>))),
    responseDeserialize: (bytes) => fromBinary(method.output, bytes),
    originalName: method.localName,
  };
}

type AnyHandler = (input: unknown, context: CallContext) => unknown;
type AnyCall = ServerUnaryCall<unknown, unknown> | ServerReadableStream<unknown, unknown> | ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>;
type Callback = (error: ServerErrorResponse | null, value?: unknown) => void;

function adapt(method: DescMethod, handler: AnyHandler, deadlineMs: number, onInternalError: (error: unknown, method: string) => void) {
  const name = `${method.parent.typeName}/${method.name}`;
  const toStatus = (error: unknown): ServerErrorResponse => {
    if (error instanceof ConnectError) return Object.assign(new Error(error.rawMessage), { code: error.code as number as status, details: error.rawMessage });
    onInternalError(error, name);
    return Object.assign(new Error('internal error'), { code: status.INTERNAL, details: 'internal error' });
  };
  // Runs `body` in a server span that continues the caller's trace, with the call's deadline.
  const traced = async (call: AnyCall, body: (context: CallContext) => Promise<void>) => {
    const parent: Context = propagation.extract(otelContext.active(), call.metadata.getMap(), {
      keys: (carrier) => Object.keys(carrier),
      get: (carrier, key) => {
        const value = carrier[key];
        return typeof value === 'string' ? value : undefined;
      },
    });
    const span = tracer.startSpan(name, {
      kind: SpanKind.SERVER,
      attributes: { 'rpc.system': 'grpc', 'rpc.service': method.parent.typeName, 'rpc.method': method.name },
    }, parent);
    const callerDeadline = call.getDeadline();
    const callerMs = callerDeadline instanceof Date ? callerDeadline.getTime() - Date.now() : Number.isFinite(callerDeadline) ? Number(callerDeadline) - Date.now() : Infinity;
    const deadline = new Deadline(Math.max(0, Math.min(deadlineMs, callerMs)));
    // The caller went away (or its deadline passed): calls made for it stop too.
    (call as NodeJS.EventEmitter).once('cancelled', () => deadline.release());
    try {
      await otelContext.with(trace.setSpan(parent, span), () => body({ deadline, metadata: call.metadata }));
      span.setAttribute('rpc.grpc.status_code', status.OK);
    } catch (error) {
      const failure = toStatus(error);
      span.setAttribute('rpc.grpc.status_code', failure.code ?? status.UNKNOWN);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.details ?? failure.message });
      throw failure;
    } finally {
      deadline.release();
      span.end();
    }
  };
  const budgetSpent = (context: CallContext) =>
    new Promise<never>((_, reject) => context.deadline.signal.addEventListener('abort', () => reject(new ConnectError(`${name}: deadline exceeded`, Code.DeadlineExceeded)), { once: true }));
  // The first of the handler's answer and the end of the budget.
  const withinBudget = <T>(context: CallContext, work: Promise<T>) => (context.deadline.signal.aborted ? budgetSpent(context) : Promise.race([work, budgetSpent(context)]));

  switch (method.methodKind) {
    case 'unary':
      return (call: ServerUnaryCall<unknown, unknown>, callback: Callback) => {
        let answer: unknown;
        traced(call, async (context) => {
          answer = await withinBudget(context, Promise.resolve().then(() => handler(call.request, context)));
        }).then(() => callback(null, answer), (error: ServerErrorResponse) => callback(error));
      };
    case 'client_streaming':
      return (call: ServerReadableStream<unknown, unknown>, callback: Callback) => {
        let answer: unknown;
        traced(call, async (context) => {
          answer = await withinBudget(context, Promise.resolve().then(() => handler(call, context)));
        }).then(() => callback(null, answer), (error: ServerErrorResponse) => callback(error));
      };
    case 'server_streaming':
    case 'bidi_streaming':
      return (call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>) => {
        const input = method.methodKind === 'server_streaming' ? (call as ServerWritableStream<unknown, unknown>).request : call;
        traced(call, async (context) => {
          const write = async () => {
            for await (const message of handler(input, context) as AsyncIterable<unknown>) {
              // Backpressure: wait for the stream to drain before producing more.
              if (!call.write(message)) await new Promise((resolve) => call.once('drain', resolve));
            }
          };
          await withinBudget(context, write());
        }).then(() => call.end(), (error: ServerErrorResponse) => call.emit('error', error));
      };
  }
}
