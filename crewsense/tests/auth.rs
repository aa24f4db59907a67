//! Token lifecycle over real HTTP: one fetch for many callers, refresh ahead of
//! expiry, and the single resend after a rejected token.

mod common;

use std::time::Duration;

use common::*;
use crewsense::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn users_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!([]))
}

fn rejected() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(fixture("001_any_any_response_401.json"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_request_serves_a_thousand_concurrent_first_calls() {
    let server = MockServer::start().await;
    // The slow answer keeps the refresh in flight while every caller asks for a token.
    token_endpoint()
        .respond_with(token_answer("T1", 3600).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .and(bearer("T1"))
        .respond_with(users_ok())
        .mount(&server)
        .await;

    let client = client(&server);
    for result in users_at_once(&client, 1000).await {
        result.expect("the call succeeded");
    }

    assert_eq!(received(&server, TOKEN_PATH).await.len(), 1);
    let api = received(&server, "/v1/users").await;
    assert_eq!(api.len(), 1000);
    assert!(tokens_of(&api).iter().all(|t| t == "T1"));
}

/// Waits (a few seconds at most) until the client holds a token with more than
/// `left` to live, that is until a background refresh has landed.
async fn refreshed(client: &Client, left: Duration) {
    for _ in 0..1000 {
        if client
            .authenticate()
            .await
            .unwrap()
            .is_some_and(|d| d > left)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the background refresh never landed");
}

#[tokio::test]
async fn tokens_are_refreshed_in_the_background_a_margin_before_they_expire() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1", "T2"]).await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(users_ok())
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let client = builder(&server)
        .clock(clock.clone())
        .refresh_margin(Duration::from_secs(300))
        .build()
        .unwrap();

    client.users().await.unwrap();
    // 3600 s tokens with a 300 s margin are due at 3300 s.
    clock.advance(Duration::from_secs(3299));
    client.users().await.unwrap();
    assert_eq!(received(&server, TOKEN_PATH).await.len(), 1);

    // Due: this call still goes out with T1 while T2 is fetched beside it.
    clock.advance(Duration::from_secs(1));
    client.users().await.unwrap();
    refreshed(&client, Duration::from_secs(300)).await;
    client.users().await.unwrap();
    assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(
        tokens_of(&received(&server, "/v1/users").await),
        ["T1", "T1", "T1", "T2"]
    );
}

#[tokio::test]
async fn a_rejected_token_is_replaced_and_the_call_resent_once() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["OLD", "NEW"]).await;
    Mock::given(path("/v1/users"))
        .and(bearer("OLD"))
        .respond_with(rejected())
        .mount(&server)
        .await;
    Mock::given(path("/v1/users"))
        .and(bearer("NEW"))
        .respond_with(users_ok())
        .mount(&server)
        .await;

    let users = client(&server)
        .users()
        .await
        .expect("the resent call succeeds");

    assert!(users.is_empty());
    assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(
        tokens_of(&received(&server, "/v1/users").await),
        ["OLD", "NEW"]
    );
}

#[tokio::test]
async fn a_second_rejection_is_unauthorized() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["OLD", "NEW", "NEWER"]).await;
    Mock::given(path("/v1/users"))
        .respond_with(rejected())
        .mount(&server)
        .await;

    let error = client(&server).users().await.unwrap_err();

    assert!(
        matches!(
            &error,
            Error::Unauthorized {
                operation: Some("list_users"),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_unauthorized());
    assert_eq!(error.api_messages(), ["Access token is not valid"]);
    assert_eq!(
        tokens_of(&received(&server, "/v1/users").await),
        ["OLD", "NEW"]
    );
    assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_rejections_share_one_new_token() {
    let server = MockServer::start().await;
    // A slow first token makes every task start with OLD; the first rejection then
    // comes at once, the others only after NEW has been fetched.
    token_endpoint()
        .respond_with(token_answer("OLD", 3600).set_delay(Duration::from_millis(200)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    grant_tokens(&server, &["NEW", "NEWER"]).await;
    Mock::given(path("/v1/users"))
        .and(bearer("OLD"))
        .respond_with(rejected())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/users"))
        .and(bearer("OLD"))
        .respond_with(rejected().set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    Mock::given(path("/v1/users"))
        .and(bearer("NEW"))
        .respond_with(users_ok())
        .mount(&server)
        .await;

    let client = client(&server);
    for result in users_at_once(&client, 50).await {
        result.expect("each call succeeds after its resend");
    }

    // A late 401 for OLD must not throw away NEW: two token requests, never three.
    assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test]
async fn static_tokens_are_sent_as_given_and_never_refreshed() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/users"))
        .respond_with(rejected())
        .mount(&server)
        .await;
    let client = Client::builder()
        .static_token("STATIC")
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .unwrap();

    let error = client.users().await.unwrap_err();

    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(tokens_of(&received(&server, "/v1/users").await), ["STATIC"]);
    assert!(received(&server, TOKEN_PATH).await.is_empty());
}

#[tokio::test]
async fn requests_carry_the_user_agent_and_api_version() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1"]).await;
    Mock::given(path("/v1/users"))
        .respond_with(users_ok())
        .mount(&server)
        .await;

    client(&server).users().await.unwrap();

    for request in [
        &received(&server, TOKEN_PATH).await[0],
        &received(&server, "/v1/users").await[0],
    ] {
        assert_eq!(
            request.headers.get("user-agent").unwrap(),
            crewsense::defaults::USER_AGENT
        );
    }
    assert!(crewsense::defaults::USER_AGENT.starts_with("crewsense-rust/"));
    assert_eq!(
        received(&server, "/v1/users").await[0]
            .headers
            .get("api-version")
            .unwrap(),
        "1"
    );
}
