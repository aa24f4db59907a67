//! The client against injected faults: each test checks what the caller gets and what
//! the server saw (requests per route, token requests, stored records, faults used).
//!
//! Most run against the sandbox; the decoding test uses wiremock to send a document
//! the sandbox never would. Waits are kept short: a 1 ms backoff where the wait does
//! not matter, paused time where it does.

use crewsense::ids::SignupEventId;
use crewsense_tests::sandbox_client;
use std::time::Duration;

use crewsense::retry::{Jitter, RetryPolicy};
use crewsense::types::{LabelRequest, SignupEventStatusKind};
use crewsense::wire::{Color, Id, Open};
use crewsense::{Client, ClientBuilder, Error, StatusCode};
use crewsense_sandbox::{Fault, Sandbox};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: &str = "GET /users/{user_id}";
const LABELS: &str = "POST /labels";
const USER_ID: Id = Id(1001);

fn builder(sandbox: &Sandbox) -> ClientBuilder {
    sandbox_client(sandbox)
}

/// The default number of attempts, without the waits: 1 ms apart.
fn quick() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .jitter(Jitter::Off)
}

/// A sandbox whose next `times` calls to `route` meet `fault`.
async fn failing(route: &str, times: usize, fault: Fault) -> Sandbox {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(route, times, fault);
    sandbox
}

fn client(sandbox: &Sandbox, policy: RetryPolicy) -> Client {
    builder(sandbox).retry_policy(policy).build().unwrap()
}

/// A client whose requests time out after 200 ms.
fn impatient(sandbox: &Sandbox, policy: RetryPolicy) -> Client {
    builder(sandbox)
        .request_timeout(Duration::from_millis(200))
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// `error` is a transport error of `get_user`.
#[track_caller]
fn assert_get_user_transport(error: &Error) {
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: Some("get_user"),
                ..
            }
        ),
        "{error:?}"
    );
}

fn label(name: &str) -> LabelRequest {
    LabelRequest {
        label: name.to_owned(),
        color: Color("#aa0000".to_owned()),
        text_color: Color("#ffffff".to_owned()),
        position: None,
    }
}

async fn create_label(client: &Client, name: &str) -> Result<(), Error> {
    let body = label(name);
    client
        .call(async |api| api.create_label().body(body.clone()).send().await)
        .await
        .map(drop)
}

/// How many labels called `name` the server has stored.
async fn labels_named(client: &Client, name: &str) -> usize {
    let labels = client
        .call(async |api| api.list_labels().send().await)
        .await
        .unwrap();
    labels
        .iter()
        .filter(|l| l.label.as_deref() == Some(name))
        .count()
}

fn statuses(sandbox: &Sandbox, route: &str) -> Vec<u16> {
    sandbox
        .request_log()
        .into_iter()
        .filter(|r| r.route == route)
        .map(|r| r.status)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn rate_limited_then_success_waits_as_told() {
    let sandbox = failing(USER, 1, Fault::RateLimited { retry_after: 7 }).await;
    let client = client(&sandbox, RetryPolicy::new());

    let started = tokio::time::Instant::now();
    let user = client.user(USER_ID.into()).await.unwrap();
    let waited = started.elapsed();

    assert_eq!(user.user_id, Some(USER_ID));
    // Paused time moves only by the timers that ran out: here, the 7 s wait alone.
    assert!(
        (Duration::from_secs(7)..Duration::from_secs(8)).contains(&waited),
        "{waited:?}"
    );
    assert_eq!(statuses(&sandbox, USER), [429, 200]);
    assert_eq!(sandbox.token_requests(), 1);
}

#[tokio::test]
async fn unavailable_on_every_attempt_reports_the_last_503() {
    let sandbox = failing(USER, 10, Fault::Status(503)).await;
    let client = client(&sandbox, quick().max_attempts(4));

    let error = client.user(USER_ID.into()).await.unwrap_err();

    assert!(
        matches!(
            error,
            Error::Api {
                operation: Some("get_user"),
                status: StatusCode::SERVICE_UNAVAILABLE,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(statuses(&sandbox, USER), [503; 4]);
    assert_eq!(sandbox.pending_faults(USER), 6);
}

#[tokio::test]
async fn a_bad_gateway_page_is_retried_then_reported_with_an_excerpt() {
    let sandbox = failing(USER, 3, Fault::Status(502)).await;
    let client = client(&sandbox, quick());

    let error = client.user(USER_ID.into()).await.unwrap_err();

    match &error {
        Error::UnexpectedResponse {
            operation,
            status,
            content_type,
            excerpt,
            ..
        } => {
            assert_eq!(
                (*operation, *status),
                (Some("get_user"), StatusCode::BAD_GATEWAY)
            );
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(excerpt.contains("<h1>502 Bad Gateway</h1>"), "{excerpt}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(statuses(&sandbox, USER), [502; 3]);

    sandbox.fail_next(USER, 1, Fault::Status(502));
    client.user(USER_ID.into()).await.unwrap();
    assert_eq!(statuses(&sandbox, USER)[3..], [502, 200]);
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_error_naming_the_operation() {
    let sandbox = failing(USER, 1, Fault::TruncatedJson).await;
    let client = client(&sandbox, quick());

    let error = client.user(USER_ID.into()).await.unwrap_err();

    assert!(
        matches!(
            error,
            Error::Decode {
                operation: Some("get_user"),
                status: Some(StatusCode::OK),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().starts_with("get_user: could not decode"));
    assert!(!error.is_retryable());
    assert_eq!(statuses(&sandbox, USER), [200], "a bad body is not resent");
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_retried_for_a_get() {
    let sandbox = failing(USER, 1, Fault::Disconnect).await;

    let user = client(&sandbox, quick())
        .user(USER_ID.into())
        .await
        .unwrap();
    assert_eq!(user.user_id, Some(USER_ID));
    assert_eq!(sandbox.requests(USER), 2);

    sandbox.fail_next(USER, 1, Fault::Disconnect);
    let once = client(&sandbox, RetryPolicy::none());
    let error = once.user(USER_ID.into()).await.unwrap_err();
    assert_get_user_transport(&error);
    assert!(error.is_retryable() && !error.is_timeout());
    assert_eq!(sandbox.requests(USER), 3);
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_timeout_error() {
    let sandbox = failing(USER, 5, Fault::Delay(Duration::from_secs(1))).await;
    let client = impatient(&sandbox, quick());

    let error = client.user(USER_ID.into()).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert_get_user_transport(&error);
    // Each attempt took its fault on arrival: three attempts, two faults left.
    assert_eq!(sandbox.pending_faults(USER), 2);
}

#[tokio::test]
async fn a_body_that_stalls_is_a_timeout_error() {
    let sandbox = failing(USER, 1, Fault::SlowBody(Duration::from_secs(1))).await;
    let client = impatient(&sandbox, RetryPolicy::none());

    let error = client.user(USER_ID.into()).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.operation(), Some("get_user"));
    assert_eq!(statuses(&sandbox, USER), [200], "the head had arrived");
}

#[tokio::test]
async fn a_post_that_failed_after_storing_is_not_resent() {
    let sandbox = failing(LABELS, 1, Fault::StatusAfterHandling(503)).await;
    let client = client(&sandbox, quick());

    let error = create_label(&client, "Stored once").await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(error.operation(), Some("create_label"));
    assert_eq!(sandbox.requests(LABELS), 1);
    assert_eq!(labels_named(&client, "Stored once").await, 1);
}

#[tokio::test]
async fn with_the_policy_off_a_get_is_sent_once() {
    let sandbox = failing(USER, 2, Fault::Status(503)).await;

    let off = client(&sandbox, RetryPolicy::none());
    let error = off.user(USER_ID.into()).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(sandbox.requests(USER), 1);

    // The same, switched off for one call of a client that retries.
    let retrying = client(&sandbox, quick());
    let error = retrying
        .with_retry(RetryPolicy::none())
        .user(USER_ID.into())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(sandbox.requests(USER), 2);
    assert_eq!(sandbox.pending_faults(USER), 0);
}

#[tokio::test]
async fn a_post_is_retried_only_when_the_call_opts_in() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, quick());

    sandbox.fail_next(LABELS, 1, Fault::Status(503));
    let error = create_label(&client, "Opted in").await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(statuses(&sandbox, LABELS), [503]);

    sandbox.fail_next(LABELS, 1, Fault::Status(503));
    let opted_in = client.with_retry(quick().retry_non_idempotent(true));
    create_label(&opted_in, "Opted in").await.unwrap();
    assert_eq!(statuses(&sandbox, LABELS), [503, 503, 200]);
    // The 503s were answered before the handler ran: one label in the end.
    assert_eq!(labels_named(&client, "Opted in").await, 1);
}

// Paused time, so that the sandbox holds every call of the burst for 100 ms of virtual
// time however loaded the machine is: the tokens expire after all of them have arrived
// (each took its delay on arrival) and before any token is checked.
#[tokio::test(start_paused = true)]
async fn tokens_expiring_during_a_burst_are_refreshed_once() {
    const CALLS: usize = 200;
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, quick());
    client.user(USER_ID.into()).await.unwrap();
    sandbox.reset_counters();

    sandbox.fail_next(USER, CALLS, Fault::Delay(Duration::from_millis(100)));
    let burst: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.user(USER_ID.into()).await })
        })
        .collect();
    // Yielding, not sleeping: the clock stands still while the burst arrives.
    while sandbox.pending_faults(USER) > 0 {
        tokio::task::yield_now().await;
    }
    sandbox.expire_tokens();

    for call in burst {
        call.await.unwrap().unwrap();
    }
    assert_eq!(sandbox.token_requests(), 1, "one refresh");
    let log = sandbox.request_log();
    let api: Vec<_> = log.iter().filter(|r| r.route == USER).collect();
    assert_eq!(api.len(), 2 * CALLS);
    assert_eq!(api.iter().filter(|r| r.status == 401).count(), CALLS);
    assert_eq!(api.iter().filter(|r| r.status == 200).count(), CALLS);
    assert_eq!(
        sandbox.tokens_seen().len(),
        2,
        "the expired token and its successor"
    );
}

#[tokio::test]
async fn unknown_enum_values_and_fields_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/signup_events/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "5",
            "title": "Hazmat refresher",
            "status": "escalated",
            "escalation": {"level": 2, "by": ["ops"]},
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .static_token("T")
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .unwrap();

    let event = client.signup_event(SignupEventId::new(5)).await.unwrap();

    assert_eq!(event.id, Some(Id(5)));
    assert_eq!(event.title.as_deref(), Some("Hazmat refresher"));
    let status: Option<Open<SignupEventStatusKind>> = event.status;
    assert_eq!(status, Some(Open::Other("escalated".to_owned())));
    server.verify().await;
}
