package server

import (
	"context"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

// blockingHealth stands in for any handler: it reports the deadline it was given
// and blocks until its context ends.
type blockingHealth struct {
	healthpb.UnimplementedHealthServer
	got chan time.Duration
}

func (h *blockingHealth) Check(ctx context.Context, _ *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		h.got <- -1
	} else {
		h.got <- time.Until(deadline)
	}
	<-ctx.Done()
	return nil, status.FromContextError(ctx.Err()).Err()
}

// serve starts srv on an in-process listener and returns a client connection to it.
func serve(t *testing.T, srv *grpc.Server) *grpc.ClientConn {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func TestServerDeadlineCutsEveryRPC(t *testing.T) {
	const limit = 100 * time.Millisecond
	fake := &blockingHealth{got: make(chan time.Duration, 1)}
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(DeadlineUnary(limit)))
	healthpb.RegisterHealthServer(srv, fake)
	client := healthpb.NewHealthClient(serve(t, srv))

	cases := []struct {
		name       string
		callerWait time.Duration // 0: the caller sets no deadline
		wantMax    time.Duration
	}{
		{"no caller deadline gets the service deadline", 0, limit},
		{"a longer caller deadline is shortened", 5 * time.Second, limit},
		{"a shorter caller deadline is kept", 40 * time.Millisecond, 40 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.callerWait > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.callerWait)
				defer cancel()
			}
			start := time.Now()
			_, err := client.Check(ctx, &healthpb.HealthCheckRequest{})
			elapsed := time.Since(start)
			got := <-fake.got
			if got < 0 || got > tc.wantMax {
				t.Errorf("handler deadline in %v, want within (0, %v]", got, tc.wantMax)
			}
			if status.Code(err) != codes.DeadlineExceeded {
				t.Errorf("err = %v, want DeadlineExceeded", err)
			}
			if elapsed > tc.wantMax+time.Second {
				t.Errorf("call took %v, want about %v", elapsed, tc.wantMax)
			}
		})
	}
}
