//! One HTTP attempt: its client span, its duration metric, its `--debug` line, and
//! the caller's [`Hook`] around it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Request, Response, StatusCode};
use tracing::Span;
use tracing::field::Empty;
use url::Url;

use super::hook::{Exchange, Hook, Outgoing};
use super::metrics::{self, Server};
use super::polled_within;
use super::route::Route;

/// What the attempts of one client share: the server they go to, as metric labels,
/// and the caller's hook.
#[derive(Debug, Clone, Default)]
pub(crate) struct Instruments {
    server: Server,
    hook: Option<Arc<dyn Hook>>,
}

impl Instruments {
    /// For attempts to the server of `url`.
    pub(crate) fn new(url: &Url, hook: Option<Arc<dyn Hook>>) -> Self {
        Self {
            server: Server::of(url),
            hook,
        }
    }

    /// Starts attempt number `resend_count + 1` of a request for `route`, sent after
    /// waiting `wait`: the hook sees the request, and the span and the clock start.
    pub(crate) fn begin<'r>(
        &self,
        request: &mut Request,
        route: &'r Route,
        resend_count: u32,
        wait: Duration,
    ) -> Attempt<'r> {
        let number = resend_count.saturating_add(1);
        if let Some(hook) = &self.hook {
            hook.on_request(&mut Outgoing::new(request, route, number));
        }
        // The clock only for someone who reads the duration.
        let timed = self.hook.is_some()
            || metrics::recording()
            || tracing::enabled!(target: "crewsense::http", tracing::Level::DEBUG);
        Attempt {
            span: span(request, route, resend_count, wait),
            route,
            number,
            wait,
            started: timed.then(Instant::now),
        }
    }

    /// Ends `attempt` with its answer, or its failure and the failure's
    /// [`error.type`](Attempt).
    pub(crate) fn end(
        &self,
        attempt: Attempt<'_>,
        outcome: Result<&Response, (&reqwest::Error, &'static str)>,
    ) {
        let duration = attempt
            .started
            .map_or(Duration::ZERO, |started| started.elapsed());
        let (status, error_type) = match outcome {
            Ok(response) => (Some(response.status()), None),
            Err((_, kind)) => (None, Some(kind)),
        };
        let body_size = outcome.ok().and_then(Response::content_length);
        attempt.record(status, error_type, body_size);
        metrics::attempt(attempt.route, &self.server, status, error_type, duration);
        if status == Some(StatusCode::NOT_MODIFIED) {
            tracing::event!(
                target: "crewsense::call",
                tracing::Level::DEBUG,
                crewsense.operation_id = attempt.route.operation,
                "not modified (304): the previous answer still holds"
            );
            metrics::not_modified(attempt.route.operation);
        }
        let url = match outcome {
            Ok(response) => Some(response.url()),
            Err((error, _)) => error.url(),
        };
        tracing::debug!(
            target: "crewsense::http",
            status = status.map(|s| s.as_u16()),
            error = error_type,
            duration_ms = %Millis(duration),
            attempt = attempt.number,
            wait_ms = %Millis(attempt.wait),
            bytes = body_size,
            "{} {}",
            attempt.route.method,
            url.map_or("", Url::as_str),
        );
        if let Some(hook) = &self.hook {
            hook.on_exchange(&Exchange {
                route: attempt.route,
                attempt: attempt.number,
                duration,
                status,
                headers: outcome.ok().map(Response::headers),
                error_type,
            });
        }
    }
}

/// One attempt under way.
pub(crate) struct Attempt<'r> {
    span: Span,
    route: &'r Route,
    number: u32,
    wait: Duration,
    /// When it started, if anyone reads its duration.
    started: Option<Instant>,
}

impl Attempt<'_> {
    /// Polls `future`, which sends the attempt, inside its span.
    pub(crate) async fn within<F: Future>(&self, future: Pin<&mut F>) -> F::Output {
        polled_within(|| Some(&self.span), future).await
    }

    fn record(&self, status: Option<StatusCode>, error_type: Option<&str>, body_size: Option<u64>) {
        let span = &self.span;
        if span.is_disabled() {
            return;
        }
        if let Some(status) = status {
            span.record("http.response.status_code", i64::from(status.as_u16()));
            if status.is_client_error() || status.is_server_error() {
                span.record("error.type", status.as_str());
                span.record("otel.status_code", "error");
            }
        }
        if let Some(error_type) = error_type {
            span.record("error.type", error_type);
            span.record("otel.status_code", "error");
        }
        if let Some(size) = body_size {
            span.record("http.response.body.size", int(size));
        }
    }
}

/// The client span of an attempt, by OpenTelemetry's HTTP client conventions.
fn span(request: &Request, route: &Route, resend_count: u32, wait: Duration) -> Span {
    let url = request.url();
    let resend = resend_count > 0;
    tracing::debug_span!(
        target: "crewsense::http",
        "crewsense.http",
        otel.name = %format_args!("{} {}", route.method, route.template),
        otel.kind = "client",
        otel.status_code = Empty,
        http.request.method = route.method,
        url.template = route.template,
        url.full = url.as_str(),
        server.address = url.host_str(),
        server.port = url.port_or_known_default().map(i64::from),
        http.request.resend_count = resend.then_some(i64::from(resend_count)),
        crewsense.retry.wait_ms = resend.then(|| int(millis(wait))),
        http.response.status_code = Empty,
        http.response.body.size = Empty,
        error.type = Empty,
    )
}

/// `value` as a span attribute: `tracing-opentelemetry` exports `i64` as an
/// integer, but `u64` as text.
pub(crate) fn int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Whole milliseconds, saturating.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Milliseconds with one decimal, for the log lines.
pub(crate) struct Millis(pub(crate) Duration);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1}", self.0.as_secs_f64() * 1e3)
    }
}
