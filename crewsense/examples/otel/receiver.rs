//! The example's own check: an OTLP/HTTP receiver on loopback, decoding what arrives
//! with `opentelemetry-proto`, must get the spans and metrics the crate docs list.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::Span;
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use prost::Message;

/// What the receiver decoded.
#[derive(Clone, Default)]
struct Received {
    spans: Arc<Mutex<Vec<Span>>>,
    metrics: Arc<Mutex<Vec<String>>>,
}

async fn traces(State(received): State<Received>, body: Bytes) -> Vec<u8> {
    let request = ExportTraceServiceRequest::decode(body).expect("an OTLP trace export");
    let mut spans = received.spans.lock().unwrap();
    for resource in request.resource_spans {
        for scope in resource.scope_spans {
            spans.extend(scope.spans);
        }
    }
    Vec::new()
}

async fn metrics(State(received): State<Received>, body: Bytes) -> Vec<u8> {
    let request = ExportMetricsServiceRequest::decode(body).expect("an OTLP metrics export");
    let mut names = received.metrics.lock().unwrap();
    for resource in request.resource_metrics {
        for scope in resource.scope_metrics {
            names.extend(scope.metrics.into_iter().map(|m| m.name));
        }
    }
    Vec::new()
}

fn attribute<'a>(span: &'a Span, key: &str) -> Option<&'a Value> {
    span.attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref())
        .and_then(|v| v.value.as_ref())
}

fn int(span: &Span, key: &str) -> Option<i64> {
    match attribute(span, key) {
        Some(Value::IntValue(n)) => Some(*n),
        _ => None,
    }
}

fn text<'a>(span: &'a Span, key: &str) -> Option<&'a str> {
    match attribute(span, key) {
        Some(Value::StringValue(s)) => Some(s),
        _ => None,
    }
}

fn named<'a>(spans: &'a [Span], name: &str) -> Vec<&'a Span> {
    spans.iter().filter(|s| s.name == name).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_delivers_its_spans_and_metrics_to_an_otlp_http_receiver() {
    let received = Received::default();
    let app = Router::new()
        .route("/v1/traces", post(traces))
        .route("/v1/metrics", post(metrics))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let exported = super::run(&endpoint).await.expect("the example runs");

    let spans = received.spans.lock().unwrap().clone();
    assert_eq!(spans.len(), exported.len(), "every exported span arrived");
    eprintln!(
        "{:?}",
        spans
            .iter()
            .map(|s| (
                &s.name,
                s.attributes
                    .iter()
                    .map(|a| a.key.clone())
                    .collect::<Vec<_>>()
            ))
            .collect::<Vec<_>>()
    );

    // The retried read: one call span, two client spans under it, 503 then 200.
    let reads = named(&spans, "get_user");
    assert_eq!(reads.len(), 1, "one get_user call");
    let read = reads[0];
    assert_eq!(text(read, "crewsense.operation_id"), Some("get_user"));
    assert_eq!(text(read, "crewsense.outcome"), Some("ok"));
    assert_eq!(int(read, "crewsense.attempts"), Some(2));
    let mut attempts = named(&spans, "GET /users/{user_id}");
    attempts.sort_by_key(|s| s.start_time_unix_nano);
    assert_eq!(attempts.len(), 2);
    for attempt in &attempts {
        assert_eq!(attempt.parent_span_id, read.span_id);
        assert_eq!(attempt.kind, SpanKind::Client as i32);
        assert_eq!(text(attempt, "http.request.method"), Some("GET"));
        assert_eq!(text(attempt, "url.template"), Some("/users/{user_id}"));
        assert_eq!(text(attempt, "server.address"), Some("127.0.0.1"));
        assert!(int(attempt, "server.port").is_some());
    }
    assert_eq!(int(attempts[0], "http.response.status_code"), Some(503));
    assert_eq!(text(attempts[0], "error.type"), Some("503"));
    assert_eq!(int(attempts[0], "http.request.resend_count"), None);
    assert_eq!(int(attempts[1], "http.response.status_code"), Some(200));
    assert_eq!(int(attempts[1], "http.request.resend_count"), Some(1));
    assert!(int(attempts[1], "crewsense.retry.wait_ms").is_some());

    // The token fetch, with its own client span to the token endpoint.
    let tokens = named(&spans, "crewsense.token");
    assert_eq!(tokens.len(), 1);
    assert_eq!(text(tokens[0], "crewsense.outcome"), Some("ok"));
    assert!(int(tokens[0], "crewsense.token.lifetime_s").is_some_and(|s| s > 0));
    let token_requests = named(&spans, "POST /oauth/access_token");
    assert_eq!(token_requests.len(), 1);
    assert_eq!(token_requests[0].parent_span_id, tokens[0].span_id);

    // The paged stream: its pages' calls are its children.
    let streams = named(&spans, "list_time_offs pages");
    assert_eq!(streams.len(), 1);
    let stream = streams[0];
    let pages = int(stream, "crewsense.pages").expect("a page count");
    assert!(pages >= 1);
    assert!(int(stream, "crewsense.items").is_some());
    let page_calls = named(&spans, "list_time_offs");
    assert_eq!(page_calls.len() as i64, pages);
    assert!(
        page_calls
            .iter()
            .all(|c| c.parent_span_id == stream.span_id)
    );

    let metrics = received.metrics.lock().unwrap().clone();
    for name in [
        "http.client.request.duration",
        "crewsense.call.duration",
        "crewsense.retries",
        "crewsense.token.fetches",
    ] {
        assert!(metrics.iter().any(|m| m == name), "{name} in {metrics:?}");
    }
}
