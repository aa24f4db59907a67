//! Shared test rig: a loopback wiremock server that plays the token endpoint and the
//! API, a client pointed at it, and a clock moved by hand.

#![allow(dead_code)] // Each test binary uses its own subset of these helpers.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crewsense::auth::Clock;
use crewsense::types::User;
use crewsense::{Client, Error};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const CLIENT_ID: &str = "client-id-42";
pub const CLIENT_SECRET: &str = "SECRET-c1ient-s3cret";
pub const TOKEN_PATH: &str = "/oauth/access_token";

/// A fixture from `tests/fixtures`, copied from the API reference's examples.
pub fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A token answer like the reference's, for `token` living `expires_in` seconds.
pub fn token_answer(token: &str, expires_in: u64) -> ResponseTemplate {
    let mut body = fixture("000_post_oauth_access_token_response.json");
    body["access_token"] = token.into();
    body["expires_in"] = expires_in.into();
    ResponseTemplate::new(200).set_body_json(body)
}

/// The token endpoint, answering only a proper client-credentials form.
pub fn token_endpoint() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(format!("client_id={CLIENT_ID}")))
        .and(body_string_contains(format!(
            "client_secret={CLIENT_SECRET}"
        )))
}

/// Mounts token answers that are handed out once each, in order.
pub async fn grant_tokens(server: &MockServer, tokens: &[&str]) {
    for token in tokens {
        token_endpoint()
            .respond_with(token_answer(token, 3600))
            .up_to_n_times(1)
            .mount(server)
            .await;
    }
}

/// Matches API requests that carry `token`.
pub fn bearer(token: &str) -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {token}"))
}

/// A client with client credentials for `server`, its API under `/v1`.
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("a valid configuration")
}

pub fn builder(server: &MockServer) -> crewsense::ClientBuilder {
    Client::builder()
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(format!("{}/v1", server.uri()))
}

/// Lists the users `calls` times at once, each call on its own task, and gives each
/// call's result in the order they were started.
///
/// The calls are awaited outside tokio's cooperative budget. Awaiting a thousand of
/// them can spend the test's whole budget, and a `MockServer` dropped on a spent
/// budget never finishes dropping: its `Drop` blocks on a tokio lock that keeps
/// answering "not yet" (a test seen spinning at 100% CPU, about once in 150 runs).
pub async fn users_at_once(client: &Client, calls: usize) -> Vec<Result<Vec<User>, Error>> {
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.users().await })
        })
        .collect();
    tokio::task::unconstrained(async {
        let mut results = Vec::with_capacity(calls);
        for task in tasks {
            results.push(task.await.expect("the task ran"));
        }
        results
    })
    .await
}

/// What `server` received at `path`, in order.
pub async fn received(server: &MockServer, at: &str) -> Vec<Request> {
    let all = server
        .received_requests()
        .await
        .expect("request recording is on");
    all.into_iter().filter(|r| r.url.path() == at).collect()
}

/// The bearer tokens of `requests`, in order.
pub fn tokens_of(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            let value = r
                .headers
                .get("authorization")
                .expect("an Authorization header");
            value
                .to_str()
                .unwrap()
                .trim_start_matches("Bearer ")
                .to_owned()
        })
        .collect()
}

/// A clock that moves only when told to, for expiry tests over real network I/O
/// (where tokio's paused clock would fire the HTTP timeouts).
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    elapsed: Mutex<Duration>,
}

impl ManualClock {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            start: Instant::now(),
            elapsed: Mutex::new(Duration::ZERO),
        })
    }

    pub fn advance(&self, by: Duration) {
        *self.elapsed.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.elapsed.lock().unwrap()
    }
}
