//! One token fetch: its span, its metric and its `--debug` line. Never the token.

use std::time::{Duration, Instant};

use tracing::Span;
use tracing::field::Empty;

use super::attempt::{Millis, int};
use super::metrics;
use crate::auth::TokenError;

/// A token fetch under way.
#[derive(Debug)]
pub(crate) struct TokenFetch {
    span: Span,
    started: Instant,
}

impl TokenFetch {
    /// A fetch starting now, its span a child of the current one: the caller's for
    /// a token a call waits for before its first request, the call's after the API
    /// refused a token.
    pub(crate) fn start() -> Self {
        Self {
            span: tracing::debug_span!(
                target: "crewsense::token",
                "crewsense.token",
                otel.status_code = Empty,
                crewsense.outcome = Empty,
                crewsense.token.lifetime_s = Empty,
                error.type = Empty,
            ),
            started: Instant::now(),
        }
    }

    /// The fetch's span, for the task that fetches.
    pub(crate) fn span(&self) -> &Span {
        &self.span
    }

    /// Records how the fetch ended: the lifetime granted, or why it failed.
    pub(crate) fn finish(&self, granted: Result<Duration, &TokenError>) {
        let outcome = match granted {
            Ok(_) => "ok",
            Err(error) => error_type(error),
        };
        metrics::token_fetch(outcome);
        let lifetime_s = granted.ok().map(|lifetime| lifetime.as_secs());
        self.span.record("crewsense.outcome", outcome);
        if let Some(lifetime) = lifetime_s {
            self.span
                .record("crewsense.token.lifetime_s", int(lifetime));
        } else {
            self.span.record("error.type", outcome);
            self.span.record("otel.status_code", "error");
        }
        tracing::debug!(
            target: "crewsense::token",
            outcome,
            lifetime_s,
            duration_ms = %Millis(self.started.elapsed()),
            "access token fetch",
        );
    }
}

/// A short, stable name for the kind of token failure.
fn error_type(error: &TokenError) -> &'static str {
    match error {
        TokenError::BadCredentials { .. } => "bad_credentials",
        TokenError::ServerError { .. } => "server_error",
        TokenError::InvalidAnswer { .. } => "invalid_answer",
        TokenError::Transport(_) => "transport",
        TokenError::Interrupted => "interrupted",
        TokenError::Credentials(_) => "credentials_unavailable",
    }
}
