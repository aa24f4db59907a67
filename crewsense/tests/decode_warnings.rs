//! Nothing is left out silently: each degraded value is one WARN event with target
//! `crewsense::decode` naming the operation, the path, what was expected and what came.
//!
//! A test binary of its own, with one test: tracing's per-thread subscribers can miss
//! events whose call sites other test threads reached first.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One event's fields, as `(name, value)`.
type EventFields = Vec<(String, String)>;

/// The fields of each WARN event with target `crewsense::decode`.
#[derive(Clone, Default)]
struct DecodeWarnings(Arc<Mutex<Vec<EventFields>>>);

struct Fields(EventFields);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for DecodeWarnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let meta = event.metadata();
        if meta.target() == "crewsense::decode" && *meta.level() == tracing::Level::WARN {
            let mut fields = Fields(Vec::new());
            event.record(&mut fields);
            self.0.lock().unwrap().push(fields.0);
        }
    }
}

impl DecodeWarnings {
    fn fields(&self) -> Vec<EventFields> {
        self.0.lock().unwrap().clone()
    }
}

fn field<'a>(event: &'a EventFields, name: &str) -> Option<&'a str> {
    event
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn each_degraded_value_is_one_warning_naming_operation_path_and_value() {
    let warnings = DecodeWarnings::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(warnings.clone()));
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1"]).await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"user_id": 1, "emails": false, "date_of_hire": "0000-00-00"},
            {"user_id": "N/A", "first_name": "Ann"},
        ])))
        .mount(&server)
        .await;

    let users = client(&server).users().await.expect("the call succeeds");

    assert_eq!(users.len(), 2);
    let events = warnings.fields();
    assert_eq!(
        events.len(),
        2,
        "one per degraded value, none for the zero date: {events:?}"
    );
    assert_eq!(field(&events[0], "operation"), Some("list_users"));
    assert_eq!(field(&events[0], "path"), Some("[0].emails"));
    assert_eq!(field(&events[0], "found"), Some("false"));
    assert!(field(&events[0], "expected").is_some_and(|e| e.contains("sequence")));
    assert_eq!(field(&events[1], "path"), Some("[1].user_id"));
    assert_eq!(field(&events[1], "found"), Some("\"N/A\""));
}
