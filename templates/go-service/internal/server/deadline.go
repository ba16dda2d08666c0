package server

import (
	"context"
	"time"

	"google.golang.org/grpc"
)

// DeadlineUnary gives every incoming unary RPC at most limit: the caller's
// deadline is kept when it is earlier, else shortened to now+limit. This is the
// deadline the service promises its callers (config "deadlineMs"); the calls it
// makes inherit the context, so they are cut when it runs out. limit <= 0
// disables it.
func DeadlineUnary(limit time.Duration) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if limit <= 0 {
			return handler(ctx, req)
		}
		ctx, cancel := context.WithTimeout(ctx, limit)
		defer cancel()
		return handler(ctx, req)
	}
}

// DeadlineStream does the same for streaming RPCs: the whole stream gets at most
// limit. Long-lived streams (watches) are exempt when their full method name is
// in exempt, e.g. the health service's Watch, which the kubelet does not use but
// clients may.
func DeadlineStream(limit time.Duration, exempt ...string) grpc.StreamServerInterceptor {
	skip := make(map[string]bool, len(exempt))
	for _, m := range exempt {
		skip[m] = true
	}
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if limit <= 0 || skip[info.FullMethod] {
			return handler(srv, ss)
		}
		ctx, cancel := context.WithTimeout(ss.Context(), limit)
		defer cancel()
		return handler(srv, &deadlineStream{ServerStream: ss, ctx: ctx})
	}
}

type deadlineStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *deadlineStream) Context() context.Context { return s.ctx }
