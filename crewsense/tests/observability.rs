//! What a client tells an operator, recorded: the spans (with their parents and
//! fields), the events inside them, and the metrics, for retried, refused, polled,
//! paged and degraded calls. Nothing recorded ever holds the client secret or a token.
//!
//! Every test records with the same subscriber (thread-local, on a current-thread
//! runtime, so the spawned token fetch and page fetches are recorded too) and the
//! same in-memory metrics recorder.

mod common;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crewsense::Client;
use crewsense::poll::{Polled, Validator};
use crewsense::retry::{Jitter, RetryPolicy};
use crewsense::time::DateRange;
use crewsense_sandbox::{Fault, Sandbox};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A span as recorded: its name, its parent (an index into the spans), its fields
/// as recorded at creation and later, and whether it has closed.
#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    parent: Option<usize>,
    fields: Vec<(String, String)>,
    closed: bool,
}

/// An event as recorded, with the span it happened in.
#[derive(Debug, Clone)]
struct EventRecord {
    level: Level,
    target: String,
    span: Option<usize>,
    fields: Vec<(String, String)>,
}

#[derive(Debug, Default)]
struct Recorded {
    spans: Vec<SpanRecord>,
    /// The open spans by tracing id (ids are reused once a span closes).
    open: Vec<(u64, usize)>,
    events: Vec<EventRecord>,
}

impl Recorded {
    fn index(&self, id: &Id) -> Option<usize> {
        self.open
            .iter()
            .rev()
            .find(|(open, _)| *open == id.into_u64())
            .map(|(_, index)| *index)
    }
}

/// A `tracing` layer that records every span and event.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Recorded>>);

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut recorded = self.0.lock().unwrap();
        let parent = ctx
            .span(id)
            .and_then(|span| span.parent())
            .and_then(|parent| recorded.index(&parent.id()));
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let index = recorded.spans.len();
        recorded.spans.push(SpanRecord {
            name: attrs.metadata().name(),
            parent,
            fields,
            closed: false,
        });
        recorded.open.push((id.into_u64(), index));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut recorded = self.0.lock().unwrap();
        if let Some(index) = recorded.index(id) {
            values.record(&mut Fields(&mut recorded.spans[index].fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut recorded = self.0.lock().unwrap();
        let span = ctx
            .event_span(event)
            .and_then(|span| recorded.index(&span.id()));
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        recorded.events.push(EventRecord {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            span,
            fields,
        });
    }

    fn on_close(&self, id: Id, _: Context<'_, S>) {
        let mut recorded = self.0.lock().unwrap();
        if let Some(index) = recorded.index(&id) {
            recorded.spans[index].closed = true;
            recorded.open.retain(|(_, open)| *open != index);
        }
    }
}

/// A field's last recorded value.
fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// What one test recorded, and the metrics.
struct Telemetry {
    recorder: Recorder,
    snapshotter: Snapshotter,
}

impl Telemetry {
    fn spans(&self) -> Vec<SpanRecord> {
        self.recorder.0.lock().unwrap().spans.clone()
    }

    fn events(&self) -> Vec<EventRecord> {
        self.recorder.0.lock().unwrap().events.clone()
    }

    /// The indices of the spans named `name` whose `otel.name` is `otel_name`.
    fn find(&self, name: &str, otel_name: &str) -> Vec<usize> {
        let spans = self.spans();
        (0..spans.len())
            .filter(|&i| {
                spans[i].name == name && field(&spans[i].fields, "otel.name") == Some(otel_name)
            })
            .collect()
    }

    fn children(&self, parent: usize, name: &str) -> Vec<usize> {
        let spans = self.spans();
        (0..spans.len())
            .filter(|&i| spans[i].parent == Some(parent) && spans[i].name == name)
            .collect()
    }

    /// The metrics recorded so far (taking them: a second call sees only newer
    /// ones).
    fn metrics(&self) -> Metrics {
        let taken = self.snapshotter.snapshot().into_vec();
        Metrics(
            taken
                .into_iter()
                .map(|(key, _, _, value)| {
                    let key = key.key();
                    let mut labels: Labels = key
                        .labels()
                        .map(|l| (l.key().to_owned(), l.value().to_owned()))
                        .collect();
                    labels.sort();
                    let count = match value {
                        DebugValue::Counter(count) => count,
                        DebugValue::Histogram(values) => values.len() as u64,
                        DebugValue::Gauge(_) => 0,
                    };
                    (key.name().to_owned(), labels, count)
                })
                .collect(),
        )
    }

    /// No span field and no event field holds any of `secrets`, nor a bearer header.
    fn assert_no_secrets(&self, secrets: &[String]) {
        let recorded = self.recorder.0.lock().unwrap();
        let spans = recorded.spans.iter().map(|s| &s.fields);
        let events = recorded.events.iter().map(|e| &e.fields);
        let mut scanned = 0;
        for fields in spans.chain(events) {
            for (name, value) in fields {
                scanned += 1;
                assert!(!value.contains("Bearer"), "{name}={value}");
                for secret in secrets {
                    assert!(!value.contains(secret.as_str()), "{name}={value}");
                }
            }
        }
        assert!(scanned > 20, "only {scanned} fields were recorded");
    }
}

/// Metrics as taken from the recorder: name, sorted labels, and a counter's count or
/// how many values a histogram got.
struct Metrics(Vec<(String, Labels, u64)>);

/// A metric's labels, sorted.
type Labels = Vec<(String, String)>;

impl Metrics {
    /// The metric `name` with exactly these labels.
    fn get(&self, name: &str, labels: &[(&str, &str)]) -> Option<u64> {
        let mut want: Labels = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        want.sort();
        self.0
            .iter()
            .find(|(n, l, _)| n == name && *l == want)
            .map(|(_, _, count)| *count)
    }
}

/// Records spans, events and metrics on this thread until the test ends.
macro_rules! record {
    ($telemetry:ident) => {
        let recorder = Recorder::default();
        let metrics = DebuggingRecorder::new();
        let $telemetry = Telemetry {
            recorder: recorder.clone(),
            snapshotter: metrics.snapshotter(),
        };
        let _tracing =
            tracing::subscriber::set_default(tracing_subscriber::registry().with(recorder));
        let _metrics = metrics::set_default_local_recorder(&metrics);
        crewsense::observe::record_metrics();
    };
}

fn sandbox_client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .client_credentials(sandbox.client_id(), sandbox.client_secret())
        .base_url(sandbox.base_url())
        .token_url(sandbox.token_url())
        .retry_policy(
            RetryPolicy::new()
                .base_delay(Duration::from_millis(10))
                .jitter(Jitter::Off),
        )
        .build()
        .unwrap()
}

/// The client secret and every token the sandbox handed out.
fn secrets(sandbox: &Sandbox) -> Vec<String> {
    let mut secrets = sandbox.tokens_seen();
    secrets.push(sandbox.client_secret().to_owned());
    secrets
}

async fn first_user(client: &Client) -> crewsense::ids::UserId {
    let users = client.users().await.unwrap();
    users.iter().find_map(|u| u.user_id).unwrap().into()
}

#[tokio::test]
async fn a_retried_call_is_one_call_span_over_two_client_spans_and_its_metrics() {
    record!(telemetry);
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox_client(&sandbox);
    let user = first_user(&client).await;
    sandbox.fail_next("GET /users/{user_id}", 1, Fault::Status(503));

    client.user(user).await.unwrap();

    let spans = telemetry.spans();
    let calls = telemetry.find("crewsense.call", "get_user");
    assert_eq!(calls.len(), 1);
    let call = &spans[calls[0]];
    assert!(call.closed);
    assert_eq!(
        field(&call.fields, "crewsense.operation_id"),
        Some("get_user")
    );
    assert_eq!(field(&call.fields, "crewsense.outcome"), Some("ok"));
    assert_eq!(field(&call.fields, "crewsense.attempts"), Some("2"));
    assert_eq!(field(&call.fields, "error.type"), None);

    let attempts = telemetry.children(calls[0], "crewsense.http");
    assert_eq!(attempts.len(), 2);
    let port = sandbox
        .base_url()
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    for &i in &attempts {
        let fields = &spans[i].fields;
        assert_eq!(field(fields, "otel.name"), Some("GET /users/{user_id}"));
        assert_eq!(field(fields, "otel.kind"), Some("client"));
        assert_eq!(field(fields, "http.request.method"), Some("GET"));
        assert_eq!(field(fields, "url.template"), Some("/users/{user_id}"));
        assert_eq!(field(fields, "server.address"), Some("127.0.0.1"));
        assert_eq!(field(fields, "server.port"), Some(port.as_str()));
        let url = field(fields, "url.full").unwrap();
        assert!(url.ends_with(&format!("/v1/users/{user}")), "{url}");
    }
    let (first, second) = (&spans[attempts[0]].fields, &spans[attempts[1]].fields);
    assert_eq!(field(first, "http.response.status_code"), Some("503"));
    assert_eq!(field(first, "error.type"), Some("503"));
    assert_eq!(field(first, "otel.status_code"), Some("error"));
    assert_eq!(field(first, "http.request.resend_count"), None);
    assert_eq!(field(second, "http.response.status_code"), Some("200"));
    assert_eq!(field(second, "error.type"), None);
    assert_eq!(field(second, "http.request.resend_count"), Some("1"));
    assert_eq!(field(second, "crewsense.retry.wait_ms"), Some("10"));

    let retried = telemetry
        .events()
        .into_iter()
        .filter(|e| field(&e.fields, "message") == Some("retrying a CrewSense API request"))
        .collect::<Vec<_>>();
    assert_eq!(retried.len(), 1);
    assert_eq!(
        retried[0].span,
        Some(calls[0]),
        "the retry is an event of the call"
    );

    let metrics = telemetry.metrics();
    let attempt = |status| {
        metrics.get(
            "http.client.request.duration",
            &[
                ("http.request.method", "GET"),
                ("url.template", "/users/{user_id}"),
                ("server.address", "127.0.0.1"),
                ("server.port", port.as_str()),
                ("http.response.status_code", status),
            ],
        )
    };
    assert_eq!(attempt("503"), Some(1));
    assert_eq!(attempt("200"), Some(1));
    assert_eq!(
        metrics.get(
            "crewsense.retries",
            &[
                ("crewsense.operation_id", "get_user"),
                ("error.type", "503")
            ]
        ),
        Some(1)
    );
    assert_eq!(
        metrics.get(
            "crewsense.call.duration",
            &[
                ("crewsense.operation_id", "get_user"),
                ("crewsense.outcome", "ok")
            ]
        ),
        Some(1)
    );
    telemetry.assert_no_secrets(&secrets(&sandbox));
}

#[tokio::test]
async fn a_refused_token_is_fetched_again_in_its_own_span_and_the_request_resent() {
    record!(telemetry);
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox_client(&sandbox);
    let user = first_user(&client).await;
    sandbox.expire_tokens();

    client.user(user).await.unwrap();

    let spans = telemetry.spans();
    let calls = telemetry.find("crewsense.call", "get_user");
    assert_eq!(calls.len(), 1);
    assert_eq!(
        field(&spans[calls[0]].fields, "crewsense.attempts"),
        Some("2")
    );
    let attempts = telemetry.children(calls[0], "crewsense.http");
    let statuses: Vec<_> = attempts
        .iter()
        .map(|&i| field(&spans[i].fields, "http.response.status_code"))
        .collect();
    assert_eq!(statuses, [Some("401"), Some("200")]);
    assert_eq!(
        field(&spans[attempts[1]].fields, "http.request.resend_count"),
        Some("1")
    );

    // The first token came with the first call; the second inside the refused one.
    let tokens: Vec<usize> = (0..spans.len())
        .filter(|&i| spans[i].name == "crewsense.token")
        .collect();
    assert_eq!(tokens.len(), 2);
    assert_eq!(spans[tokens[1]].parent, Some(calls[0]));
    for &token in &tokens {
        let fields = &spans[token].fields;
        assert_eq!(field(fields, "crewsense.outcome"), Some("ok"));
        assert_eq!(field(fields, "crewsense.token.lifetime_s"), Some("86400"));
        let requests = telemetry.children(token, "crewsense.http");
        assert_eq!(requests.len(), 1);
        let request = &spans[requests[0]].fields;
        assert_eq!(
            field(request, "otel.name"),
            Some("POST /oauth/access_token")
        );
        assert_eq!(field(request, "http.response.status_code"), Some("200"));
    }

    let resends: Vec<_> = telemetry
        .events()
        .into_iter()
        .filter(|e| {
            field(&e.fields, "message").is_some_and(|m| m.contains("rejected the access token"))
        })
        .collect();
    assert_eq!(resends.len(), 1);
    assert_eq!(resends[0].span, Some(calls[0]));
    assert_eq!(
        field(&resends[0].fields, "crewsense.operation_id"),
        Some("get_user")
    );
    let metrics = telemetry.metrics();
    assert_eq!(
        metrics.get(
            "crewsense.retries",
            &[
                ("crewsense.operation_id", "get_user"),
                ("error.type", "401")
            ]
        ),
        Some(1)
    );
    assert_eq!(
        metrics.get("crewsense.token.fetches", &[("crewsense.outcome", "ok")]),
        Some(2)
    );
    telemetry.assert_no_secrets(&secrets(&sandbox));
}

#[tokio::test]
async fn a_refused_client_secret_ends_the_token_span_and_the_call_in_error() {
    record!(telemetry);
    let sandbox = Sandbox::start().await.unwrap();
    let client = Client::builder()
        .client_credentials(sandbox.client_id(), "not-the-secret")
        .base_url(sandbox.base_url())
        .token_url(sandbox.token_url())
        .build()
        .unwrap();

    let error = client.users().await.unwrap_err();
    assert!(error.credentials_refused(), "{error}");

    let spans = telemetry.spans();
    let token = spans.iter().find(|s| s.name == "crewsense.token").unwrap();
    assert_eq!(
        field(&token.fields, "crewsense.outcome"),
        Some("bad_credentials")
    );
    assert_eq!(field(&token.fields, "error.type"), Some("bad_credentials"));
    assert_eq!(field(&token.fields, "crewsense.token.lifetime_s"), None);
    let call = spans.iter().find(|s| s.name == "crewsense.call").unwrap();
    assert_eq!(field(&call.fields, "crewsense.outcome"), Some("token"));
    assert_eq!(field(&call.fields, "otel.status_code"), Some("error"));
    assert_eq!(field(&call.fields, "crewsense.attempts"), Some("0"));
    let metrics = telemetry.metrics();
    assert_eq!(
        metrics.get(
            "crewsense.token.fetches",
            &[("crewsense.outcome", "bad_credentials")]
        ),
        Some(1)
    );
    let mut secrets = secrets(&sandbox);
    secrets.push("not-the-secret".to_owned());
    telemetry.assert_no_secrets(&secrets);
}

#[tokio::test]
async fn a_paged_stream_has_a_span_counting_pages_and_items_over_a_call_per_page() {
    record!(telemetry);
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox_client(&sandbox);
    let months = DateRange::from(
        "2025-01-01".parse::<crewsense::time::Date>().unwrap().."2025-05-01".parse().unwrap(),
    );

    let pages: Vec<_> = futures::TryStreamExt::try_collect(client.time_offs(months).pages())
        .await
        .unwrap();

    let items: usize = pages.iter().map(|p| p.items.len()).sum();
    assert!(
        pages.len() >= 4 && items > 0,
        "{} pages, {items} items",
        pages.len()
    );
    let spans = telemetry.spans();
    let streams = telemetry.find("crewsense.paging", "list_time_offs pages");
    assert_eq!(streams.len(), 1);
    let stream = &spans[streams[0]];
    assert!(stream.closed, "the stream's span ends with the stream");
    assert_eq!(
        field(&stream.fields, "crewsense.operation_id"),
        Some("list_time_offs")
    );
    assert_eq!(
        field(&stream.fields, "crewsense.pages"),
        Some(pages.len().to_string().as_str())
    );
    assert_eq!(
        field(&stream.fields, "crewsense.items"),
        Some(items.to_string().as_str())
    );
    let calls = telemetry.children(streams[0], "crewsense.call");
    assert_eq!(
        calls.len(),
        pages.len(),
        "each page's call is a child of the stream"
    );
    for &call in &calls {
        assert_eq!(
            field(&spans[call].fields, "crewsense.operation_id"),
            Some("list_time_offs")
        );
        assert_eq!(telemetry.children(call, "crewsense.http").len(), 1);
    }
    telemetry.assert_no_secrets(&secrets(&sandbox));
}

#[tokio::test]
async fn a_304_is_an_event_of_its_call_and_a_count() {
    record!(telemetry);
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox_client(&sandbox);
    let company = async |seen: &Validator| {
        client
            .call_if_changed(seen, async |api| api.get_company().send().await)
            .await
            .unwrap()
    };
    let Polled::Changed { validator, .. } = company(&Validator::default()).await else {
        panic!("the first answer is new");
    };
    assert_eq!(company(&validator).await, Polled::Unchanged);

    let calls = telemetry.find("crewsense.call", "get_company");
    assert_eq!(calls.len(), 2);
    let spans = telemetry.spans();
    let polled = telemetry.children(calls[1], "crewsense.http");
    assert_eq!(
        field(&spans[polled[0]].fields, "http.response.status_code"),
        Some("304")
    );
    let unchanged: Vec<_> = telemetry
        .events()
        .into_iter()
        .filter(|e| {
            field(&e.fields, "message").is_some_and(|m| m.starts_with("not modified (304)"))
        })
        .collect();
    assert_eq!(unchanged.len(), 1);
    assert_eq!(unchanged[0].span, Some(calls[1]));
    let metrics = telemetry.metrics();
    assert_eq!(
        metrics.get(
            "crewsense.not_modified",
            &[("crewsense.operation_id", "get_company")]
        ),
        Some(1)
    );
    telemetry.assert_no_secrets(&secrets(&sandbox));
}

#[tokio::test]
async fn a_degraded_value_is_a_warning_inside_its_call_span_and_a_count() {
    record!(telemetry);
    let server = MockServer::start().await;
    common::grant_tokens(&server, &["TOKEN-degraded-1"]).await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"user_id": 1, "first_name": "Ann"},
            {"user_id": "N/A", "first_name": "Bo"},
        ])))
        .mount(&server)
        .await;

    let users = common::client(&server).users().await.unwrap();

    assert_eq!(users.len(), 2);
    let calls = telemetry.find("crewsense.call", "list_users");
    assert_eq!(calls.len(), 1);
    let warnings: Vec<_> = telemetry
        .events()
        .into_iter()
        .filter(|e| e.level == Level::WARN && e.target == "crewsense::decode")
        .collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].span, Some(calls[0]), "inside the call's span");
    assert_eq!(field(&warnings[0].fields, "path"), Some("[1].user_id"));
    let metrics = telemetry.metrics();
    assert_eq!(
        metrics.get(
            "crewsense.degraded_fields",
            &[("crewsense.operation_id", "list_users")]
        ),
        Some(1)
    );
    telemetry.assert_no_secrets(&[
        common::CLIENT_SECRET.to_owned(),
        "TOKEN-degraded-1".to_owned(),
    ]);
}
