//! Retries of failed requests: which requests, after which failures, how often and
//! how long apart.
//!
//! A [`RetryPolicy`] is set for a client with
//! [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy) and replaced for
//! some calls with [`Client::with_retry`](crate::Client::with_retry). It applies to
//! every operation the client sends, pages of streams included, and to the requests
//! for access tokens (which are retried whatever their method, since a repeat only
//! mints another token; they follow the builder's policy, shared by every clone).
//!
//! What is resent, by default:
//!
//! - only operations that are safe to send twice: what the spec declares with
//!   `x-crewsense-idempotent` (carried into
//!   [`Operation::idempotent`](crewsense_gen::catalog::Operation::idempotent)), or
//!   else an idempotent method (`GET`, `PUT`, `DELETE`). So `PUT /users`, which
//!   creates a user, is not resent, and most `POST` and `PATCH` operations only when
//!   the policy allows it with
//!   [`retry_non_idempotent`](RetryPolicy::retry_non_idempotent);
//! - only after a connection failure, a timeout, a connection that broke before the
//!   whole answer arrived, or a `408`, `429`, `502`, `503` or `504` answer;
//! - never a request whose body is a stream (it cannot be sent twice).
//!
//! The wait before a retry is the answer's `Retry-After` (seconds or an HTTP date)
//! when it has one, otherwise an exponential backoff with full jitter: a random
//! delay between zero and `base_delay × 2^(retry - 1)`, at most `max_delay`. A
//! `Retry-After` longer than [`max_retry_after`](RetryPolicy::max_retry_after) is cut
//! to that limit and the retries go on; if they all fail, the error's
//! [`retry_after`](crate::Error::retry_after) tells what the server asked for. Waits use
//! `tokio::time::sleep`, so a test runtime with paused time skips them.
//!
//! A `Retry-After` holds back every request of the client (its clones included, but
//! not those made with another policy by [`Client::with_retry`](crate::Client::with_retry))
//! until it has passed, so the concurrent pages of a stream wait once, together,
//! instead of each collecting a `429` of its own.
//!
//! Each retry is logged with `tracing` at `INFO` level: operation, attempt, status or
//! kind of failure, and the delay; each attempt has its span (see the crate's
//! [Observability](crate#observability) section). Headers and bodies are never
//! logged; URLs only at DEBUG level.
//!
//! ```
//! use std::time::Duration;
//! use crewsense::retry::RetryPolicy;
//!
//! let client = crewsense::Client::builder()
//!     .client_credentials("my-client-id", "my-client-secret")
//!     .retry_policy(RetryPolicy::new().max_attempts(5).max_delay(Duration::from_secs(2)))
//!     .build()?;
//! // Switched off for one call that must fail fast:
//! let impatient = client.with_retry(RetryPolicy::none());
//! # let _ = impatient;
//! # Ok::<(), crewsense::Error>(())
//! ```

mod pause;
mod transport;

use std::time::Duration;

use reqwest::StatusCode;

use crate::defaults::{BASE_DELAY, MAX_ATTEMPTS, MAX_DELAY, MAX_RETRY_AFTER};
pub(crate) use transport::Retrying;

/// Statuses worth retrying later: timeouts, rate limiting and gateway trouble.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::REQUEST_TIMEOUT
            | StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// Step number `step` (1 for the first) of a backoff that starts at `first` and
/// doubles at each step: `first × 2^(step - 1)`, at most `cap`. The retries and the
/// token cache's wait after failed fetches both grow this way.
pub(crate) fn doubling(first: Duration, step: u32, cap: Duration) -> Duration {
    let factor = 2u32.saturating_pow(step.saturating_sub(1));
    first
        .checked_mul(factor)
        .map_or(cap, |delay| delay.min(cap))
}

/// How the backoff delay is spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Jitter {
    /// A uniformly random delay between zero and the backoff ("full jitter"), so that
    /// clients which failed together do not retry together. The default.
    #[default]
    Full,
    /// Exactly the backoff, every time: predictable, for tests.
    Off,
}

/// When and how often a failed request is sent again; see the [module](self) docs.
///
/// The default is [`RetryPolicy::new`]: [`MAX_ATTEMPTS`] attempts, backoff from
/// [`BASE_DELAY`] up to [`MAX_DELAY`] with full jitter, `Retry-After` honoured up to
/// [`MAX_RETRY_AFTER`], idempotent requests only.
///
/// ```
/// use std::time::Duration;
/// use crewsense::retry::{Jitter, RetryPolicy};
///
/// let patient = RetryPolicy::new()
///     .max_attempts(6)
///     .base_delay(Duration::from_millis(500))
///     .max_delay(Duration::from_secs(10))
///     .max_retry_after(Duration::from_secs(60));
/// assert_ne!(patient, RetryPolicy::default());
///
/// // Also resend a POST or PATCH, for a call known to be safe to repeat.
/// let writes_too = RetryPolicy::new().retry_non_idempotent(true);
/// # let _ = (writes_too, Jitter::Off);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    non_idempotent: bool,
    jitter: Jitter,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl RetryPolicy {
    /// The default policy (see [`RetryPolicy`]).
    pub const fn new() -> Self {
        Self {
            max_attempts: MAX_ATTEMPTS,
            base_delay: BASE_DELAY,
            max_delay: MAX_DELAY,
            max_retry_after: MAX_RETRY_AFTER,
            non_idempotent: false,
            jitter: Jitter::Full,
        }
    }

    /// No retries: every request is sent once.
    ///
    /// ```
    /// use crewsense::retry::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::none(), RetryPolicy::new().max_attempts(1));
    /// ```
    pub const fn none() -> Self {
        Self::new().max_attempts(1)
    }

    /// Sends a request at most `attempts` times in all (the first attempt included);
    /// `0` counts as `1`.
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// The backoff before the first retry; each later retry doubles it.
    pub const fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest backoff between two attempts.
    pub const fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` to wait for. An answer asking for a longer wait is
    /// retried after this limit instead.
    pub const fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// Whether `POST` and `PATCH` requests (and `PUT /users`, which creates a user) are
    /// resent too; `false` by default. A resent write may be applied twice if the
    /// server stored it before failing, so allow it only for a call where that is
    /// harmless, typically through [`Client::with_retry`](crate::Client::with_retry).
    pub const fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.non_idempotent = allow;
        self
    }

    /// How the backoff is spread; [`Jitter::Full`] by default.
    pub const fn jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The most attempts a request gets.
    pub const fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` the client waits for.
    pub const fn retry_after_limit(&self) -> Duration {
        self.max_retry_after
    }

    /// The longest backoff before retry number `retry` (1 for the first retry):
    /// `base_delay × 2^(retry - 1)`, at most `max_delay`.
    fn backoff_ceiling(&self, retry: u32) -> Duration {
        doubling(self.base_delay, retry, self.max_delay)
    }

    /// The backoff before retry number `retry`, with `unit` (in `0.0..1.0`) as the
    /// random draw for the jitter.
    fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        match self.jitter {
            Jitter::Full => ceiling.mul_f64(unit),
            Jitter::Off => ceiling,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy::new().jitter(Jitter::Off);
        let delays: Vec<_> = (1..=7).map(|retry| policy.backoff(retry, 0.5)).collect();
        assert_eq!(
            delays,
            [200, 400, 800, 1600, 3200, 5000, 5000].map(|ms| ms * MS)
        );
        assert_eq!(policy.backoff(u32::MAX, 0.5), MAX_DELAY);
    }

    #[test]
    fn full_jitter_scales_the_ceiling() {
        let policy = RetryPolicy::new();
        assert_eq!(policy.backoff(1, 0.0), Duration::ZERO);
        assert_eq!(policy.backoff(2, 0.5), 200 * MS);
        assert_eq!(policy.backoff(3, 0.25), 200 * MS);
        assert!(policy.backoff(9, 0.999_999) < MAX_DELAY);
    }

    #[test]
    fn none_means_one_attempt_and_zero_means_one() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), MAX_ATTEMPTS);
    }
}
