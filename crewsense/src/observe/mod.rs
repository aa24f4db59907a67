//! What a client tells about its work, for operators: `tracing` spans and events,
//! metrics through the [`metrics`](::metrics) facade, and a [`Hook`] on every HTTP
//! attempt. The crate docs' [Observability](crate#observability) section lists every
//! span, attribute, event and metric.
//!
//! The library only emits: the application chooses where it goes by installing a
//! `tracing` subscriber (such as `tracing-opentelemetry` for OTLP traces) and a
//! `metrics` recorder (Prometheus, StatsD, OpenTelemetry through
//! `metrics-opentelemetry`...), then calling [`record_metrics`]. Without a
//! subscriber and before that call, the instrumentation costs under 1% of a call's
//! instructions (`BENCHMARKS.md`, section 10). `cargo run --example otel` in the
//! repository exports both over OTLP.
//!
//! Metrics go through the `metrics` crate rather than the OpenTelemetry metrics API:
//! it is a facade in the manner of `log` and `tracing`, with one small dependency,
//! stable since 0.24 (2024), and recorders for Prometheus, StatsD and OpenTelemetry
//! alike. The OpenTelemetry API makes a breaking release every few months, and a
//! library built against one release records nothing into an application's
//! provider of another (each has its own global): crewsense would have to follow
//! every release, and its users to match it.

mod attempt;
mod call;
mod hook;
mod metrics;
mod paging;
mod route;
mod token;

pub(crate) use attempt::{Instruments, millis};
pub(crate) use call::CallTrace;
pub use hook::{Exchange, HeaderRefused, Hook, Outgoing};
pub(crate) use metrics::retry as count_retry;
pub use metrics::{
    CALL_DURATION, DEGRADED_FIELDS, HTTP_CLIENT_REQUEST_DURATION, NOT_MODIFIED, RETRIES,
    TOKEN_FETCHES, record_metrics,
};
pub(crate) use paging::StreamTrace;
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use route::Route;
pub(crate) use token::TokenFetch;

use std::future::{Future, poll_fn};
use std::pin::Pin;

use tracing::Span;

/// Polls `future` inside the span that `span` gives at each poll, if any. (Pinned by
/// the caller: wrapping it by value would move a large future once more.)
async fn polled_within<'s, F: Future>(
    span: impl Fn() -> Option<&'s Span>,
    mut future: Pin<&mut F>,
) -> F::Output {
    poll_fn(|cx| {
        let _entered = span().map(Span::enter);
        future.as_mut().poll(cx)
    })
    .await
}
