#![doc = include_str!("../README.md")]
//!
//! ## This crate
//!
//! A [`Client`] fetches and refreshes OAuth tokens on its own, reaches every operation
//! of the generated low-level client through [`Client::call`] ([`api`]), offers typed
//! shortcuts for the common tasks (schedule, users, shifts, time off, finalization,
//! signup events), pages through long results as streams ([`paginate`]), polls without
//! re-downloading what has not changed ([`poll`]), resends what is safe to resend
//! ([`retry`]), and reports failures as one [`Error`] type. It also answers what
//! departments ask of their schedule: who is on duty ([`roster`]), where staffing
//! falls short of the minimums ([`staffing`]), who a person is ([`directory`]), hours
//! per person and work period with their overtime ([`hours`]), and what changed since
//! the last look ([`changes`]), from the schedule's shifts as spans of local time
//! ([`duty`]).
//!
//! ## API decisions
//!
//! - **One path per item.** The answer and request types are [`types`], the lenient
//!   primitives [`wire`], the date formats and ranges [`time`], the generated client
//!   [`api`]; nothing is re-exported twice. Every default is in [`defaults`].
//! - **Two error types.** [`ClientBuilder::build`] returns a [`ConfigError`] that
//!   names the [`Setting`] at fault; calls return [`Error`], whose query methods
//!   ([`status`](Error::status), [`is_retryable`](Error::is_retryable),
//!   [`is_timeout`](Error::is_timeout), ...) answer the common questions.
//!   `From<ConfigError> for Error` keeps `?` working in code that does both.
//! - **Third-party types only where they pay.** `reqwest` appears once, in
//!   [`ClientBuilder::http_client`], for callers who need their own proxy or TLS
//!   settings; its errors stay behind [`TransportError`]'s `source()`. The generated
//!   client's own error and answer types ([`api::Error`], [`api::ResponseValue`], the
//!   progenitor runtime's) appear only in [`api::ApiResult`], what its builders return;
//!   `crewsense` re-exports them, so no dependency on the runtime is needed.
//!   `serde_json` (for [`RawRequest`] bodies and decode errors) and `http`'s
//!   [`StatusCode`] are stable, widely shared types and are used directly.
//! - **Ids that cannot be swapped.** The typed shortcuts take [`ids`] (`UserId`,
//!   `SignupEventId`, ...), not the API's plain [`wire::Id`].
//! - **Room to grow.** Errors, [`Setting`], answer-side enums and the structs callers
//!   only read are `#[non_exhaustive]`; the generated answer types follow the spec,
//!   whose new optional fields arrive as new `Option` fields in a minor version.
//!
//! ## Observability
//!
//! The client emits [`tracing`](https://docs.rs/tracing) spans and events, records
//! metrics through the [`metrics`](https://docs.rs/metrics) facade, and exports
//! nothing itself: the application installs a `tracing` subscriber
//! (`tracing-opentelemetry` for OpenTelemetry traces, `tracing-subscriber`'s fmt for
//! logs) and a `metrics` recorder (Prometheus, StatsD, or OpenTelemetry through
//! `metrics-opentelemetry`). The repository's `cargo run --example otel` wires both
//! to OTLP/HTTP. Metrics are recorded once the application calls
//! [`observe::record_metrics`]. Without a subscriber and metrics, the
//! instrumentation costs 0.7% of a call's instructions, 1.5% under an fmt
//! subscriber at INFO (`BENCHMARKS.md`, section 10). An [`observe::Hook`] runs the caller's own code
//! on every HTTP attempt.
//!
//! No span, event or metric ever holds the client secret, a token, a header value
//! or a request body. Names follow OpenTelemetry's HTTP client conventions where
//! they apply; span names are static for `tracing`, and `otel.name`, `otel.kind` and
//! `otel.status_code` carry the OpenTelemetry name, kind and status (as
//! `tracing-opentelemetry` reads them).
//!
//! ### Spans
//!
//! All at DEBUG level, so that an application that logs at INFO does not pay for
//! them: enable `crewsense=debug` for the layer that exports them (as the `otel`
//! example does).
//!
//! | span (target) | OpenTelemetry name, kind | one per | attributes |
//! | --- | --- | --- | --- |
//! | `crewsense.call` (`crewsense::call`) | the operation (`get_user`), internal | [`Client::call`]: every typed shortcut, every page of a stream; it starts with the call's first request (which names it), or at its end if it sent none | `crewsense.operation_id`: the `operationId` of its first request; `crewsense.outcome`: `ok`, or the kind of [`Error`] (`token`, `unauthorized`, `api`, `unexpected_response`, `decode`, `transport`, `call_timeout`, `invalid_request`, `file_too_large`, `paging`, `config`); `crewsense.attempts`: the HTTP attempts of all its requests; on failure `error.type` (the same kind) and `otel.status_code` `error` |
//! | `crewsense.http` (`crewsense::http`) | `{method} {url.template}` (`GET /users/{user_id}`), client | HTTP attempt, inside its call or token fetch | `http.request.method`; `url.template`: the spec's path template (`/oauth/access_token` for tokens); `url.full`; `server.address`; `server.port`; `http.request.resend_count`: from the second attempt at a request on (the resend after a refused token counts); `crewsense.retry.wait_ms`: the wait before a resend; `http.response.status_code`; `http.response.body.size` when known; `error.type`: the status code for a 4xx or 5xx answer, else `timeout`, `connect`, `body` (the connection broke in the answer) or `request`, with `otel.status_code` `error` |
//! | `crewsense.token` (`crewsense::token`) | the same, internal | access token fetch, a child of the span current when it started (the caller's, for the token a call waits for before its first request; the call's, for the new token after a refusal); its attempts are its children | `crewsense.outcome`: `ok`, `bad_credentials`, `server_error`, `invalid_answer`, `transport`, `interrupted` or `credentials_unavailable` (the credential provider could not answer); `crewsense.token.lifetime_s`: the lifetime granted; on failure `error.type` and `otel.status_code` |
//! | `crewsense.paging` (`crewsense::paging`) | `{operation} pages` (`list_time_offs pages`), internal | paged stream ([`paginate::Paginated::pages`], `items`, `collect`), from its start to its end or drop; each page's `crewsense.call` is its child | `crewsense.operation_id`; `crewsense.pages` and `crewsense.items`: handed to the caller, recorded when the stream ends or is dropped; `error.type` and `otel.status_code` when an error ended it |
//!
//! ### Events
//!
//! | message | level, target | in | fields |
//! | --- | --- | --- | --- |
//! | `retrying a CrewSense API request` | INFO, `crewsense::retry::transport` | the call (or token fetch) | `operation`, `attempt` (the one that failed), `max_attempts`, `status` or `failure`, `delay_ms` |
//! | `the API asks to wait before a retry (Retry-After)` | INFO, `crewsense::retry::transport` | the call | `operation`, `attempt`, `status`, `retry_after_ms` (asked), `wait_ms` (waited: at most the policy's [`max_retry_after`](retry::RetryPolicy::max_retry_after)) |
//! | `the API asks for a longer wait than the retry policy allows; ...` | INFO, `crewsense::retry::transport` | the call | `operation`, `attempt`, `status`, `retry_after_secs` |
//! | `the CrewSense API rejected the access token; resending the request once with a new one` | INFO, `crewsense::call` | the call | `crewsense.operation_id` |
//! | `not modified (304): the previous answer still holds` | DEBUG, `crewsense::call` | the call | `crewsense.operation_id` |
//! | `a value of the answer could not be read and was left out` | WARN, `crewsense::decode` | the call | `operation`, `path`, `expected`, `found` (see [`degraded`]) |
//! | `{method} {url}` | DEBUG, `crewsense::http` | the call, after each attempt: `crewsense --debug`'s line | `status` or `error`, `duration_ms`, `attempt`, `wait_ms`, `bytes` |
//! | `access token fetch` | DEBUG, `crewsense::token` | the token fetch, at its end | `outcome`, `lifetime_s`, `duration_ms` |
//! | `fetching a CrewSense access token`, `CrewSense access token refreshed` (`lifetime_secs`), `dropping the rejected CrewSense access token`; `fetching a CrewSense access token failed` (WARN: `error`, `retry_in_ms`) | DEBUG, `crewsense::auth::cache` | the token fetch | |
//!
//! ### Metrics
//!
//! They are recorded once the application has called [`observe::record_metrics`]
//! (after installing its recorder; until then no clock is read for them). Names are
//! constants in [`observe`].
//!
//! | metric | kind, unit | one per | labels |
//! | --- | --- | --- | --- |
//! | `http.client.request.duration` | histogram, s | HTTP attempt | `http.request.method`, `url.template`, `server.address`, `server.port`; `http.response.status_code` or `error.type` |
//! | `crewsense.call.duration` | histogram, s | call, token request and waits included | `crewsense.operation_id` (`unknown` if it sent nothing), `crewsense.outcome` |
//! | `crewsense.retries` | counter | request sent again | `crewsense.operation_id`, `error.type`: what the attempt before got (its status, `timeout`, ...; `401` for the resend with a new token) |
//! | `crewsense.token.fetches` | counter | token fetch | `crewsense.outcome` (as on the span) |
//! | `crewsense.not_modified` | counter | `304 Not Modified` answer | `crewsense.operation_id` |
//! | `crewsense.degraded_fields` | counter | answer value left out | `crewsense.operation_id` |
//!
//! ### The hook
//!
//! [`ClientBuilder::hook`] installs an [`observe::Hook`]: it runs inside the retry
//! layer, once per attempt (token requests included), can add headers (a
//! correlation id, a `User-Agent` suffix) and observes each exchange (operation,
//! status, duration, attempt). It never sees the `Authorization` header.

#![deny(missing_docs)]

pub mod api;
pub mod auth;
pub mod changes;
mod client;
mod config;
pub mod defaults;
pub mod degraded;
pub mod directory;
pub mod duty;
mod error;
pub mod hours;
pub mod ids;
pub mod observe;
mod ops;
pub mod paginate;
pub mod poll;
mod redirect;
mod response;
pub mod retry;
pub mod roster;
pub mod staffing;
pub mod time;
mod tls;
pub mod wire;

pub use client::Client;
pub use config::ClientBuilder;
/// The request and answer types of every operation, generated from the spec.
pub use crewsense_gen::types;
pub use error::{ConfigError, Error, Setting, TransportError};
pub use ops::{CertificationFile, FailedFinalization, Finalization, RawAnswer, RawRequest};
/// The HTTP status of an answer (the `http` crate's type).
pub use reqwest::StatusCode;
