//! A token cache that refreshes in the background, one refresh in flight.
//!
//! The cache is a state under a mutex (the current token, whether a fetch is in
//! flight, the last failure) and a watch channel that ticks when a fetch ends; there
//! is no refresh loop. A caller whose token is still valid takes it at once; when the
//! token is inside the refresh margin, the caller also starts a refresh in a spawned
//! task (unless one is in flight) and does not wait for it. Only a caller without a
//! valid token waits, and then for the one refresh in flight. A failed fetch is remembered with a backoff deadline
//! ([`REFRESH_BACKOFF`] doubling up to [`MAX_REFRESH_BACKOFF`] per consecutive
//! failure): until then a caller without a valid token gets that error at once and
//! no request is made, so an outage costs one fetch per backoff step however many
//! tasks call.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use secrecy::SecretString;
use tokio::sync::watch;
use tracing::Instrument;

use super::{Clock, MAX_TOKEN_LIFETIME, Token, TokenError};
use crate::observe::TokenFetch;
use crate::retry::doubling;

/// How long after a failed fetch the next one may start, after one failure.
pub(crate) const REFRESH_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait between failed fetches.
pub(crate) const MAX_REFRESH_BACKOFF: Duration = Duration::from_secs(60);

/// Fetches a new access token.
pub(crate) trait Fetch: Send + Sync + 'static {
    /// One request for a token (which may retry on its own).
    fn fetch(&self) -> impl Future<Output = Result<Grant, TokenError>> + Send;
}

/// A token as the token endpoint granted it.
#[derive(Debug)]
pub(crate) struct Grant {
    pub(crate) token: SecretString,
    /// How long the token lives, counted from when the answer arrived.
    pub(crate) lifetime: Duration,
}

/// A cached token and the instants that govern it.
struct Entry {
    token: Token,
    refresh_at: Instant,
    expires_at: Instant,
}

/// The last fetch failed: its error, and when the next fetch may start.
struct Failure {
    error: TokenError,
    retry_at: Instant,
}

#[derive(Default)]
struct State {
    current: Option<Entry>,
    /// Whether a fetch is in flight.
    refreshing: bool,
    /// Set when the last fetch failed, cleared when one succeeds.
    failure: Option<Failure>,
    /// Consecutive failed fetches, for the backoff.
    failures: u32,
}

impl State {
    /// The current token, if it has not expired (it may be due for refresh).
    fn valid(&self, now: Instant) -> Option<&Entry> {
        self.current.as_ref().filter(|e| now < e.expires_at)
    }

    /// The last fetch's error, while its backoff lasts.
    fn backing_off(&self, now: Instant) -> Option<&TokenError> {
        self.failure
            .as_ref()
            .filter(|f| now < f.retry_at)
            .map(|f| &f.error)
    }
}

/// What the cache and its refresh tasks share.
struct Shared<F> {
    fetcher: F,
    clock: Arc<dyn Clock>,
    margin: Duration,
    state: Mutex<State>,
    /// Ticks whenever a fetch ends, to wake the callers that wait for one.
    done: watch::Sender<u64>,
}

/// Caches the token of a [`Fetch`] and refreshes it `margin` before it expires.
pub(crate) struct TokenCache<F> {
    shared: Arc<Shared<F>>,
}

impl<F: Fetch> TokenCache<F> {
    pub(crate) fn new(fetcher: F, clock: Arc<dyn Clock>, margin: Duration) -> Self {
        Self {
            shared: Arc::new(Shared {
                fetcher,
                clock,
                margin,
                state: Mutex::default(),
                done: watch::Sender::new(0),
            }),
        }
    }

    /// A token that has not expired, fetching one if needed. Waits only when there is
    /// no such token; during the backoff after a failed fetch it fails at once.
    pub(crate) async fn token(&self) -> Result<Token, TokenError> {
        let mut done = {
            let mut state = self.shared.state();
            let now = self.shared.clock.now();
            let backing_off = state.backing_off(now).is_some();
            if let Some(entry) = state.valid(now) {
                let token = entry.token.clone();
                if now >= entry.refresh_at && !backing_off {
                    self.start_refresh(&mut state);
                }
                return Ok(token);
            }
            if let Some(error) = state.backing_off(now) {
                return Err(error.clone());
            }
            // Subscribed under the lock, so the end of this fetch cannot be missed.
            let done = self.shared.done.subscribe();
            self.start_refresh(&mut state);
            if !state.refreshing {
                return Err(TokenError::Interrupted);
            }
            done
        };
        loop {
            done.changed().await.map_err(|_| TokenError::Interrupted)?;
            let mut state = self.shared.state();
            // A success clears the failure, so these tell how the last fetch ended. Its
            // token is taken even if it has already expired (a lifetime shorter than
            // the wait), so that a caller never fetches in a loop.
            if let Some(failure) = &state.failure {
                return Err(failure.error.clone());
            }
            if let Some(entry) = &state.current {
                return Ok(entry.token.clone());
            }
            // The new token was rejected and dropped before this caller woke.
            self.start_refresh(&mut state);
            if !state.refreshing {
                return Err(TokenError::Interrupted);
            }
        }
    }

    /// Starts a fetch in a spawned task unless one is in flight. Without a tokio
    /// runtime to spawn on, nothing starts and `refreshing` stays false.
    fn start_refresh(&self, state: &mut State) {
        if state.refreshing {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        state.refreshing = true;
        let shared = self.shared.clone();
        let observed = TokenFetch::start();
        let span = observed.span().clone();
        runtime.spawn(
            async move {
                let mut refresh = Refresh {
                    shared,
                    result: None,
                };
                tracing::debug!("fetching a CrewSense access token");
                let result = refresh.shared.fetcher.fetch().await;
                observed.finish(result.as_ref().map(|grant| grant.lifetime));
                refresh.result = Some(result);
            }
            .instrument(span),
        );
    }

    /// Forgets `token` if it is still the current one (the API rejected it); a token
    /// that another task has already replaced is left alone.
    pub(crate) fn invalidate(&self, token: &Token) {
        let mut state = self.shared.state();
        if state
            .current
            .as_ref()
            .is_some_and(|e| Arc::ptr_eq(&e.token, token))
        {
            tracing::debug!("dropping the rejected CrewSense access token");
            state.current = None;
        }
    }

    /// How long the current token has left, if there is one.
    pub(crate) fn expires_in(&self) -> Option<Duration> {
        let now = self.shared.clock.now();
        let state = self.shared.state();
        let entry = state.current.as_ref()?;
        Some(entry.expires_at.saturating_duration_since(now))
    }
}

/// One fetch in flight. Dropping it records its result, or that it was interrupted
/// (its task cancelled), so that waiting callers never wait for a fetch that is gone.
struct Refresh<F: Fetch> {
    shared: Arc<Shared<F>>,
    result: Option<Result<Grant, TokenError>>,
}

impl<F: Fetch> Drop for Refresh<F> {
    fn drop(&mut self) {
        let result = self.result.take().unwrap_or(Err(TokenError::Interrupted));
        self.shared.finish(result);
    }
}

impl<F> Shared<F> {
    /// Records the end of a fetch and wakes the callers waiting for it.
    fn finish(&self, result: Result<Grant, TokenError>) {
        let now = self.clock.now();
        let mut state = self.state();
        state.refreshing = false;
        match result {
            Ok(grant) => {
                tracing::debug!(
                    lifetime_secs = grant.lifetime.as_secs(),
                    "CrewSense access token refreshed"
                );
                state.current = Some(self.entry(grant, now));
                state.failure = None;
                state.failures = 0;
            }
            Err(error) => {
                state.failures = state.failures.saturating_add(1);
                let wait = backoff(state.failures);
                tracing::warn!(
                    %error,
                    retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "fetching a CrewSense access token failed"
                );
                state.failure = Some(Failure {
                    error,
                    retry_at: later(now, wait),
                });
            }
        }
        // Under the lock, so a caller that sees the old state also sees this tick.
        self.done
            .send_modify(|ticks| *ticks = ticks.wrapping_add(1));
    }

    /// The cache entry for `grant`, received at `now`. The lifetime is capped at
    /// [`MAX_TOKEN_LIFETIME`], the margin at half the lifetime so that a short-lived
    /// token is still used for a while.
    fn entry(&self, grant: Grant, now: Instant) -> Entry {
        let lifetime = grant.lifetime.min(MAX_TOKEN_LIFETIME);
        let margin = self.margin.min(lifetime / 2);
        Entry {
            token: Arc::new(grant.token),
            refresh_at: later(now, lifetime.saturating_sub(margin)),
            expires_at: later(now, lifetime),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The wait after `failures` consecutive failed fetches: [`REFRESH_BACKOFF`] doubled
/// for each failure after the first, at most [`MAX_REFRESH_BACKOFF`].
fn backoff(failures: u32) -> Duration {
    doubling(REFRESH_BACKOFF, failures, MAX_REFRESH_BACKOFF)
}

/// `now + by`, or `now` in the (capped lifetimes make it theoretical) case that the
/// instant cannot be represented.
fn later(now: Instant, by: Duration) -> Instant {
    now.checked_add(by).unwrap_or(now)
}

impl<F: fmt::Debug> fmt::Debug for TokenCache<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("fetcher", &self.shared.fetcher)
            .field("clock", &self.shared.clock)
            .field("margin", &self.shared.margin)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use futures::FutureExt;
    use secrecy::ExposeSecret;
    use tokio::time::{advance, sleep};

    use super::*;
    use crate::auth::TokioClock;

    const HOUR: Duration = Duration::from_secs(3600);
    const MARGIN: Duration = Duration::from_secs(300);
    const CALLERS: usize = 1000;

    /// Grants `token-1`, `token-2`, ... after `delay`, or fails with 503 while `failing`.
    #[derive(Debug, Default)]
    struct Fake {
        calls: AtomicUsize,
        lifetime: Duration,
        delay: Duration,
        failing: AtomicBool,
    }

    impl Fake {
        fn new(lifetime: Duration) -> Self {
            Self {
                lifetime,
                ..Self::default()
            }
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }

        fn fail(&self, failing: bool) {
            self.failing.store(failing, Ordering::SeqCst);
        }
    }

    impl Fetch for Arc<Fake> {
        async fn fetch(&self) -> Result<Grant, TokenError> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            sleep(self.delay).await;
            if self.failing.load(Ordering::SeqCst) {
                return Err(TokenError::ServerError {
                    status: reqwest::StatusCode::SERVICE_UNAVAILABLE,
                    content_type: None,
                    excerpt: "down".into(),
                });
            }
            Ok(Grant {
                token: format!("token-{n}").into(),
                lifetime: self.lifetime,
            })
        }
    }

    fn cache(fake: &Arc<Fake>) -> Arc<TokenCache<Arc<Fake>>> {
        Arc::new(TokenCache::new(fake.clone(), Arc::new(TokioClock), MARGIN))
    }

    fn text(token: &Token) -> &str {
        token.expose_secret()
    }

    /// Lets spawned refreshes that have nothing left to wait for finish.
    async fn settle() {
        sleep(Duration::from_millis(1)).await;
    }

    /// Asks for a token `CALLERS` times at once, each on its own task.
    async fn at_once(cache: &Arc<TokenCache<Arc<Fake>>>) -> Vec<Result<Token, TokenError>> {
        let tasks: Vec<_> = (0..CALLERS)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.token().await })
            })
            .collect();
        let mut results = Vec::with_capacity(CALLERS);
        for task in tasks {
            results.push(task.await.unwrap());
        }
        results
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_is_refreshed_in_the_background_a_margin_ahead_of_expiry() {
        let fake = Arc::new(Fake::new(HOUR));
        let cache = cache(&fake);
        assert_eq!(text(&cache.token().await.unwrap()), "token-1");

        advance(HOUR - MARGIN - Duration::from_secs(1)).await;
        assert_eq!(text(&cache.token().await.unwrap()), "token-1");
        settle().await;
        assert_eq!(fake.calls(), 1);

        advance(Duration::from_secs(2)).await;
        assert_eq!(text(&cache.token().await.unwrap()), "token-1");
        settle().await;
        assert_eq!(fake.calls(), 2);
        assert_eq!(text(&cache.token().await.unwrap()), "token-2");
    }

    #[tokio::test(start_paused = true)]
    async fn callers_holding_a_valid_token_never_wait_for_the_refresh() {
        let fake = Arc::new(Fake {
            delay: Duration::from_secs(10),
            ..Fake::new(HOUR)
        });
        let cache = cache(&fake);
        cache.token().await.unwrap();
        advance(HOUR - MARGIN).await;

        // Each call must be ready at its first poll, while the refresh takes 10 s.
        let waits = (0..CALLERS)
            .filter(|_| cache.token().now_or_never().is_none())
            .count();
        assert_eq!(waits, 0);
        settle().await;
        assert_eq!(fake.calls(), 2, "one refresh in flight");

        advance(Duration::from_secs(10)).await;
        settle().await;
        assert_eq!(text(&cache.token().await.unwrap()), "token-2");
        assert_eq!(fake.calls(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn lifetime_counts_from_the_answer_not_the_request() {
        let fake = Arc::new(Fake {
            delay: Duration::from_secs(100),
            ..Fake::new(HOUR)
        });
        let cache = cache(&fake);
        cache.token().await.unwrap();
        // Received at t=100 s, so due at 100 + 3600 - 300 s from the start.
        advance(HOUR - MARGIN - Duration::from_secs(1)).await;
        cache.token().await.unwrap();
        settle().await;
        assert_eq!(fake.calls(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn short_lived_tokens_are_refreshed_at_half_their_life() {
        let fake = Arc::new(Fake::new(Duration::from_secs(60)));
        let cache = cache(&fake);
        cache.token().await.unwrap();
        advance(Duration::from_secs(29)).await;
        cache.token().await.unwrap();
        settle().await;
        assert_eq!(fake.calls(), 1);
        advance(Duration::from_secs(2)).await;
        cache.token().await.unwrap();
        settle().await;
        assert_eq!(fake.calls(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_grant_that_lives_forever_is_cut_to_the_longest_lifetime() {
        let fake = Arc::new(Fake::new(Duration::MAX));
        let cache = cache(&fake);
        cache.token().await.unwrap();
        assert_eq!(cache.expires_in(), Some(MAX_TOKEN_LIFETIME));
    }

    #[tokio::test(start_paused = true)]
    async fn an_outage_costs_one_fetch_per_backoff_step_and_prompt_errors() {
        let fake = Arc::new(Fake {
            delay: Duration::from_secs(1),
            ..Fake::new(HOUR)
        });
        fake.fail(true);
        let cache = cache(&fake);

        // A thousand callers share the one fetch in flight and its failure.
        assert!(at_once(&cache).await.iter().all(Result::is_err));
        assert_eq!(fake.calls(), 1);

        // During the backoff, callers fail at their first poll, with no new fetch.
        let prompt = (0..CALLERS)
            .filter(|_| matches!(cache.token().now_or_never(), Some(Err(_))))
            .count();
        assert_eq!(prompt, CALLERS);
        assert_eq!(fake.calls(), 1);

        // Each step of the backoff (1 s, then 2 s, then 4 s) allows one more fetch.
        for (step, wait) in [1, 2, 4].into_iter().enumerate() {
            advance(Duration::from_secs(wait) - Duration::from_millis(1)).await;
            assert!(cache.token().now_or_never().is_some_and(|r| r.is_err()));
            advance(Duration::from_millis(1)).await;
            assert!(at_once(&cache).await.iter().all(Result::is_err));
            assert_eq!(fake.calls(), step + 2);
        }

        // Once the endpoint is back, the next step gets a token for everyone.
        fake.fail(false);
        advance(Duration::from_secs(8)).await;
        assert!(at_once(&cache).await.iter().all(Result::is_ok));
        assert_eq!(fake.calls(), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_keeps_a_token_that_has_not_expired() {
        let fake = Arc::new(Fake::new(HOUR));
        let cache = cache(&fake);
        cache.token().await.unwrap();
        fake.fail(true);

        advance(HOUR - MARGIN).await;
        assert_eq!(text(&cache.token().await.unwrap()), "token-1");
        settle().await;
        assert_eq!(text(&cache.token().await.unwrap()), "token-1");
        assert_eq!(fake.calls(), 2, "no new fetch during the backoff");

        advance(MARGIN).await;
        assert!(cache.token().await.is_err());
        assert_eq!(fake.calls(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn invalidating_drops_only_the_current_token() {
        let fake = Arc::new(Fake::new(HOUR));
        let cache = cache(&fake);
        let first = cache.token().await.unwrap();
        cache.invalidate(&first);
        let second = cache.token().await.unwrap();
        assert_eq!(text(&second), "token-2");

        // A late report about the first token must not discard the second.
        cache.invalidate(&first);
        assert!(Arc::ptr_eq(&cache.token().await.unwrap(), &second));
        assert_eq!(fake.calls(), 2);
    }

    #[test]
    fn the_backoff_doubles_up_to_its_cap() {
        let waits: Vec<_> = [1, 2, 3, 6, 7, 40, u32::MAX]
            .map(|n| backoff(n).as_secs())
            .to_vec();
        assert_eq!(waits, [1, 2, 4, 32, 60, 60, 60]);
    }
}
