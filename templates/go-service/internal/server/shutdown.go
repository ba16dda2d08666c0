package server

import (
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// LivenessService is the health service the manifest's startup and liveness
// probes ask for. It answers SERVING as long as the process runs, draining
// included: a server that only stopped taking traffic must not be restarted.
const LivenessService = "liveness"

// Stop shuts the gRPC server down inside bound: the server's health ("") and
// every served contract turn NOT_SERVING first (so the readiness probe and
// clients watching health see the service leave) while liveness stays SERVING,
// then GracefulStop lets in-flight RPCs finish; whatever is still running when
// bound is up is cut by Stop. It reports whether the graceful stop finished in
// time. The manifest's preStop hook has already waited for the endpoints to be
// removed before SIGTERM arrives, so no new traffic is expected here.
func Stop(gs *grpc.Server, hs *health.Server, bound time.Duration) bool {
	if hs != nil {
		// Not hs.Shutdown(): it would turn liveness NOT_SERVING too.
		hs.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
		for name := range gs.GetServiceInfo() {
			if name != healthpb.Health_ServiceDesc.ServiceName {
				hs.SetServingStatus(name, healthpb.HealthCheckResponse_NOT_SERVING)
			}
		}
	}
	done := make(chan struct{})
	go func() {
		gs.GracefulStop()
		close(done)
	}()
	timer := time.NewTimer(bound)
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
		gs.Stop()
		<-done
		return false
	}
}
