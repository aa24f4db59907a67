//! Traces and metrics of a few calls against the embedded sandbox, exported over
//! OTLP/HTTP (protobuf), wired the way an application would wire them:
//! `tracing-opentelemetry` turns crewsense's `tracing` spans into OpenTelemetry spans,
//! `metrics-opentelemetry` its `metrics` into OpenTelemetry metrics, and
//! `opentelemetry-otlp` sends both to `OTEL_EXPORTER_OTLP_ENDPOINT` (default
//! `http://localhost:4318`, where an OpenTelemetry Collector or Jaeger listens).
//!
//! ```sh
//! OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 cargo run --example otel
//! ```
//!
//! It reads one user twice (the second read fails once with an injected `503` and is
//! retried) and pages through a month of time off, then prints the spans it exported.

use std::collections::HashMap;
use std::error::Error;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crewsense::Client;
use crewsense::observe::{CALL_DURATION, HTTP_CLIENT_REQUEST_DURATION};
use crewsense::retry::RetryPolicy;
use crewsense::time::DateRange;
use crewsense_sandbox::{Fault, Sandbox};
use futures::TryStreamExt;
use metrics_opentelemetry::{OpenTelemetryMetrics, OpenTelemetryRecorder};
use opentelemetry::metrics::MeterProvider;
use opentelemetry::trace::{SpanId, TracerProvider};
use opentelemetry_otlp::{MetricExporter, Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::metrics::SdkMeterProvider;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData};
use tracing::Instrument;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

#[cfg(test)]
mod receiver;

const DEFAULT_ENDPOINT: &str = "http://localhost:4318";

/// Histogram buckets in seconds, as OpenTelemetry advises for HTTP durations.
const SECONDS_BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];

type BoxError = Box<dyn Error + Send + Sync>;

#[cfg_attr(test, allow(dead_code))]
#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let endpoint = std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT")
        .unwrap_or_else(|_| DEFAULT_ENDPOINT.to_owned());
    let spans = run(&endpoint).await?;
    println!("exported {} spans to {endpoint}/v1/traces:", spans.len());
    print_tree(&spans);
    println!("and the client's metrics to {endpoint}/v1/metrics");
    Ok(())
}

/// Installs the exporters for `endpoint`, makes the calls, flushes, and returns the
/// spans that went out.
async fn run(endpoint: &str) -> Result<Vec<SpanData>, BoxError> {
    let telemetry = Telemetry::install(endpoint)?;
    calls()
        .instrument(tracing::info_span!("otel example"))
        .await?;
    telemetry.shutdown()
}

/// The calls: one retried after a `503`, one paged.
async fn calls() -> Result<(), BoxError> {
    let sandbox = Sandbox::start().await?;
    let client = Client::builder()
        .client_credentials(sandbox.client_id(), sandbox.client_secret())
        .base_url(sandbox.base_url())
        .token_url(sandbox.token_url())
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(50)))
        .build()?;

    let users = client.users().await?;
    let id = users
        .iter()
        .find_map(|user| user.user_id)
        .ok_or("the sandbox has no users")?;
    sandbox.fail_next("GET /users/{user_id}", 1, Fault::Status(503));
    let user = client.user(id.into()).await?;
    println!(
        "user {id}: {} {} (read after one 503)",
        user.first_name.unwrap_or_default(),
        user.last_name.unwrap_or_default()
    );

    let june = DateRange::month(2025, 6).ok_or("June 2025")?;
    let pages: Vec<_> = client.time_offs(june).pages().try_collect().await?;
    let items: usize = pages.iter().map(|page| page.items.len()).sum();
    println!(
        "time off in June 2025: {items} entries on {} pages",
        pages.len()
    );
    Ok(())
}

/// The providers, and what the span exporter sent.
struct Telemetry {
    tracer_provider: SdkTracerProvider,
    meter_provider: SdkMeterProvider,
    sent: Arc<Mutex<Vec<SpanData>>>,
}

impl Telemetry {
    /// Exporters to `endpoint`, the `tracing` layer and the `metrics` recorder.
    fn install(endpoint: &str) -> Result<Self, BoxError> {
        let resource = Resource::builder()
            .with_service_name("crewsense-otel-example")
            .build();

        let spans = SpanExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(format!("{endpoint}/v1/traces"))
            .build()?;
        let sent = Arc::new(Mutex::new(Vec::new()));
        let tracer_provider = SdkTracerProvider::builder()
            .with_resource(resource.clone())
            .with_batch_exporter(Keeping {
                inner: spans,
                sent: sent.clone(),
            })
            .build();
        let tracer = tracer_provider.tracer("crewsense-otel-example");
        tracing_subscriber::registry()
            .with(
                tracing_opentelemetry::layer()
                    .with_tracer(tracer)
                    // crewsense's spans are at DEBUG, so that an application logging
                    // at INFO does not pay for them.
                    .with_filter(
                        Targets::new()
                            .with_default(tracing::Level::INFO)
                            .with_target("crewsense", tracing::Level::DEBUG),
                    ),
            )
            .try_init()?;

        let metrics = MetricExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(format!("{endpoint}/v1/metrics"))
            .build()?;
        let meter_provider = SdkMeterProvider::builder()
            .with_resource(resource)
            .with_periodic_exporter(metrics)
            .build();
        let recorder = OpenTelemetryRecorder::new(OpenTelemetryMetrics::new(
            meter_provider.meter("crewsense"),
        ));
        recorder.set_histogram_bounds(
            [HTTP_CLIENT_REQUEST_DURATION, CALL_DURATION].into_iter(),
            &SECONDS_BUCKETS,
        );
        metrics::set_global_recorder(recorder)
            .map_err(|_| "a metrics recorder is already installed")?;
        crewsense::observe::record_metrics();
        Ok(Self {
            tracer_provider,
            meter_provider,
            sent,
        })
    }

    /// Flushes both exporters and returns the spans sent.
    fn shutdown(self) -> Result<Vec<SpanData>, BoxError> {
        self.tracer_provider.shutdown()?;
        self.meter_provider.shutdown()?;
        let sent = std::mem::take(&mut *self.sent.lock().map_err(|_| "poisoned")?);
        Ok(sent)
    }
}

/// A span exporter that keeps a copy of what it hands to the real one.
#[derive(Debug)]
struct Keeping<E> {
    inner: E,
    sent: Arc<Mutex<Vec<SpanData>>>,
}

impl<E: opentelemetry_sdk::trace::SpanExporter> opentelemetry_sdk::trace::SpanExporter
    for Keeping<E>
{
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        if let Ok(mut sent) = self.sent.lock() {
            sent.extend(batch.iter().cloned());
        }
        self.inner.export(batch).await
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.inner.shutdown_with_timeout(timeout)
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.inner.force_flush()
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.inner.set_resource(resource);
    }
}

/// Prints `spans` as a tree, each with its kind and a few attributes.
fn print_tree(spans: &[SpanData]) {
    let mut children: HashMap<SpanId, Vec<&SpanData>> = HashMap::new();
    let ids: Vec<SpanId> = spans.iter().map(|s| s.span_context.span_id()).collect();
    let mut roots = Vec::new();
    for span in spans {
        if ids.contains(&span.parent_span_id) {
            children.entry(span.parent_span_id).or_default().push(span);
        } else {
            roots.push(span);
        }
    }
    fn print(span: &SpanData, depth: usize, children: &HashMap<SpanId, Vec<&SpanData>>) {
        let shown: Vec<String> = span
            .attributes
            .iter()
            .filter(|kv| SHOWN.contains(&kv.key.as_str()))
            .map(|kv| format!("{}={}", kv.key, kv.value))
            .collect();
        println!(
            "{:indent$}{} [{:?}] {}",
            "",
            span.name,
            span.span_kind,
            shown.join(" "),
            indent = depth * 2
        );
        let mut below = children
            .get(&span.span_context.span_id())
            .cloned()
            .unwrap_or_default();
        below.sort_by_key(|s| s.start_time);
        for child in below {
            print(child, depth + 1, children);
        }
    }
    roots.sort_by_key(|s| s.start_time);
    for root in roots {
        print(root, 1, &children);
    }
}

/// The attributes [`print_tree`] shows.
const SHOWN: [&str; 7] = [
    "crewsense.outcome",
    "crewsense.attempts",
    "crewsense.pages",
    "crewsense.items",
    "http.response.status_code",
    "http.request.resend_count",
    "crewsense.token.lifetime_s",
];
