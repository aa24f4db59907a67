//! Every default of the client in one place: what a setting is when it is not set.
//!
//! Each constant names the setting it stands for; fixed limits that cannot be set
//! (such as [`MAX_TOKEN_LIFETIME`](crate::auth::MAX_TOKEN_LIFETIME)) live with the
//! module that applies them.

use std::time::Duration;

/// The production API ([`ClientBuilder::base_url`](crate::ClientBuilder::base_url)).
pub const BASE_URL: &str = "https://api.crewsense.com/v1";

/// How long to wait for a TCP/TLS connection
/// ([`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one request may take from start to end of its answer
/// ([`ClientBuilder::request_timeout`](crate::ClientBuilder::request_timeout)):
/// connecting, sending, waiting for the answer and reading its whole body, so a server
/// that stalls in the middle of a body ends in a timeout error
/// ([`Error::is_timeout`](crate::Error::is_timeout)), not a hang. It applies to each
/// attempt: with retries a call can take up to the number of attempts times this,
/// plus the waits between them.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long one [`Client::call`](crate::Client::call) may take in all
/// ([`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout)): getting a
/// token, every attempt and every wait between them. Each page of a stream is a call
/// of its own.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// How long before its expiry a token is replaced
/// ([`ClientBuilder::refresh_margin`](crate::ClientBuilder::refresh_margin)). Tokens
/// live a day or more, so five minutes costs nothing and absorbs clock and network
/// delays.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// How long the user directory is kept before it is asked for again
/// ([`ClientBuilder::directory_max_age`](crate::ClientBuilder::directory_max_age)):
/// people join or change their e-mail rarely within minutes.
pub const DIRECTORY_MAX_AGE: Duration = Duration::from_secs(600);

/// The `User-Agent` the client's own HTTP client sends.
pub const USER_AGENT: &str = concat!("crewsense-rust/", env!("CARGO_PKG_VERSION"));

/// Attempts per request, the first one and up to two retries
/// ([`RetryPolicy::max_attempts`](crate::retry::RetryPolicy::max_attempts)).
pub const MAX_ATTEMPTS: u32 = 3;

/// The backoff before the first retry; it doubles for each later one
/// ([`RetryPolicy::base_delay`](crate::retry::RetryPolicy::base_delay)).
pub const BASE_DELAY: Duration = Duration::from_millis(200);

/// The longest backoff between two attempts
/// ([`RetryPolicy::max_delay`](crate::retry::RetryPolicy::max_delay)).
pub const MAX_DELAY: Duration = Duration::from_secs(5);

/// The longest `Retry-After` the client waits for
/// ([`RetryPolicy::max_retry_after`](crate::retry::RetryPolicy::max_retry_after)).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// How many pages a stream follows: more than ten years of monthly time-off pages or
/// 50 000 log entries
/// ([`Paginated::max_pages`](crate::paginate::Paginated::max_pages)).
pub const MAX_PAGES: usize = 1000;

/// How many periods of a date range a stream fetches at once
/// ([`Paginated::concurrency`](crate::paginate::Paginated::concurrency)).
pub const CONCURRENCY: usize = 4;

/// The largest certification document an upload sends, 10 MiB
/// ([`CertificationFile::limit`](crate::CertificationFile::limit)). The reference
/// names no limit; this one keeps a mistaken upload (a video, a disk image) from
/// leaving the machine.
pub const CERTIFICATION_FILE_LIMIT: u64 = 10 * 1024 * 1024;
