package server

import (
	"net/http"

	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// HTTPHandler serves the http port: /healthz answers 200 while the process runs
// (liveness), /readyz answers 200 only while the gRPC health service reports
// SERVING for the whole server and 503 otherwise, e.g. during shutdown. The
// manifest's probes use gRPC health on the grpc port; these are for humans and
// for tools that only speak HTTP.
func HTTPHandler(hs *health.Server) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		res, err := hs.Check(r.Context(), &healthpb.HealthCheckRequest{})
		if err != nil || res.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			http.Error(w, "not serving", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("serving\n"))
	})
	return mux
}
