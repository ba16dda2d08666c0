// Errors as RFC 9457 problem details (`application/problem+json`). Upstream gRPC failures map to
// the HTTP status a client can act on: a callee that ran out of time is a 504, one that is down or
// overloaded a 503, everything unexpected a 502 (the fault is upstream, not in the request).
import { Code, ConnectError } from '@connectrpc/connect';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const PROBLEM_JSON = 'application/problem+json';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

/** A 400 whose `errors` list each invalid field (from zod issues). */
export class ValidationProblem extends Error {
  override name = 'ValidationProblem';
  readonly errors: readonly { readonly path: string; readonly message: string }[];

  constructor(message: string, errors: readonly { readonly path: string; readonly message: string }[]) {
    super(message);
    this.errors = errors;
  }
}

const GRPC_TO_HTTP: Partial<Record<Code, number>> = {
  [Code.DeadlineExceeded]: 504,
  [Code.Unavailable]: 503,
  [Code.ResourceExhausted]: 503,
  [Code.NotFound]: 404,
  [Code.InvalidArgument]: 400,
  [Code.OutOfRange]: 400,
  [Code.FailedPrecondition]: 409,
  [Code.AlreadyExists]: 409,
  [Code.Aborted]: 409,
  [Code.PermissionDenied]: 403,
  // The caller went away (or the request ended) before the callee answered.
  [Code.Canceled]: 499,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problem(status: number, detail?: string, extensions: Record<string, unknown> = {}): Problem {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, ...(detail ? { detail } : {}), ...extensions };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_JSON).send(body);
}

/** Turns any error into a problem; logs what the client is not told. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const instance = request.url;
  if (error instanceof ValidationProblem) return problem(400, error.message, { instance, errors: error.errors });
  if (error instanceof ConnectError) {
    const status = GRPC_TO_HTTP[error.code] ?? 502;
    if (status >= 500) request.log.warn({ code: Code[error.code], err: error.rawMessage }, 'upstream call failed');
    // Client errors pass the callee's own message on; server errors stay generic.
    return problem(status, status < 500 ? error.rawMessage : `upstream call failed (${Code[error.code]})`, { instance });
  }
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return problem(status, (error as Error).message, { instance });
  request.log.error({ err: error }, 'request failed');
  return problem(500, undefined, { instance });
}
