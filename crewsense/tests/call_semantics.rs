//! What one `Client::call` does around its requests: the single resend of a request
//! whose token the API refused, `Retry-After` beyond the policy's cap, the token
//! endpoint during an outage, and the deadline of the whole call.

mod common;

use std::time::Duration;

use common::*;
use crewsense::retry::{Jitter, RetryPolicy};
use crewsense::types::LabelRequest;
use crewsense::wire::Color;
use crewsense::{Client, Error};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn rejected() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(fixture("001_any_any_response_401.json"))
}

fn empty_list() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!([]))
}

/// `GET /v1/<resource>` refuses `OLD` and lists nothing for `NEW`.
async fn refuse_old_token(server: &MockServer, resource: &str) {
    Mock::given(path(format!("/v1/{resource}")))
        .and(bearer("OLD"))
        .respond_with(rejected())
        .mount(server)
        .await;
    Mock::given(path(format!("/v1/{resource}")))
        .and(bearer("NEW"))
        .respond_with(empty_list())
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_two_request_closure_after_a_401_resends_only_the_rejected_request() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["OLD", "NEW"]).await;
    Mock::given(path("/v1/groups"))
        .respond_with(empty_list())
        .mount(&server)
        .await;
    refuse_old_token(&server, "users").await;

    let users = client(&server)
        .call(async |api| {
            api.list_groups().send().await?;
            api.list_users().send().await
        })
        .await
        .unwrap();

    assert!(
        matches!(users, crewsense::types::ListUsersResponse::Array(ref u) if u.is_empty()),
        "{users:?}"
    );
    // The first request, which succeeded, is not sent again.
    assert_eq!(tokens_of(&received(&server, "/v1/groups").await), ["OLD"]);
    assert_eq!(
        tokens_of(&received(&server, "/v1/users").await),
        ["OLD", "NEW"]
    );
    assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_write_refused_for_its_token_is_resent_with_the_body_moved_in() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["OLD", "NEW"]).await;
    Mock::given(method("POST"))
        .and(path("/v1/labels"))
        .and(bearer("OLD"))
        .respond_with(rejected())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/labels"))
        .and(bearer("NEW"))
        .and(body_string_contains("Hazmat"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"success": true})),
        )
        .mount(&server)
        .await;
    let label = LabelRequest {
        label: "Hazmat".to_owned(),
        color: Color("#ff0000".to_owned()),
        text_color: Color("#ffffff".to_owned()),
        position: None,
    };

    // The closure runs once, so it can give its body away without a clone.
    client(&server)
        .call(async move |api| api.create_label().body(label).send().await)
        .await
        .unwrap();

    assert_eq!(
        tokens_of(&received(&server, "/v1/labels").await),
        ["OLD", "NEW"]
    );
}

#[tokio::test]
async fn a_401_with_the_token_endpoint_down_is_a_token_error() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["OLD"]).await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    refuse_old_token(&server, "users").await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let error = client.users().await.unwrap_err();

    // Not `Unauthorized`: the request could not be resent for want of a new token.
    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(error.is_retryable());
    assert_eq!(tokens_of(&received(&server, "/v1/users").await), ["OLD"]);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_waited_for_the_cap_and_reported() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/users"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "120")
                .set_body_json(serde_json::json!({
                    "status": 503, "error": "unavailable", "error_message": "down for maintenance"
                })),
        )
        .mount(&server)
        .await;
    let cap = Duration::from_millis(20);
    let client = Client::builder()
        .static_token("T")
        .base_url(format!("{}/v1", server.uri()))
        .retry_policy(RetryPolicy::new().max_retry_after(cap))
        .build()
        .unwrap();

    let error = client.users().await.unwrap_err();

    // Every attempt was made, each after the capped wait.
    assert_eq!(received(&server, "/v1/users").await.len(), 3);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert!(error.retry_after() > Some(client.retry_policy().retry_after_limit()));
    assert!(
        error.to_string().contains("asked to retry after 120 s"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_outage_costs_one_fetch_per_backoff_step_for_a_thousand_callers() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let client = builder(&server)
        .clock(clock.clone())
        .retry_policy(
            RetryPolicy::new()
                .base_delay(Duration::from_millis(1))
                .jitter(Jitter::Off),
        )
        .build()
        .unwrap();
    let attempts = client.retry_policy().attempts() as usize;

    let mut requests = Vec::new();
    for wave in 0..3 {
        if wave == 2 {
            // Past the first backoff step (1 s) by the client's clock.
            clock.advance(Duration::from_secs(1));
        }
        for result in users_at_once(&client, 1000).await {
            let error = result.unwrap_err();
            assert!(matches!(error, Error::Token(_)), "{error:?}");
        }
        requests.push(received(&server, TOKEN_PATH).await.len());
    }

    // One fetch (with its retries) for the first thousand callers, none during the
    // backoff, one more once it is over.
    assert_eq!(requests, [attempts, attempts, 2 * attempts]);
    assert!(received(&server, "/v1/users").await.is_empty());
}

/// A loopback address that accepts connections and never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{address}")
}

#[tokio::test(start_paused = true)]
async fn the_call_timeout_ends_a_call_the_api_never_answers() {
    let limit = Duration::from_secs(5);
    let client = Client::builder()
        .static_token("T")
        .base_url(format!("{}/v1", silent_server().await))
        .call_timeout(limit)
        .build()
        .unwrap();

    let error = client.users().await.unwrap_err();

    // Well before the 30 s request timeout of each attempt.
    assert!(
        matches!(error, Error::CallTimeout { limit: l, .. } if l == limit),
        "{error:?}"
    );
    assert!(error.is_timeout());
}

#[tokio::test(start_paused = true)]
async fn the_call_timeout_covers_the_token_request() {
    let client = Client::builder()
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(format!("{}/v1", silent_server().await))
        .call_timeout(Duration::from_secs(5))
        .build()
        .unwrap();

    let error = client.users().await.unwrap_err();

    assert!(
        matches!(
            error,
            Error::CallTimeout {
                operation: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_timeout());
}
