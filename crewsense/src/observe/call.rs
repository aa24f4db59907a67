//! One call: its span, the attempts its requests made, and its duration metric.
//!
//! The call's span is named for its operation, which only the first request tells
//! (a call runs any code against the generated client). So the span starts with that
//! request, as a child of the span that was current when the call began, and the call
//! enters it from then on ([`CallTrace::within`]). A call that sends nothing (its
//! token could not be had) gets its span when it ends.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use tracing::Span;
use tracing::field::Empty;

use super::{metrics, polled_within};
use crate::Error;
use crate::degraded::Degradation;

/// The operation of a call that sent no request.
const UNKNOWN: &str = "unknown";

/// What one call's telemetry gathers while it runs. Its requests share it through the
/// call's transport.
#[derive(Debug)]
pub(crate) struct CallTrace {
    /// The operation of the first request, and the span it named.
    named: OnceLock<(&'static str, Span)>,
    /// When the call started, if metrics are recorded.
    started: Option<Instant>,
    attempts: AtomicU32,
    /// Requests sent outside a call: no span.
    detached: bool,
}

impl CallTrace {
    /// A call starting now.
    pub(crate) fn start() -> Self {
        Self {
            named: OnceLock::new(),
            started: metrics::recording().then(Instant::now),
            attempts: AtomicU32::new(0),
            detached: false,
        }
    }

    /// Requests sent outside a call ([`Client::generated_client`](crate::Client::generated_client)):
    /// no call span, and nothing calls [`finish`](Self::finish).
    pub(crate) fn detached() -> Self {
        Self {
            detached: true,
            ..Self::start()
        }
    }

    /// Polls `future` inside the call's span once it has one. (Pinned by the
    /// caller, so that the call's future is not moved once more.)
    pub(crate) async fn within<F: Future>(&self, future: Pin<&mut F>) -> F::Output {
        polled_within(|| self.named.get().map(|(_, span)| span), future).await
    }

    /// The call's span, named for `operation` if this is its first request; `None`
    /// outside a call.
    pub(crate) fn span_for(&self, operation: &'static str) -> Option<&Span> {
        if self.detached {
            return None;
        }
        Some(&self.named.get_or_init(|| (operation, span(operation))).1)
    }

    /// Counts an attempt.
    pub(crate) fn attempted(&self) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
    }

    /// A request of `operation` whose token the API refused is sent again with a new
    /// one.
    pub(crate) fn resending_with_new_token(&self, operation: &'static str) {
        tracing::event!(
            target: "crewsense::call",
            tracing::Level::INFO,
            crewsense.operation_id = operation,
            "the CrewSense API rejected the access token; resending the request once with a new one"
        );
        metrics::retry(operation, Ok(reqwest::StatusCode::UNAUTHORIZED));
    }

    /// Counts the values left out of the call's answers (each one has had its WARN
    /// event, inside the call's span, when it was decoded).
    pub(crate) fn degraded(&self, degraded: &[Degradation]) {
        for one in degraded {
            metrics::degraded(one.operation, 1);
        }
    }

    /// Records how the call ended.
    pub(crate) fn finish(&self, error: Option<&Error>) {
        let outcome = error.map_or("ok", error_type);
        let (operation, span) = self.named.get_or_init(|| (UNKNOWN, span(UNKNOWN)));
        if let Some(started) = self.started {
            metrics::call(operation, outcome, started.elapsed());
        }
        if span.is_disabled() {
            return;
        }
        span.record("crewsense.outcome", outcome);
        span.record(
            "crewsense.attempts",
            i64::from(self.attempts.load(Ordering::Relaxed)),
        );
        if error.is_some() {
            span.record("error.type", outcome);
            span.record("otel.status_code", "error");
        }
    }
}

/// The span of a call of `operation`, a child of the current span.
fn span(operation: &'static str) -> Span {
    tracing::debug_span!(
        target: "crewsense::call",
        "crewsense.call",
        otel.name = operation,
        otel.status_code = Empty,
        crewsense.operation_id = operation,
        crewsense.outcome = Empty,
        crewsense.attempts = Empty,
        error.type = Empty,
    )
}

/// A short, stable name for the kind of `error`.
pub(crate) fn error_type(error: &Error) -> &'static str {
    match error {
        Error::Config(_) => "config",
        Error::Token(_) => "token",
        Error::Unauthorized { .. } => "unauthorized",
        Error::Api { .. } => "api",
        Error::UnexpectedResponse { .. } => "unexpected_response",
        Error::Decode { .. } => "decode",
        Error::Transport { .. } => "transport",
        Error::CallTimeout { .. } => "call_timeout",
        Error::InvalidRequest { .. } => "invalid_request",
        Error::FileTooLarge { .. } => "file_too_large",
        Error::Paging(_) => "paging",
    }
}
