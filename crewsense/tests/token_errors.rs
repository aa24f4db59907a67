//! Every way the token endpoint can fail becomes a typed error, never a panic.

mod common;

use common::*;
use crewsense::Error;
use crewsense::auth::TokenError;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What a call fails with when the token endpoint answers `answer`.
async fn failure_for(answer: ResponseTemplate) -> (TokenError, usize) {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(answer)
        .mount(&server)
        .await;
    match client(&server).users().await {
        Err(Error::Token(error)) => (error, received(&server, "/v1/users").await.len()),
        other => panic!("expected a token error, got {other:?}"),
    }
}

fn json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn raw(status: u16, body: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type)
}

#[tokio::test]
async fn refused_credentials_are_bad_credentials() {
    let refusal = serde_json::json!({"error": "invalid_client", "error_description": "Client authentication failed."});
    for status in [400, 401] {
        let (error, api_calls) = failure_for(json(status, refusal.clone())).await;
        assert!(
            matches!(&error, TokenError::BadCredentials { detail, .. } if detail.contains("invalid_client")),
            "{error:?}"
        );
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert!(!error.is_retryable());
        assert!(Error::Token(error).is_unauthorized());
        assert_eq!(api_calls, 0, "no API call without a token");
    }
}

#[tokio::test]
async fn server_failures_are_server_errors_with_an_excerpt() {
    let (error, _) = failure_for(json(
        500,
        serde_json::json!({"status": 500, "error": "oops"}),
    ))
    .await;
    assert!(
        matches!(&error, TokenError::ServerError { excerpt, .. } if excerpt.contains("oops")),
        "{error:?}"
    );
    assert!(!error.is_retryable());

    let page = format!(
        "<html><body><h1>503 Service Unavailable</h1>{}</body></html>",
        "padding ".repeat(100)
    );
    let (error, _) = failure_for(raw(503, &page, "text/html")).await;
    match &error {
        TokenError::ServerError {
            content_type,
            excerpt,
            ..
        } => {
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(excerpt.starts_with("<html><body><h1>503"), "{excerpt}");
            assert!(excerpt.chars().count() <= 201, "{excerpt}");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_retryable());
}

#[tokio::test]
async fn successful_answers_without_a_usable_token_are_invalid_answers() {
    let cases = [
        (
            raw(200, "<html>Please log in</html>", "text/html"),
            "not a JSON token answer",
            true,
        ),
        (
            raw(
                200,
                r#"{"access_token": "TOKEN-x", "expires_in": "#,
                "application/json",
            ),
            "not a JSON token answer",
            true,
        ),
        (
            json(
                200,
                serde_json::json!({"access_token": "TOKEN-x", "expires": 1426274440}),
            ),
            "it has no expires_in and its expires is not in the future",
            false,
        ),
        (
            json(
                200,
                serde_json::json!({"token_type": "bearer", "expires_in": 60}),
            ),
            "access_token is missing, empty or not a string",
            false,
        ),
    ];
    for (answer, expected, decoder_complained) in cases {
        let (error, api_calls) = failure_for(answer).await;
        match &error {
            TokenError::InvalidAnswer {
                reason, excerpt, ..
            } => {
                assert_eq!(*reason, expected);
                assert!(!excerpt.contains("TOKEN-x"), "{excerpt}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            std::error::Error::source(&error).is_some(),
            decoder_complained,
            "{error:?}"
        );
        assert_eq!(api_calls, 0);
    }
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_a_transport_error() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = crewsense::Client::builder()
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .build()
        .unwrap();

    let error = client.users().await.unwrap_err();

    assert!(
        matches!(&error, Error::Token(TokenError::Transport(_))),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert!(
        std::error::Error::source(&error).is_some(),
        "the reqwest error is kept as the source"
    );
}

#[tokio::test]
async fn a_token_endpoint_503_is_retried_to_success() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(json(503, serde_json::json!({})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    grant_tokens(&server, &["T1"]).await;
    Mock::given(path("/v1/users"))
        .and(bearer("T1"))
        .respond_with(json(200, serde_json::json!([])))
        .mount(&server)
        .await;

    client(&server).users().await.unwrap();

    assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test]
async fn refused_credentials_are_asked_for_again_once_and_say_so() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(json(401, serde_json::json!({"error": "invalid_client"})))
        .mount(&server)
        .await;

    let error = client(&server).users().await.unwrap_err();

    assert!(error.credentials_refused(), "{error:?}");
    assert!(
        error.to_string().contains("refused the client credentials"),
        "{error}"
    );
    // The provider is asked again and its answer sent once more, then no more.
    assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
}
