package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"google.golang.org/grpc/health"
)

func TestHTTPProbes(t *testing.T) {
	hs := health.NewServer()
	srv := httptest.NewServer(HTTPHandler(hs))
	defer srv.Close()
	get := func(path string) int {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res.StatusCode
	}
	if code := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d", code)
	}
	if code := get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz while serving = %d", code)
	}
	hs.Shutdown()
	if code := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz after shutdown = %d", code)
	}
	if code := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz after shutdown = %d (liveness must not fail while draining)", code)
	}
}
