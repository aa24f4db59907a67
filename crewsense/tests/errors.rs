//! The API's error shapes, from the reference's own examples, each mapped to its case.

mod common;

use common::*;
use crewsense::ids::{SignupEventId, TimeOffId, UserId};
use crewsense::types::{FinalizationBatchRequest, QualifierRestoreRequest};
use crewsense::wire::Id;
use crewsense::{Client, Error};
use reqwest::StatusCode;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server with a token, answering `method path` with `answer`.
async fn answering(verb: &str, at: &str, answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1", "T2"]).await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// What `call` fails with against a server answering `verb at` with the fixture `name`,
/// as a `status` answer.
async fn fixture_error<T: std::fmt::Debug>(
    verb: &str,
    at: &str,
    status: u16,
    name: &str,
    call: impl AsyncFnOnce(&Client) -> Result<T, Error>,
) -> Error {
    let answer = ResponseTemplate::new(status).set_body_json(fixture(name));
    let server = answering(verb, at, answer).await;
    call(&client(&server)).await.unwrap_err()
}

fn batch() -> FinalizationBatchRequest {
    FinalizationBatchRequest {
        admin_id: Id(1),
        assignments: vec![],
    }
}

fn assert_api(error: &Error, operation: &str, status: StatusCode, code: &str, messages: &[&str]) {
    match error {
        Error::Api {
            operation: op,
            status: s,
            code: c,
            messages: m,
            ..
        } => {
            assert_eq!(
                (*op, *s, c.as_deref()),
                (Some(operation), status, Some(code))
            );
            assert_eq!(m.0, messages);
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(error.status(), Some(status));
    assert_eq!(error.api_messages(), messages);
}

#[tokio::test]
async fn not_found_with_a_string_message() {
    let error = fixture_error(
        "DELETE",
        "/v1/time_offs/9",
        404,
        "032_delete_time_offs_id_response_404.json",
        async |c| c.delete_time_off(TimeOffId::new(9)).await,
    )
    .await;
    assert_api(
        &error,
        "delete_time_off",
        StatusCode::NOT_FOUND,
        "not found",
        &["No query results for model [TimeOff]."],
    );
    assert!(error.is_not_found());
    assert!(!error.is_retryable() && !error.is_unauthorized());
}

#[tokio::test]
async fn unprocessable_with_an_array_of_messages() {
    let error = fixture_error(
        "POST",
        "/v1/finalization",
        422,
        "013_post_finalization_response_422.json",
        async |c| c.finalize(batch()).await,
    )
    .await;
    assert_api(
        &error,
        "finalize_assignments",
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_params",
        &["Assignment (#882) Finalization is only allowed on past and current dates."],
    );
    assert!(!error.is_not_found());
}

#[tokio::test]
async fn signing_up_twice_is_unprocessable() {
    let error = fixture_error(
        "POST",
        "/v1/signup_events/5/users",
        422,
        "078_post_signup_events_id_users_response_422.json",
        async |c| {
            c.add_signup_event_user(SignupEventId::new(5), UserId::new(848))
                .await
        },
    )
    .await;
    assert_api(
        &error,
        "add_signup_event_user",
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_params",
        &["User #848 is already signed up for event #5"],
    );
}

#[tokio::test]
async fn conflict() {
    let error = fixture_error(
        "PUT",
        "/v1/qualifiers/3",
        409,
        "088_put_qualifiers_id_response_409.json",
        async |c| {
            c.call(async |api| {
                api.restore_qualifier()
                    .id(Id(3))
                    .body(QualifierRestoreRequest { undelete: 1 })
                    .send()
                    .await
            })
            .await
        },
    )
    .await;
    assert_api(
        &error,
        "restore_qualifier",
        StatusCode::CONFLICT,
        "conflict",
        &["Qualifier Captain [CPT] is not deleted, cannot restore."],
    );
}

#[tokio::test]
async fn bad_request() {
    let error = fixture_error(
        "DELETE",
        "/v1/certifications/4",
        400,
        "067_delete_certifications_id_response_400.json",
        async |c| {
            c.call(async |api| api.delete_certification().id(Id(4)).send().await)
                .await
        },
    )
    .await;
    assert_api(
        &error,
        "delete_certification",
        StatusCode::BAD_REQUEST,
        "bad_request",
        &["Certification already deleted."],
    );
    assert!(
        error.to_string().contains("Certification already deleted."),
        "{error}"
    );
}

#[tokio::test]
async fn unauthorized_after_the_resend() {
    let error = fixture_error(
        "GET",
        "/v1/users/7",
        401,
        "001_any_any_response_401.json",
        async |c| c.user(UserId::new(7)).await,
    )
    .await;
    assert!(
        matches!(
            error,
            Error::Unauthorized {
                operation: Some("get_user"),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(error.api_messages(), ["Access token is not valid"]);
    assert_eq!(
        error.to_string(),
        "get_user: the API rejected the access token: Access token is not valid"
    );
}

#[tokio::test]
async fn an_html_error_page_is_an_unexpected_response() {
    let page = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>\n</html>";
    let server = answering(
        "GET",
        "/v1/users",
        ResponseTemplate::new(502).set_body_raw(page, "text/html"),
    )
    .await;
    let error = client(&server).users().await.unwrap_err();
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
                (Some("list_users"), StatusCode::BAD_GATEWAY)
            );
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert_eq!(
                excerpt,
                "<html> <head><title>502 Bad Gateway</title></head> <body>nginx</body> </html>"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_retryable());
}

#[tokio::test]
async fn an_html_401_still_triggers_one_resend() {
    let server = answering(
        "GET",
        "/v1/users",
        ResponseTemplate::new(401).set_body_raw("<html>denied</html>", "text/html"),
    )
    .await;
    let error = client(&server).users().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(
        tokens_of(&received(&server, "/v1/users").await),
        ["T1", "T2"]
    );
}

#[tokio::test]
async fn a_success_of_the_wrong_shape_is_a_strict_decode_error_with_context() {
    let body = format!(
        r#"{{"user_id": "not-a-number", "notes": "{}"}}"#,
        "x".repeat(5000)
    );
    let server = answering(
        "GET",
        "/v1/users/7",
        ResponseTemplate::new(200).set_body_raw(body, "application/json; charset=utf-8"),
    )
    .await;
    let strict = builder(&server).strict_decoding(true).build().unwrap();
    let error = strict.user(UserId::new(7)).await.unwrap_err();
    match &error {
        Error::Decode {
            operation,
            status,
            content_type,
            excerpt,
            path,
            ..
        } => {
            assert_eq!(
                (*operation, *status),
                (Some("get_user"), Some(StatusCode::OK))
            );
            assert_eq!(path.as_deref(), Some("user_id"));
            assert_eq!(
                content_type.as_deref(),
                Some("application/json; charset=utf-8")
            );
            assert!(
                excerpt.starts_with(r#"{"user_id": "not-a-number""#),
                "{excerpt}"
            );
            assert!(excerpt.chars().count() <= 201);
        }
        other => panic!("{other:?}"),
    }
    let source = std::error::Error::source(&error).expect("the decoder's error is the source");
    assert!(source.is::<serde_json::Error>());
    let shown = error.to_string();
    assert!(
        shown.starts_with(
            "get_user: could not decode the 200 OK answer (application/json; charset=utf-8) at `user_id`"
        ),
        "{shown}"
    );
}

#[tokio::test]
async fn an_unreachable_api_is_a_retryable_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = crewsense::Client::builder()
        .static_token("T")
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .build()
        .unwrap();
    let error = client.users().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: Some("list_users"),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn a_missing_required_parameter_is_an_invalid_request() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1"]).await;
    let error = client(&server)
        .call(async |api| api.get_user().send().await)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { message, .. } if message.contains("user_id")),
        "{error:?}"
    );
    assert!(received(&server, "/v1/users").await.is_empty());
}
