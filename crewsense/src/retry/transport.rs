//! [`Retrying`]: sends each request of the generated client, and resends it as a
//! [`RetryPolicy`] allows. Each attempt has its span, its metric and the caller's
//! hook (see [`crate::observe`]).

use std::pin::pin;
use std::time::{Duration, SystemTime};

use crewsense_gen::catalog::Operation;
use crewsense_gen::retry_after::retry_after;
use reqwest::{Method, Request, Response, ResponseBuilderExt};
use tracing::Span;

use super::RetryPolicy;
use super::is_retryable_status;
use super::pause::Pause;
use crate::observe::{CallTrace, Instruments, Route, count_retry, millis};

/// Sends requests under a [`RetryPolicy`].
#[derive(Debug)]
pub(crate) struct Retrying {
    policy: RetryPolicy,
    pause: Pause,
    instruments: Instruments,
}

impl Retrying {
    pub(crate) fn new(policy: RetryPolicy, instruments: Instruments) -> Self {
        Self {
            policy,
            pause: Pause::default(),
            instruments,
        }
    }

    /// The same instruments under another policy.
    pub(crate) fn with_policy(&self, policy: RetryPolicy) -> Self {
        Self::new(policy, self.instruments.clone())
    }

    pub(crate) fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// Whether the policy allows resending a `method` request of `operation` at all.
    /// The spec says which operations are idempotent (`PUT /users` is not, although
    /// its method is); an operation it does not know goes by its method.
    fn covers(&self, method: &Method, operation: Option<&Operation>) -> bool {
        self.policy.non_idempotent || operation.map_or(method.is_idempotent(), |op| op.idempotent)
    }

    /// Sends a request to the token endpoint. Whatever its method, a repeat only mints
    /// another token, so the policy's retries always apply.
    pub(crate) async fn send_token_request(
        &self,
        client: &reqwest::Client,
        request: Request,
    ) -> reqwest::Result<Response> {
        self.attempts(client, request, &Route::TOKEN, true, None, &mut 0)
            .await
    }

    /// Sends `request`, of `operation` in the call `call`, and resends it as the
    /// policy allows. `sent` counts the attempts at this request so far, those of an
    /// earlier send included (the resend after a refused token).
    pub(crate) async fn send(
        &self,
        client: &reqwest::Client,
        request: Request,
        operation: &'static str,
        call: &CallTrace,
        sent: &mut u32,
    ) -> reqwest::Result<Response> {
        let known = Operation::by_id(operation);
        let resend = self.covers(request.method(), known);
        let route = Route::of(operation, known, request.method());
        self.attempts(client, request, &route, resend, Some(call), sent)
            .await
    }

    /// Sends `request`, and resends it as the policy allows if `resend`.
    async fn attempts(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        route: &Route,
        resend: bool,
        call: Option<&CallTrace>,
        sent: &mut u32,
    ) -> reqwest::Result<Response> {
        let operation = route.operation;
        let mut attempt = 1;
        let mut wait = Duration::ZERO;
        loop {
            self.pause.wait().await;
            // A copy to resend, unless this is the last attempt.
            let spare = if resend && attempt < self.policy.max_attempts {
                let spare = request.try_clone();
                if spare.is_none() {
                    tracing::debug!(
                        operation,
                        "the request body is a stream; it is sent only once"
                    );
                }
                spare
            } else {
                None
            };
            // The hook sees the request, and its span starts as a child of the call's.
            let observed = {
                let _call = call
                    .and_then(|call| call.span_for(operation))
                    .map(Span::enter);
                self.instruments.begin(&mut request, route, *sent, wait)
            };
            // The answer of an attempt that may be resent is read in full before it
            // counts as arrived (see `exchange`).
            let buffered = spare.is_some();
            let sending = async {
                if buffered {
                    exchange(client, request).await
                } else {
                    client.execute(request).await.map_err(Failure::sending)
                }
            };
            let outcome = observed.within(pin!(sending)).await;
            self.instruments.end(
                observed,
                outcome
                    .as_ref()
                    .map_err(|failure| (&failure.error, failure.kind())),
            );
            *sent = sent.saturating_add(1);
            if let Some(call) = call {
                call.attempted();
            }
            let Some(spare) = spare else {
                return outcome.map_err(|failure| failure.error);
            };
            let Some(delay) = self.delay(&outcome, attempt, operation) else {
                return outcome.map_err(|failure| failure.error);
            };
            let cause = match &outcome {
                Ok(response) => Ok(response.status()),
                Err(failure) => Err(failure.kind()),
            };
            tracing::info!(
                operation,
                attempt,
                max_attempts = self.policy.max_attempts,
                status = cause.ok().map(|s| s.as_u16()),
                failure = cause.err(),
                delay_ms = millis(delay),
                "retrying a CrewSense API request"
            );
            count_retry(operation, cause);
            drop(outcome);
            tokio::time::sleep(delay).await;
            request = spare;
            attempt += 1;
            wait = delay;
        }
    }

    /// How long to wait before resending after `outcome` of attempt number `attempt`,
    /// or `None` if `outcome` is final.
    fn delay(
        &self,
        outcome: &Result<Response, Failure>,
        attempt: u32,
        operation: &'static str,
    ) -> Option<Duration> {
        match outcome {
            Ok(response) if is_retryable_status(response.status()) => {
                let Some(asked) = retry_after(response.headers(), SystemTime::now()) else {
                    return Some(self.policy.backoff(attempt, fastrand::f64()));
                };
                let wait = asked.min(self.policy.max_retry_after);
                tracing::info!(
                    operation,
                    attempt,
                    status = response.status().as_u16(),
                    retry_after_ms = millis(asked),
                    wait_ms = millis(wait),
                    "the API asks to wait before a retry (Retry-After)"
                );
                if asked > self.policy.max_retry_after {
                    tracing::info!(
                        operation,
                        attempt,
                        status = response.status().as_u16(),
                        retry_after_secs = asked.as_secs(),
                        "the API asks for a longer wait than the retry policy allows; \
                         waiting the policy's longest instead"
                    );
                }
                // Every request of the client waits, not only this one.
                self.pause.hold_for(wait);
                Some(wait)
            }
            Ok(_) => None,
            Err(failure) if failure.transient => {
                Some(self.policy.backoff(attempt, fastrand::f64()))
            }
            Err(_) => None,
        }
    }
}

/// An attempt that got no complete answer.
struct Failure {
    error: reqwest::Error,
    /// Whether the same request may get through: after no connection, a timeout, or
    /// a connection that broke before the whole answer arrived.
    transient: bool,
}

impl Failure {
    /// While sending the request or waiting for the answer's head.
    fn sending(error: reqwest::Error) -> Self {
        let transient =
            error.is_connect() || error.is_timeout() || error.is_request() || error.is_body();
        Self { error, transient }
    }

    /// While reading the answer's body: the connection broke or timed out.
    fn reading(error: reqwest::Error) -> Self {
        Self {
            error,
            transient: true,
        }
    }

    /// A short name for the log.
    fn kind(&self) -> &'static str {
        if self.error.is_timeout() {
            "timeout"
        } else if self.error.is_connect() {
            "connect"
        } else if self.error.is_body() || self.error.is_decode() {
            "body"
        } else {
            "request"
        }
    }
}

/// Sends `request` once. An answer that is not worth a retry is read to its end here,
/// so that a connection that breaks in the middle of the body fails this attempt (and
/// can be retried) instead of failing later, while the generated client decodes it.
async fn exchange(client: &reqwest::Client, request: Request) -> Result<Response, Failure> {
    let mut response = client.execute(request).await.map_err(Failure::sending)?;
    if is_retryable_status(response.status()) {
        return Ok(response);
    }
    let status = response.status();
    let version = response.version();
    let url = response.url().clone();
    let headers = std::mem::take(response.headers_mut());
    let extensions = std::mem::take(response.extensions_mut());
    let body = response.bytes().await.map_err(Failure::reading)?;
    // Carrying the URL over also spares reqwest parsing a placeholder URL per answer.
    // Only an extension is set on the builder, so building cannot fail.
    let Ok(mut buffered) = http::Response::builder().url(url).body(body) else {
        unreachable!("a response builder with only a URL extension builds");
    };
    *buffered.status_mut() = status;
    *buffered.version_mut() = version;
    *buffered.headers_mut() = headers;
    buffered.extensions_mut().extend(extensions);
    Ok(Response::from(buffered))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::Jitter;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    fn answer(status: u16, retry_after: Option<&'static str>) -> Result<Response, Failure> {
        let mut response = http::Response::new("");
        *response.status_mut() = reqwest::StatusCode::from_u16(status).unwrap();
        if let Some(value) = retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static(value));
        }
        Ok(Response::from(response))
    }

    fn retrying(policy: RetryPolicy) -> Retrying {
        Retrying::new(policy, Instruments::default())
    }

    #[test]
    fn only_idempotent_operations_are_covered_by_default() {
        let covers = |retrying: &Retrying, method: &Method, operation| {
            retrying.covers(method, Operation::by_id(operation))
        };
        let default = retrying(RetryPolicy::new());
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            assert!(covers(&default, &method, "some_operation"), "{method}");
        }
        for method in [Method::POST, Method::PATCH] {
            assert!(!covers(&default, &method, "some_operation"), "{method}");
        }
        assert!(covers(&default, &Method::PUT, "replace_trade"));
        assert!(!covers(&default, &Method::PUT, "create_user"));
        assert!(!covers(&default, &Method::POST, "create_label"));
        // Declared idempotent in the spec although it is a POST: it replaces a label.
        assert!(covers(&default, &Method::POST, "update_label"));

        let writes = retrying(RetryPolicy::new().retry_non_idempotent(true));
        assert!(covers(&writes, &Method::POST, "create_label"));
        assert!(covers(&writes, &Method::PUT, "create_user"));
    }

    #[test]
    fn retry_after_replaces_the_backoff_cut_to_its_limit() {
        let retrying = retrying(
            RetryPolicy::new()
                .jitter(Jitter::Off)
                .max_retry_after(Duration::from_secs(10)),
        );
        let delay = |outcome, attempt| retrying.delay(&outcome, attempt, "get_user");
        assert_eq!(
            delay(answer(429, Some("3")), 1),
            Some(Duration::from_secs(3))
        );
        assert_eq!(delay(answer(503, Some("0")), 2), Some(Duration::ZERO));
        assert_eq!(
            delay(answer(429, Some("11")), 1),
            Some(Duration::from_secs(10)),
            "a longer wait is cut to the limit"
        );
        assert_eq!(
            delay(answer(503, None), 2),
            Some(Duration::from_millis(400))
        );
        assert_eq!(
            delay(answer(429, Some("later")), 1),
            Some(Duration::from_millis(200))
        );
        for status in [200, 404, 409, 422, 500, 501] {
            assert_eq!(delay(answer(status, Some("1")), 1), None, "{status}");
        }
    }

    #[tokio::test]
    async fn a_streaming_body_is_sent_once() {
        use wiremock::{Mock, MockServer, ResponseTemplate, matchers::method};

        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let http = reqwest::Client::new();
        let chunks = futures::stream::iter([Ok::<_, std::io::Error>("{}")]);
        let request = http
            .put(server.uri())
            .body(reqwest::Body::wrap_stream(chunks))
            .build()
            .unwrap();
        let retrying = retrying(RetryPolicy::new().base_delay(Duration::ZERO));
        let call = CallTrace::detached();
        let response = retrying
            .send(&http, request, "replace_trade", &call, &mut 0)
            .await
            .unwrap();
        assert_eq!(response.status(), 503);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}
