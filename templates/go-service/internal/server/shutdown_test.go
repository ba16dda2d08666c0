package server

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func TestStopTurnsHealthNotServingAndIsBounded(t *testing.T) {
	srv := grpc.NewServer()
	hs := health.NewServer()
	healthpb.RegisterHealthServer(srv, hs)
	client := healthpb.NewHealthClient(serve(t, srv))

	// A Watch stream never ends by itself, so GracefulStop alone would wait forever.
	watch, err := client.Watch(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if first, err := watch.Recv(); err != nil || first.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("first watch update = %v, %v; want SERVING", first, err)
	}

	const bound = 200 * time.Millisecond
	start := time.Now()
	result := make(chan bool, 1)
	go func() { result <- Stop(srv, hs, bound) }()

	if next, err := watch.Recv(); err != nil || next.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("watch update after Stop = %v, %v; want NOT_SERVING", next, err)
	}
	if graceful := <-result; graceful {
		t.Error("Stop reported a graceful stop although a stream was still open")
	}
	if elapsed := time.Since(start); elapsed < bound || elapsed > bound+2*time.Second {
		t.Errorf("Stop took %v, want about %v", elapsed, bound)
	}
}

func TestStopIsGracefulWhenIdle(t *testing.T) {
	srv := grpc.NewServer()
	hs := health.NewServer()
	healthpb.RegisterHealthServer(srv, hs)
	client := healthpb.NewHealthClient(serve(t, srv))
	if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	if !Stop(srv, hs, 5*time.Second) {
		t.Error("Stop was not graceful on an idle server")
	}
}

func TestLivenessStaysServingWhileDraining(t *testing.T) {
	srv := grpc.NewServer()
	hs := health.NewServer()
	healthpb.RegisterHealthServer(srv, hs)
	hs.SetServingStatus(LivenessService, healthpb.HealthCheckResponse_SERVING)
	client := healthpb.NewHealthClient(serve(t, srv))

	// A Watch on readiness keeps the graceful stop busy, so liveness can be asked mid-drain.
	watch, err := client.Watch(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := watch.Recv(); err != nil {
		t.Fatal(err)
	}
	result := make(chan bool, 1)
	go func() { result <- Stop(srv, hs, 2*time.Second) }()
	if next, err := watch.Recv(); err != nil || next.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("readiness after Stop began = %v, %v; want NOT_SERVING", next, err)
	}
	if res, err := hs.Check(context.Background(), &healthpb.HealthCheckRequest{Service: LivenessService}); err != nil || res.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("liveness while draining = %v, %v; want SERVING", res, err)
	}
	<-result
}
