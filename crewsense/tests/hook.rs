//! A caller's hook runs inside the retry layer, once per attempt: the header it adds
//! reaches the server on every attempt, it observes each exchange, and it never sees
//! (nor sets) the `Authorization` header.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crewsense::Client;
use crewsense::ids::UserId;
use crewsense::observe::{Exchange, HeaderName, HeaderValue, Hook, Outgoing};
use crewsense::retry::RetryPolicy;
use crewsense_sandbox::{Fault, Sandbox};

/// What the hook saw of one attempt.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    operation: &'static str,
    attempt: u32,
    url_template: &'static str,
    /// Every header name it could read.
    headers: Vec<String>,
    /// Whether asking for `Authorization` by name gave anything.
    authorization: bool,
    /// Whether setting `Authorization` was refused.
    refused: bool,
}

/// What the hook saw of an exchange: operation, attempt, status, and whether the
/// answer's headers were there.
type Exchanged = (&'static str, u32, Option<u16>, bool);

/// Tags each attempt with `x-correlation-id: corr-<operation>-<attempt>` and
/// remembers what it saw.
#[derive(Debug, Clone, Default)]
struct Correlate {
    requests: Arc<Mutex<Vec<Seen>>>,
    exchanges: Arc<Mutex<Vec<Exchanged>>>,
}

impl Hook for Correlate {
    fn on_request(&self, request: &mut Outgoing<'_>) {
        let id = format!("corr-{}-{}", request.route().operation(), request.attempt());
        request
            .set_header(
                HeaderName::from_static("x-correlation-id"),
                HeaderValue::from_str(&id).unwrap(),
            )
            .unwrap();
        let refused = request
            .set_header(
                HeaderName::from_static("authorization"),
                HeaderValue::from_static("Bearer forged"),
            )
            .is_err();
        self.requests.lock().unwrap().push(Seen {
            operation: request.route().operation(),
            attempt: request.attempt(),
            url_template: request.route().url_template(),
            headers: request
                .headers()
                .map(|(name, _)| name.to_string())
                .collect(),
            authorization: request.header("Authorization").is_some(),
            refused,
        });
    }

    fn on_exchange(&self, exchange: &Exchange<'_>) {
        self.exchanges.lock().unwrap().push((
            exchange.route().operation(),
            exchange.attempt(),
            exchange.status().map(|s| s.as_u16()),
            exchange.response_headers().is_some(),
        ));
    }
}

#[tokio::test]
async fn the_hooks_header_reaches_every_attempt_and_the_bearer_stays_out_of_its_sight() {
    let sandbox = Sandbox::start().await.unwrap();
    let hook = Correlate::default();
    let client = Client::builder()
        .client_credentials(sandbox.client_id(), sandbox.client_secret())
        .base_url(sandbox.base_url())
        .token_url(sandbox.token_url())
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(5)))
        .hook(hook.clone())
        .build()
        .unwrap();
    sandbox.fail_next("GET /users/{user_id}", 1, Fault::Status(503));

    client.user(UserId::new(1001)).await.unwrap();

    let log: Vec<_> = sandbox
        .request_log()
        .into_iter()
        .filter(|r| r.route == "GET /users/{user_id}")
        .collect();
    assert_eq!(log.len(), 2, "a 503 and its retry");
    for (attempt, request) in log.iter().enumerate() {
        let tag = request
            .headers
            .get("x-correlation-id")
            .map(|v| v.to_str().unwrap());
        assert_eq!(tag, Some(format!("corr-get_user-{}", attempt + 1).as_str()));
        assert!(
            request.token.is_some(),
            "the client's bearer went out, not the hook's"
        );
        assert_ne!(request.token.as_deref(), Some("forged"));
    }
    let token_requests: Vec<_> = sandbox
        .request_log()
        .into_iter()
        .filter(|r| r.route == "POST /oauth/access_token")
        .collect();
    assert_eq!(token_requests.len(), 1);
    assert_eq!(
        token_requests[0]
            .headers
            .get("x-correlation-id")
            .map(|v| v.to_str().unwrap()),
        Some("corr-access_token-1")
    );

    let seen = hook.requests.lock().unwrap().clone();
    let attempts: Vec<_> = seen
        .iter()
        .map(|s| (s.operation, s.attempt, s.url_template))
        .collect();
    assert_eq!(
        attempts,
        [
            ("access_token", 1, "/oauth/access_token"),
            ("get_user", 1, "/users/{user_id}"),
            ("get_user", 2, "/users/{user_id}"),
        ]
    );
    for one in &seen {
        assert!(one.refused, "setting Authorization is refused");
        assert!(!one.authorization, "Authorization cannot be read by name");
        assert!(
            one.headers.iter().all(|h| h != "authorization"),
            "Authorization is not listed: {:?}",
            one.headers
        );
    }
    assert!(
        seen[1].headers.iter().any(|h| h == "api-version"),
        "the other headers are: {:?}",
        seen[1].headers
    );
    assert_eq!(
        *hook.exchanges.lock().unwrap(),
        [
            ("access_token", 1, Some(200), true),
            ("get_user", 1, Some(503), true),
            ("get_user", 2, Some(200), true),
        ]
    );
}
