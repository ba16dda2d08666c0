package server

import (
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
)

// Stop shuts the gRPC server down inside bound: health turns NOT_SERVING first
// (so clients watching it and any probe still running see the service leave),
// then GracefulStop lets in-flight RPCs finish; whatever is still running when
// bound is up is cut by Stop. It reports whether the graceful stop finished in
// time. The manifest's preStop hook has already waited for the endpoints to be
// removed before SIGTERM arrives, so no new traffic is expected here.
func Stop(gs *grpc.Server, hs *health.Server, bound time.Duration) bool {
	if hs != nil {
		hs.Shutdown()
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
