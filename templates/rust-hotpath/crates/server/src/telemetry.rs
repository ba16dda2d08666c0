//! Logs and traces through `tracing`; traces exported over OTLP/gRPC configured by the standard
//! OTEL_* environment (endpoint, headers, timeout, sampler, resource attributes, propagators).

use opentelemetry::propagation::{
    Extractor, Injector, TextMapCompositePropagator, TextMapPropagator,
};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry::{KeyValue, global};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::{BaggagePropagator, TraceContextPropagator};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

use crate::config::ServiceConfig;

/// Keeps the tracer provider so pending spans are flushed at shutdown.
#[derive(Debug)]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Flushes and stops the exporter (bounded by OTEL_BSP_EXPORT_TIMEOUT).
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(error) = provider.shutdown()
        {
            eprintln!("telemetry: flushing spans at shutdown failed: {error}");
        }
    }
}

/// Whether spans are exported: an OTLP endpoint is configured and the SDK is not disabled.
fn exporting() -> bool {
    let set = |name| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    let disabled = std::env::var("OTEL_SDK_DISABLED").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
    let no_exporter = std::env::var("OTEL_TRACES_EXPORTER").is_ok_and(|v| v.trim() == "none");
    !disabled
        && !no_exporter
        && (set("OTEL_EXPORTER_OTLP_ENDPOINT") || set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
}

/// Installs the global subscriber (fmt logs filtered by RUST_LOG, default `info`) and, when an
/// OTLP endpoint is configured, the OpenTelemetry layer and exporter.
pub fn init(config: &ServiceConfig) -> Result<Telemetry, Box<dyn std::error::Error + Send + Sync>> {
    global::set_text_map_propagator(propagator_from_env());
    let provider = if exporting() {
        Some(provider(config)?)
    } else {
        None
    };
    let otel = provider.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer(config.service.clone()))
            .boxed()
    });
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_target(false))
        .with(otel)
        .try_init()?;
    if let Some(provider) = &provider {
        global::set_tracer_provider(provider.clone());
    }
    Ok(Telemetry { provider })
}

fn provider(
    config: &ServiceConfig,
) -> Result<SdkTracerProvider, Box<dyn std::error::Error + Send + Sync>> {
    if let Ok(protocol) = std::env::var("OTEL_EXPORTER_OTLP_PROTOCOL")
        && protocol != "grpc"
    {
        eprintln!(
            "telemetry: OTEL_EXPORTER_OTLP_PROTOCOL={protocol} is not supported, exporting OTLP over gRPC"
        );
    }
    // Endpoint, headers, timeout and compression come from OTEL_EXPORTER_OTLP_*.
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_tonic()
        .build()?;
    Ok(SdkTracerProvider::builder()
        .with_resource(resource(config))
        .with_batch_exporter(exporter)
        .build())
}

/// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win; the config fills what they leave out.
fn resource(config: &ServiceConfig) -> Resource {
    let from_env = Resource::builder().build();
    let mut missing = Vec::new();
    if std::env::var("OTEL_SERVICE_NAME").is_err() {
        missing.push(KeyValue::new("service.name", config.service.clone()));
    }
    for (key, value) in [
        ("service.namespace", &config.system),
        ("service.version", &config.version),
    ] {
        if from_env.get(&opentelemetry::Key::new(key)).is_none() {
            missing.push(KeyValue::new(key, value.clone()));
        }
    }
    Resource::builder().with_attributes(missing).build()
}

/// OTEL_PROPAGATORS (default `tracecontext,baggage`); unknown names are reported and skipped.
fn propagator_from_env() -> TextMapCompositePropagator {
    let names = std::env::var("OTEL_PROPAGATORS").unwrap_or_else(|_| "tracecontext,baggage".into());
    let mut propagators: Vec<Box<dyn TextMapPropagator + Send + Sync>> = Vec::new();
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match name {
            "tracecontext" => propagators.push(Box::new(TraceContextPropagator::new())),
            "baggage" => propagators.push(Box::new(BaggagePropagator::new())),
            "none" => propagators.clear(),
            other => {
                eprintln!("telemetry: OTEL_PROPAGATORS: unsupported propagator {other:?} ignored")
            }
        }
    }
    TextMapCompositePropagator::new(propagators)
}

/// The server span of one incoming request (tonic's `trace_fn`), child of the caller's trace.
pub fn request_span(request: &http::Request<()>) -> tracing::Span {
    let path = request.uri().path().trim_start_matches('/');
    let (service, method) = path.split_once('/').unwrap_or((path, ""));
    let span = tracing::info_span!(
        "grpc.server",
        otel.name = path,
        otel.kind = "server",
        rpc.system = "grpc",
        rpc.service = service,
        rpc.method = method,
    );
    let parent =
        global::get_text_map_propagator(|p| p.extract(&HeaderExtractor(request.headers())));
    // Fails only when no OpenTelemetry layer is installed (export off): nothing to link then.
    let _ = span.set_parent(parent);
    span
}

/// Writes the current span's context into an outgoing request's metadata.
pub fn inject_context(metadata: &mut tonic::metadata::MetadataMap) {
    let context = tracing::Span::current().context();
    global::get_text_map_propagator(|p| {
        p.inject_context(&context, &mut MetadataInjector(metadata))
    });
}

struct HeaderExtractor<'a>(&'a http::HeaderMap);

impl Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

struct MetadataInjector<'a>(&'a mut tonic::metadata::MetadataMap);

impl Injector for MetadataInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(key), Ok(value)) = (
            tonic::metadata::MetadataKey::from_bytes(key.as_bytes()),
            tonic::metadata::MetadataValue::try_from(value),
        ) {
            self.0.insert(key, value);
        }
    }
}
