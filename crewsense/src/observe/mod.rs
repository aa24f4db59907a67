//! What a client tells about its work, for operators: `tracing` spans and events,
//! metrics through the [`metrics`](::metrics) facade, and a [`Hook`] on every HTTP
//! attempt. The crate docs' [Observability](crate#observability) section lists every
//! span, attribute, event and metric.
//!
//! The library only emits: the application chooses where it goes by installing a
//! `tracing` subscriber (such as `tracing-opentelemetry` for OTLP traces) and a
//! `metrics` recorder (Prometheus, StatsD, OpenTelemetry...). With neither
//! installed, the instrumentation costs well under 1% of a call (see
//! `BENCHMARKS.md`). `cargo run --example otel` in the repository exports both over
//! OTLP.

mod attempt;
mod call;
mod hook;
mod metrics;
mod paging;
mod route;
mod token;

pub(crate) use attempt::{Attempt, Instruments, millis};
pub(crate) use call::CallTrace;
pub use hook::{Exchange, HeaderRefused, Hook, Outgoing};
pub(crate) use metrics::retry as count_retry;
pub use metrics::{
    CALL_DURATION, DEGRADED_FIELDS, HTTP_CLIENT_REQUEST_DURATION, NOT_MODIFIED, RETRIES,
    TOKEN_FETCHES, describe_metrics,
};
pub(crate) use paging::StreamTrace;
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub(crate) use route::Route;
pub(crate) use token::TokenFetch;
