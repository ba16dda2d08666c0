package calls

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

// fakeCallee stands in for any called service (the health service is used only
// because every gRPC build has its stubs). It records each try: when it arrived
// and which deadline it carried, and answers as behave says.
type fakeCallee struct {
	healthpb.UnimplementedHealthServer
	behave func(try int, ctx context.Context) error

	mu    sync.Mutex
	tries []tryRecord
}

type tryRecord struct {
	start    time.Time
	deadline time.Time // zero: none
}

func (f *fakeCallee) Check(ctx context.Context, _ *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	rec := tryRecord{start: time.Now()}
	rec.deadline, _ = ctx.Deadline()
	f.mu.Lock()
	n := len(f.tries)
	f.tries = append(f.tries, rec)
	f.mu.Unlock()
	if err := f.behave(n, ctx); err != nil {
		return nil, err
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

func (f *fakeCallee) recorded() []tryRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]tryRecord(nil), f.tries...)
}

// slow never answers in time: it waits for the try's deadline.
func slow(_ int, ctx context.Context) error {
	select {
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	case <-time.After(10 * time.Second):
		return nil
	}
}

// exactJitter waits the full ceiling, so the test can check the backoff schedule.
func exactJitter(ceiling time.Duration) time.Duration { return ceiling }

// start serves fake in-process and returns a client made by Dial with policy p.
func start(t *testing.T, fake *fakeCallee, p Policy) healthpb.HealthClient {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, fake)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := Dial("passthrough:///bufnet", p,
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return healthpb.NewHealthClient(conn)
}

func TestSlowCalleeIsCutPerTryAndRetriedWithBackoff(t *testing.T) {
	p := Policy{
		Timeout: 50 * time.Millisecond,
		Retries: 2,
		Backoff: Backoff{Initial: 30 * time.Millisecond, Max: time.Second, Multiplier: 2},
		Jitter:  exactJitter,
	}
	fake := &fakeCallee{behave: slow}
	client := start(t, fake, p)

	began := time.Now()
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{})
	elapsed := time.Since(began)
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	tries := fake.recorded()
	if len(tries) != 1+p.Retries {
		t.Fatalf("callee saw %d tries, want %d (1 + %d retries)", len(tries), 1+p.Retries, p.Retries)
	}
	for i, try := range tries {
		if try.deadline.IsZero() {
			t.Fatalf("try %d carried no deadline", i)
		}
		if d := try.deadline.Sub(try.start); d > p.Timeout {
			t.Errorf("try %d had %v to run, want at most the per-try timeout %v", i, d, p.Timeout)
		}
	}
	// Try k+1 starts after try k's timeout plus the backoff ceiling of retry k
	// (measured where the callee sees the tries start: allow a few milliseconds
	// for the first try's trip to the callee).
	for k := 1; k < len(tries); k++ {
		gap := tries[k].start.Sub(tries[k-1].start)
		want := p.Timeout + p.Backoff.Ceiling(k)
		if gap < want-10*time.Millisecond || gap > want+time.Second {
			t.Errorf("retry %d started %v after the previous try, want about %v", k, gap, want)
		}
	}
	if least := 3*p.Timeout + 30*time.Millisecond + 60*time.Millisecond; elapsed < least {
		t.Errorf("call took %v, less than tries plus waits (%v)", elapsed, least)
	}
}

func TestParentDeadlineIsNeverExtended(t *testing.T) {
	t.Run("per-try timeout longer than the caller's deadline", func(t *testing.T) {
		p := Policy{Timeout: 5 * time.Second, Retries: 5, Backoff: Backoff{Initial: time.Millisecond, Max: time.Millisecond, Multiplier: 1}}
		fake := &fakeCallee{behave: slow}
		client := start(t, fake, p)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		parent, _ := ctx.Deadline()
		began := time.Now()
		_, err := client.Check(ctx, &healthpb.HealthCheckRequest{})
		if status.Code(err) != codes.DeadlineExceeded {
			t.Fatalf("err = %v, want DeadlineExceeded", err)
		}
		// Extending the caller's deadline to the per-try timeout would take 5s.
		if elapsed := time.Since(began); elapsed > 2*time.Second {
			t.Errorf("call took %v, the caller allowed 100ms", elapsed)
		}
		checkWithin(t, fake.recorded(), parent)
		if n := len(fake.recorded()); n != 1 {
			t.Errorf("callee saw %d tries; no retry may start once the caller's deadline passed", n)
		}
	})
	t.Run("retries stop before the caller's deadline", func(t *testing.T) {
		p := Policy{Timeout: 40 * time.Millisecond, Retries: 10, Backoff: Backoff{Initial: 15 * time.Millisecond, Max: time.Second, Multiplier: 2}, Jitter: exactJitter}
		fake := &fakeCallee{behave: slow}
		client := start(t, fake, p)
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		parent, _ := ctx.Deadline()
		_, err := client.Check(ctx, &healthpb.HealthCheckRequest{})
		if status.Code(err) != codes.DeadlineExceeded {
			t.Fatalf("err = %v, want DeadlineExceeded", err)
		}
		tries := fake.recorded()
		checkWithin(t, tries, parent)
		// 40 + 15 + 40 + 30 = 125ms: a third try fits (it is cut at the caller's
		// deadline), a fourth would need a 60ms wait that the caller has not got.
		if len(tries) < 2 || len(tries) > 3 {
			t.Errorf("callee saw %d tries, want 2 or 3 inside the caller's 150ms", len(tries))
		}
		if time.Now().After(parent.Add(time.Second)) {
			t.Errorf("the call returned well after the caller's deadline")
		}
	})
}

// checkWithin asserts that no try carried a deadline later than the caller's
// (a few milliseconds of slack: the deadline travels as a relative timeout).
func checkWithin(t *testing.T, tries []tryRecord, parent time.Time) {
	t.Helper()
	for i, try := range tries {
		if try.deadline.IsZero() || try.deadline.After(parent.Add(5*time.Millisecond)) {
			t.Errorf("try %d deadline %v is after the caller's %v", i, try.deadline.Format(time.StampMicro), parent.Format(time.StampMicro))
		}
	}
}

func TestNonRetryableCodeIsNotRetried(t *testing.T) {
	for _, code := range []codes.Code{codes.InvalidArgument, codes.NotFound, codes.PermissionDenied, codes.Internal, codes.Unimplemented} {
		t.Run(code.String(), func(t *testing.T) {
			fake := &fakeCallee{behave: func(int, context.Context) error { return status.Error(code, "no") }}
			client := start(t, fake, Policy{Timeout: time.Second, Retries: 3, Backoff: Backoff{Initial: time.Millisecond, Max: time.Millisecond, Multiplier: 1}})
			_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{})
			if status.Code(err) != code {
				t.Fatalf("err = %v, want %v", err, code)
			}
			if n := len(fake.recorded()); n != 1 {
				t.Errorf("callee saw %d tries, want 1", n)
			}
		})
	}
}

func TestRetryableCodesAreRetriedUntilSuccess(t *testing.T) {
	for _, code := range []codes.Code{codes.Unavailable, codes.ResourceExhausted} {
		t.Run(code.String(), func(t *testing.T) {
			fake := &fakeCallee{behave: func(try int, _ context.Context) error {
				if try < 2 {
					return status.Error(code, "busy")
				}
				return nil
			}}
			client := start(t, fake, Policy{Timeout: time.Second, Retries: 2, Backoff: Backoff{Initial: time.Millisecond, Max: 5 * time.Millisecond, Multiplier: 2}})
			if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
				t.Fatalf("err = %v, want success on the third try", err)
			}
			if n := len(fake.recorded()); n != 3 {
				t.Errorf("callee saw %d tries, want 3", n)
			}
		})
	}
}

func TestZeroRetriesMeansOneTry(t *testing.T) {
	fake := &fakeCallee{behave: func(int, context.Context) error { return status.Error(codes.Unavailable, "down") }}
	client := start(t, fake, Policy{Timeout: time.Second, Retries: 0, Backoff: Backoff{Initial: time.Millisecond, Max: time.Millisecond, Multiplier: 1}})
	if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{}); status.Code(err) != codes.Unavailable {
		t.Fatalf("err = %v", err)
	}
	if n := len(fake.recorded()); n != 1 {
		t.Errorf("callee saw %d tries, want 1", n)
	}
}

func TestBackoffCeiling(t *testing.T) {
	b := Backoff{Initial: 25 * time.Millisecond, Max: 100 * time.Millisecond, Multiplier: 2}
	for k, want := range map[int]time.Duration{1: 25 * time.Millisecond, 2: 50 * time.Millisecond, 3: 100 * time.Millisecond, 4: 100 * time.Millisecond, 200: 100 * time.Millisecond} {
		if got := b.Ceiling(k); got != want {
			t.Errorf("Ceiling(%d) = %v, want %v", k, got, want)
		}
	}
}

func TestJitterStaysBelowTheCeiling(t *testing.T) {
	p := Policy{Backoff: Backoff{Initial: 10 * time.Millisecond, Max: 80 * time.Millisecond, Multiplier: 3}}
	for k := 1; k <= 4; k++ {
		ceiling := p.Backoff.Ceiling(k)
		for range 1000 {
			if w := p.wait(k); w > ceiling || w < ceiling/2 {
				t.Fatalf("wait(%d) = %v, want within [%v, %v]", k, w, ceiling/2, ceiling)
			}
		}
	}
	p.Jitter = func(c time.Duration) time.Duration { return 2 * c }
	if w := p.wait(1); w != 10*time.Millisecond {
		t.Errorf("a jitter above the ceiling must be clamped: wait = %v", w)
	}
}
