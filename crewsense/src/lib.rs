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
pub use ops::{CertificationFile, FailedFinalization, Finalization, RawRequest};
/// The HTTP status of an answer (the `http` crate's type).
pub use reqwest::StatusCode;
