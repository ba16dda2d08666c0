package telemetry

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestPropagatorFromEnv(t *testing.T) {
	cases := map[string][]string{
		"":                     {"baggage", "traceparent", "tracestate"},
		"tracecontext,baggage": {"baggage", "traceparent", "tracestate"},
		" tracecontext ":       {"traceparent", "tracestate"},
		"none":                 nil,
	}
	for env, want := range cases {
		p, err := Propagator(env)
		if err != nil {
			t.Fatalf("%q: %v", env, err)
		}
		got := p.Fields()
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q: fields %v, want %v", env, got, want)
		}
	}
	if _, err := Propagator("tracecontext,b3"); err == nil {
		t.Error("an unsupported propagator was accepted")
	}
}

func TestSetupDisabled(t *testing.T) {
	t.Setenv("OTEL_SDK_DISABLED", "true")
	shutdown, err := Setup(context.Background(), "billing", "0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestSetupExportsToTheConfiguredEndpoint(t *testing.T) {
	// Nothing listens there: setup must still succeed (the exporter connects
	// lazily) and shutdown must return within its context.
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
	t.Setenv("OTEL_SERVICE_NAME", "billing")
	shutdown, err := Setup(context.Background(), "billing", "0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = shutdown(ctx) // nothing was recorded; an export error here is fine
}
