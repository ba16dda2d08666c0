// In-process gRPC servers (connect-node on an HTTP/2 server, port 0) that follow a script of what
// each try should do. `EchoService` is built at run time (no codegen), so the call policy is tested
// independently of the contracts this service happens to call; the HTTP tests serve the generated
// descriptors of the called contracts the same way.
import { create, createFileRegistry, type DescMethodUnary, type DescService } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const text = { name: 'text', number: 1, type: FieldDescriptorProto_Type.STRING, label: FieldDescriptorProto_Label.OPTIONAL, jsonName: 'text' };
const registry = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: 'test/v1/echo.proto',
    package: 'test.v1',
    syntax: 'proto3',
    messageType: [
      { name: 'EchoRequest', field: [text] },
      { name: 'EchoResponse', field: [text] },
    ],
    service: [{ name: 'EchoService', method: [{ name: 'Echo', inputType: '.test.v1.EchoRequest', outputType: '.test.v1.EchoResponse' }] }],
  }),
  () => undefined,
);

export const EchoService: DescService = registry.getService('test.v1.EchoService')!;
export const echo = EchoService.methods[0] as DescMethodUnary;

/** What one try does on the server: answer, fail with a code, or hang until cancelled. */
export type Behaviour = 'ok' | 'slow' | Code;

export interface Attempt {
  /** performance.now() when the server saw the try. */
  readonly at: number;
  /** The deadline the try arrived with (grpc-timeout), in ms; undefined without one. */
  readonly timeoutMs: number | undefined;
  /** How long the server worked on it before it was answered or cancelled. */
  durationMs?: number;
}

export interface ScriptedServer {
  readonly url: string;
  readonly attempts: Attempt[];
  /** Behaviours for the next tries, in order; the last one repeats. */
  script(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

/** Serves `method` (default: Echo) on an HTTP/2 server on a free port, following the script. */
export async function startScriptedServer(method: DescMethodUnary = echo): Promise<ScriptedServer> {
  let behaviours: Behaviour[] = ['ok'];
  const attempts: Attempt[] = [];
  const handler = connectNodeAdapter({
    routes: (router) =>
      router.rpc(method, async (req, ctx) => {
        const attempt: Attempt = { at: performance.now(), timeoutMs: ctx.timeoutMs() };
        attempts.push(attempt);
        const behaviour = behaviours.length > 1 ? behaviours.shift()! : behaviours[0]!;
        try {
          if (behaviour === 'slow') {
            // A slow callee: works until the caller's deadline cancels the call (or 10 s).
            await sleep(10_000, undefined, { signal: ctx.signal }).catch(() => {});
            throw new ConnectError('cancelled', Code.Canceled);
          }
          if (behaviour !== 'ok') throw new ConnectError(`scripted ${Code[behaviour]}`, behaviour);
          return create(method.output);
        } finally {
          attempt.durationMs = performance.now() - attempt.at;
        }
      }),
  });
  const server: Http2Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    script: (...next) => {
      behaviours = next;
      attempts.length = 0;
    },
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
