// A client span per gRPC try, with the W3C trace context injected into its headers.
// connect-node talks HTTP/2 through node:http2, which the OpenTelemetry HTTP instrumentation does
// not cover, so the client side is traced here. Runs inside the call policy: each retry is its own
// span, as in OpenTelemetry's gRPC instrumentations.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ConnectError, type Interceptor } from '@connectrpc/connect';

const tracer = trace.getTracer('polyglot.grpc-client');

export function tracingInterceptor(target: string): Interceptor {
  return (next) => async (req) => {
    const span = tracer.startSpan(`${req.service.typeName}/${req.method.name}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'rpc.system': 'grpc',
        'rpc.service': req.service.typeName,
        'rpc.method': req.method.name,
        'server.address': target,
      },
    });
    const ctx = trace.setSpan(context.active(), span);
    propagation.inject(ctx, req.header, { set: (header, key, value) => header.set(key, value) });
    try {
      const res = await context.with(ctx, () => next(req));
      span.setAttribute('rpc.grpc.status_code', 0);
      return res;
    } catch (error) {
      const connectError = ConnectError.from(error);
      span.setAttribute('rpc.grpc.status_code', connectError.code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: connectError.rawMessage });
      throw error;
    } finally {
      span.end();
    }
  };
}
