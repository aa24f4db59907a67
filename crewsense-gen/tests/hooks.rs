//! The hook seam against a real HTTP server: the bearer header is sent, a custom
//! transport sees every request, and the exchange log names operation, status and
//! content type.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crewsense_gen::Client;
use crewsense_gen::hooks::{BoxFuture, ExchangeLog, Inner, Transport, bearer};
use progenitor_client::OperationInfo;
use reqwest::header::HeaderValue;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Default)]
struct Counting(AtomicUsize);

impl Transport for Counting {
    fn send<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        _info: &'a OperationInfo,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(client.execute(request))
    }
}

#[tokio::test]
async fn bearer_transport_and_log_apply_to_generated_calls() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/company"))
        .and(header("authorization", "Bearer t0ken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "Station 9"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let transport = Arc::new(Counting::default());
    let log = Arc::new(ExchangeLog::default());
    let inner = Inner::new()
        .with_bearer("t0ken")
        .unwrap()
        .with_transport(transport.clone())
        .with_log(log.clone());
    let client = Client::new(&format!("{}/v1", server.uri()), inner);

    let company = client.get_company().send().await.unwrap().into_inner();
    assert_eq!(company["name"], "Station 9");
    assert_eq!(transport.0.load(Ordering::SeqCst), 1);
    let exchange = log.last().unwrap();
    assert_eq!(exchange.operation, "get_company");
    assert_eq!(exchange.status, Some(reqwest::StatusCode::OK));
    assert_eq!(exchange.content_type.as_deref(), Some("application/json"));
}

#[tokio::test]
async fn the_log_records_a_decode_failure_and_the_token_is_redacted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/company"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>proxy</html>", "text/html"))
        .mount(&server)
        .await;

    let log = Arc::new(ExchangeLog::default());
    let inner = Inner::new()
        .with_bearer("s3cret-token")
        .unwrap()
        .with_log(log.clone());
    assert!(!format!("{inner:?}").contains("s3cret-token"));
    let client = Client::new(&format!("{}/v1", server.uri()), inner);

    let err = client.get_company().send().await.unwrap_err();
    assert!(
        matches!(err, progenitor_client::Error::InvalidResponsePayload(..)),
        "{err:?}"
    );
    let exchange = log.last().unwrap();
    assert_eq!(exchange.status, Some(reqwest::StatusCode::OK));
    assert_eq!(exchange.content_type.as_deref(), Some("text/html"));
}

#[tokio::test]
async fn a_prebuilt_authorization_value_is_sent_and_redacted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/company"))
        .and(header("authorization", "Bearer t0ken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(2)
        .mount(&server)
        .await;

    let value = bearer("t0ken").unwrap();
    assert!(value.is_sensitive());
    for _ in 0..2 {
        let inner = Inner::new().with_authorization(value.clone());
        assert!(!format!("{inner:?}").contains("t0ken"));
        let client = Client::new(&format!("{}/v1", server.uri()), inner);
        client.get_company().send().await.unwrap();
    }
}

#[test]
fn bearer_accepts_and_refuses_what_from_str_does() {
    for token in [
        "t0ken",
        "with space",
        "tab\there",
        "t\u{f6}k",
        "new\nline",
        "cr\rhere",
        "nul\0",
        "del\u{7f}",
        "",
    ] {
        let expected = HeaderValue::from_str(&format!("Bearer {token}")).ok();
        let value = bearer(token).ok();
        assert_eq!(
            value.as_ref().map(HeaderValue::as_bytes),
            expected.as_ref().map(HeaderValue::as_bytes),
            "{token:?}"
        );
        assert!(value.is_none_or(|v| v.is_sensitive()), "{token:?}");
    }
}

#[tokio::test]
async fn the_log_records_the_wait_an_answer_asks_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/company"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_json(serde_json::json!({"status": 429, "error": "too_many_requests"})),
        )
        .mount(&server)
        .await;
    let log = Arc::new(ExchangeLog::default());
    let client = Client::new(
        &format!("{}/v1", server.uri()),
        Inner::new().with_log(log.clone()),
    );

    client.get_company().send().await.unwrap_err();

    let exchange = log.last().unwrap();
    assert_eq!(
        exchange.status,
        Some(reqwest::StatusCode::TOO_MANY_REQUESTS)
    );
    assert_eq!(
        exchange.retry_after,
        Some(std::time::Duration::from_secs(7))
    );
}
