#![doc = include_str!("../../README.md")]
//!
//! ## This crate
//!
//! A [`Client`] fetches and refreshes OAuth tokens on its own, reaches every operation
//! of the generated low-level client through [`Client::call`], offers typed shortcuts
//! for the common tasks (schedule, users, shifts, time off, finalization, signup
//! events), pages through long results as streams ([`paginate`]), polls without
//! re-downloading what has not changed ([`poll`]), resends what is safe to resend
//! ([`retry`]), and reports failures as one [`Error`] type.

#![deny(missing_docs)]

pub mod auth;
mod client;
mod config;
pub mod degraded;
pub mod error;
mod ops;
pub mod paginate;
pub mod poll;
mod redirect;
pub mod retry;
pub mod time;

pub use client::{ApiResult, Client};
pub use config::{
    ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CALL_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_REFRESH_MARGIN, DEFAULT_REQUEST_TIMEOUT, USER_AGENT,
};
/// The generated low-level client that [`Client::call`] hands to its operations.
pub use crewsense_gen as api;
pub use crewsense_gen::types;
/// The API's lenient primitives: ids, numbers, flags, colours, empty-or-object values.
pub use crewsense_gen::wire;
pub use degraded::{Degradation, DegradationReport};
pub use error::{ConfigError, Error};
pub use ops::{
    CertificationFile, DEFAULT_CERTIFICATION_FILE_LIMIT, FailedFinalization, Finalization,
    RawRequest,
};
pub use paginate::{Items, Page, PageInfo, Pages, Paginated, Period};
pub use reqwest::StatusCode;
pub use retry::RetryPolicy;
