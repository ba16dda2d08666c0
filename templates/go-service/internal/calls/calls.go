// Package calls builds the gRPC client connections this service uses to call
// other services, each obeying the call policy synth checked the system against:
//
//   - every try gets the configured per-try timeout as its gRPC deadline;
//   - a failed try is retried at most `retries` times, only for codes that say
//     "try again" (Unavailable, DeadlineExceeded of the try, ResourceExhausted);
//   - retry k waits a random time below min(initial × multiplier^(k-1), max),
//     never above, so the worst case stays inside the checked budget;
//   - the caller's deadline is propagated and never extended: a try's deadline is
//     min(per-try timeout, what is left of the caller's deadline), and no retry
//     starts when its wait would outlast the caller's deadline.
//
// The policy is a grpc.UnaryClientInterceptor rather than gRPC's built-in retry
// service config: the built-in retry has no per-try timeout (its deadline covers
// all tries), and its backoff draws the whole wait at random, so it could not
// keep the checked per-try budget. Each try is its own RPC and so its own span.
package calls

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// Backoff is the system's retry backoff (config "backoff").
type Backoff struct {
	Initial    time.Duration
	Max        time.Duration
	Multiplier float64
}

// Ceiling is the longest wait before retry k (k >= 1):
// min(initial × multiplier^(k-1), max).
func (b Backoff) Ceiling(k int) time.Duration {
	if k < 1 {
		return 0
	}
	wait := float64(b.Initial) * math.Pow(b.Multiplier, float64(k-1))
	if wait > float64(b.Max) || math.IsInf(wait, 0) || math.IsNaN(wait) {
		return b.Max
	}
	return time.Duration(wait)
}

// Policy is how one called contract is called (config "calls[]" plus "backoff").
type Policy struct {
	// Timeout is the per-try timeout; 0 means a try is limited only by the
	// caller's deadline.
	Timeout time.Duration
	// Retries after the first try; 0 means no retry.
	Retries int
	Backoff Backoff
	// Jitter picks the actual wait in [0, ceiling]; nil means a uniform draw in
	// [ceiling/2, ceiling] (the waits stay spread out but never exceed the ceiling).
	// Tests set it to make waits deterministic.
	Jitter func(ceiling time.Duration) time.Duration
}

func (p Policy) wait(k int) time.Duration {
	ceiling := p.Backoff.Ceiling(k)
	if ceiling <= 0 {
		return 0
	}
	var d time.Duration
	if p.Jitter != nil {
		d = p.Jitter(ceiling)
	} else {
		half := ceiling / 2
		d = half + rand.N(ceiling-half+1)
	}
	return min(max(d, 0), ceiling) // jitter only below the computed wait
}

// Retryable reports whether a failed try may be retried: the server was
// unreachable or overloaded, or the try ran out of its own time.
func Retryable(code codes.Code) bool {
	switch code {
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted:
		return true
	default:
		return false
	}
}

// UnaryInterceptor enforces the policy on every unary call made through a
// connection. Streaming calls are not retried (a stream may have delivered part
// of its messages); they still carry the caller's deadline.
func UnaryInterceptor(p Policy) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		var err error
		for try := 0; ; try++ {
			if try > 0 {
				wait := p.wait(try)
				// A retry that could not start before the caller's deadline would
				// only fail later with a less useful error: return the last one.
				if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
					return err
				}
				if !sleep(ctx, wait) {
					return err
				}
			}
			tryCtx, cancel := ctx, context.CancelFunc(func() {})
			if p.Timeout > 0 {
				// WithTimeout keeps the earlier of the two deadlines, so a try never
				// outlives the caller's deadline.
				tryCtx, cancel = context.WithTimeout(ctx, p.Timeout)
			}
			err = invoker(tryCtx, method, req, reply, cc, opts...)
			cancel()
			if err == nil {
				return nil
			}
			if try >= p.Retries || ctx.Err() != nil || !Retryable(status.Code(err)) {
				return err
			}
		}
	}
}

// sleep waits d or until ctx ends; false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Dial creates the client connection for one called contract. It does not
// connect yet (gRPC connects on the first call), so a callee that is still
// starting does not stop this service from starting. Extra options (tests use a
// bufconn dialer) come last.
func Dial(target string, p Policy, extra ...grpc.DialOption) (*grpc.ClientConn, error) {
	opts := []grpc.DialOption{
		// In-cluster traffic is plain HTTP/2; put a mesh or TLS credentials here
		// if the system needs encryption in transit.
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler()),
		grpc.WithChainUnaryInterceptor(UnaryInterceptor(p)),
		// Retries are this package's job: ignore retry policies a resolver might
		// hand out, and spread calls over every address DNS returns.
		grpc.WithDisableServiceConfig(),
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`),
	}
	return grpc.NewClient(target, append(opts, extra...)...)
}
