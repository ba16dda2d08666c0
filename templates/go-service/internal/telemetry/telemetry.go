// Package telemetry sets up OpenTelemetry tracing from the standard OTEL_*
// environment the manifest sets (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT,
// OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER(_ARG), OTEL_PROPAGATORS, …):
// spans go over OTLP/gRPC to the node's collector agent. The gRPC server and
// clients report through otelgrpc stats handlers (see internal/server and
// internal/calls).
package telemetry

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Setup installs the global tracer provider and propagator. service and version
// (from the service config) are defaults: OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES win. The returned function flushes and stops the
// exporter; call it last during shutdown. With OTEL_SDK_DISABLED=true nothing is
// exported and the shutdown function does nothing.
func Setup(ctx context.Context, service, version string) (func(context.Context) error, error) {
	prop, err := Propagator(os.Getenv("OTEL_PROPAGATORS"))
	if err != nil {
		return nil, err
	}
	otel.SetTextMapPropagator(prop)
	if strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED")), "true") {
		return func(context.Context) error { return nil }, nil
	}
	// Reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT, _INSECURE…
	// Creating it does not connect, so a collector that is not up yet does not
	// stop the service.
	exporter, err := otlptracegrpc.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	defaults := resource.NewSchemaless(
		attribute.String("service.name", service),
		attribute.String("service.version", version),
	)
	res, err := resource.New(ctx, resource.WithTelemetrySDK(), resource.WithFromEnv())
	if err != nil {
		return nil, fmt.Errorf("OpenTelemetry resource from OTEL_RESOURCE_ATTRIBUTES: %w", err)
	}
	if res, err = resource.Merge(defaults, res); err != nil { // the environment wins
		return nil, fmt.Errorf("OpenTelemetry resource: %w", err)
	}
	// The sampler comes from OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG.
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		slog.Warn("opentelemetry", "error", err.Error())
	}))
	return tp.Shutdown, nil
}

// Propagator builds the propagator OTEL_PROPAGATORS names (comma separated).
// Empty means the specification's default, tracecontext,baggage; "none" turns
// propagation off. Other propagators (b3, jaeger, …) need their contrib modules
// and are refused rather than silently ignored.
func Propagator(env string) (propagation.TextMapPropagator, error) {
	if strings.TrimSpace(env) == "" {
		env = "tracecontext,baggage"
	}
	var props []propagation.TextMapPropagator
	for _, name := range strings.Split(env, ",") {
		switch strings.TrimSpace(name) {
		case "tracecontext":
			props = append(props, propagation.TraceContext{})
		case "baggage":
			props = append(props, propagation.Baggage{})
		case "none":
			return propagation.NewCompositeTextMapPropagator(), nil
		default:
			return nil, fmt.Errorf("OTEL_PROPAGATORS: %q is not supported by this service (use tracecontext, baggage or none)", strings.TrimSpace(name))
		}
	}
	return propagation.NewCompositeTextMapPropagator(props...), nil
}
