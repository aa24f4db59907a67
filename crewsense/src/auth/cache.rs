//! A token cache with one refresh in flight at a time.
//!
//! The shape follows smithy-rs' `ExpiringCache`: a cheap check of the current token,
//! and on a miss an async lock that serialises refreshes, with a re-check under the
//! lock so that tasks which queued behind a refresh take its result instead of
//! fetching again. A failed refresh is shared the same way, so a thousand waiting
//! tasks do not hit a failing token endpoint a thousand times.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use secrecy::SecretString;

use super::{Clock, Token, TokenError};

/// Fetches a new access token.
pub(crate) trait Fetch: Send + Sync {
    /// One request for a token.
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

#[derive(Default)]
struct State {
    current: Option<Entry>,
    /// Completed fetches, so a waiter can tell that one finished while it queued.
    attempts: u64,
    /// The error of the last fetch, if it failed.
    failure: Option<TokenError>,
}

impl State {
    /// The current token, if it is not yet due for refresh.
    fn fresh(&self, now: Instant) -> Option<Token> {
        self.current
            .as_ref()
            .filter(|e| now < e.refresh_at)
            .map(|e| e.token.clone())
    }

    /// The current token, if it has not expired (it may be due for refresh).
    fn valid(&self, now: Instant) -> Option<Token> {
        self.current
            .as_ref()
            .filter(|e| now < e.expires_at)
            .map(|e| e.token.clone())
    }
}

/// Caches the token of a [`Fetch`] and refreshes it `margin` before it expires.
pub(crate) struct TokenCache<F> {
    fetcher: F,
    clock: Arc<dyn Clock>,
    margin: Duration,
    state: Mutex<State>,
    refresh: tokio::sync::Mutex<()>,
}

impl<F: Fetch> TokenCache<F> {
    pub(crate) fn new(fetcher: F, clock: Arc<dyn Clock>, margin: Duration) -> Self {
        Self {
            fetcher,
            clock,
            margin,
            state: Mutex::default(),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// A token that is not due for refresh, fetching one if needed.
    pub(crate) async fn token(&self) -> Result<Token, TokenError> {
        let seen = {
            let state = self.state();
            if let Some(token) = state.fresh(self.clock.now()) {
                return Ok(token);
            }
            state.attempts
        };

        let _refreshing = self.refresh.lock().await;
        {
            let state = self.state();
            let now = self.clock.now();
            if let Some(token) = state.fresh(now) {
                return Ok(token);
            }
            if state.attempts != seen
                && let Some(failure) = &state.failure
            {
                return state.valid(now).ok_or_else(|| failure.clone());
            }
        }

        tracing::debug!("fetching a CrewSense access token");
        let result = self.fetcher.fetch().await;
        let now = self.clock.now();
        let mut state = self.state();
        state.attempts += 1;
        match result {
            Ok(grant) => {
                tracing::debug!(
                    lifetime_secs = grant.lifetime.as_secs(),
                    "CrewSense access token refreshed"
                );
                let entry = self.entry(grant, now);
                let token = entry.token.clone();
                state.current = Some(entry);
                state.failure = None;
                Ok(token)
            }
            Err(error) => {
                state.failure = Some(error.clone());
                // A token that still works beats an error; the next call tries again.
                match state.valid(now) {
                    Some(token) => {
                        tracing::warn!(%error, "refreshing the CrewSense access token failed; keeping the current one");
                        Ok(token)
                    }
                    None => {
                        tracing::debug!(%error, "fetching a CrewSense access token failed");
                        Err(error)
                    }
                }
            }
        }
    }

    /// Forgets `token` if it is still the current one (the API rejected it); a token
    /// that another task has already replaced is left alone.
    pub(crate) fn invalidate(&self, token: &Token) {
        let mut state = self.state();
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
        let now = self.clock.now();
        let state = self.state();
        let entry = state.current.as_ref()?;
        Some(entry.expires_at.saturating_duration_since(now))
    }

    /// The cache entry for `grant`, received at `now`. The margin is capped at half the
    /// lifetime so that a short-lived token is still used for a while.
    fn entry(&self, grant: Grant, now: Instant) -> Entry {
        let margin = self.margin.min(grant.lifetime / 2);
        Entry {
            token: Arc::new(grant.token),
            refresh_at: now + (grant.lifetime - margin),
            expires_at: now + grant.lifetime,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<F: fmt::Debug> fmt::Debug for TokenCache<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("fetcher", &self.fetcher)
            .field("clock", &self.clock)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use secrecy::ExposeSecret;
    use tokio::time::{advance, sleep};

    use super::*;
    use crate::auth::TokioClock;

    const HOUR: Duration = Duration::from_secs(3600);
    const MARGIN: Duration = Duration::from_secs(300);

    /// Grants `token-1`, `token-2`, ... after `delay`, or fails with 503 while `failing`.
    #[derive(Debug, Default)]
    struct Fake {
        calls: AtomicUsize,
        lifetime: Duration,
        delay: Duration,
        failing: std::sync::atomic::AtomicBool,
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

    fn cache(fake: &Arc<Fake>) -> TokenCache<Arc<Fake>> {
        TokenCache::new(fake.clone(), Arc::new(TokioClock), MARGIN)
    }

    fn text(token: &Token) -> &str {
        token.expose_secret()
    }

    #[tokio::test(start_paused = true)]
    async fn refreshes_a_margin_ahead_of_expiry() {
        let fake = Arc::new(Fake::new(HOUR));
        let cache = cache(&fake);
        assert_eq!(text(&cache.token().await.unwrap()), "token-1");

        advance(HOUR - MARGIN - Duration::from_secs(1)).await;
        assert_eq!(text(&cache.token().await.unwrap()), "token-1");
        assert_eq!(fake.calls(), 1);

        advance(Duration::from_secs(2)).await;
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
        assert_eq!(fake.calls(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn short_lived_tokens_are_refreshed_at_half_their_life() {
        let fake = Arc::new(Fake::new(Duration::from_secs(60)));
        let cache = cache(&fake);
        cache.token().await.unwrap();
        advance(Duration::from_secs(29)).await;
        cache.token().await.unwrap();
        assert_eq!(fake.calls(), 1);
        advance(Duration::from_secs(2)).await;
        cache.token().await.unwrap();
        assert_eq!(fake.calls(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_fetch_and_its_failure() {
        let fake = Arc::new(Fake {
            delay: Duration::from_secs(1),
            ..Fake::new(HOUR)
        });
        fake.failing.store(true, Ordering::SeqCst);
        let cache = Arc::new(cache(&fake));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.token().await })
            })
            .collect();
        for task in tasks {
            let error = task.await.unwrap().unwrap_err();
            assert!(matches!(error, TokenError::ServerError { .. }), "{error:?}");
        }
        assert_eq!(fake.calls(), 1);

        // A later caller tries again rather than replaying the old failure.
        fake.failing.store(false, Ordering::SeqCst);
        assert_eq!(text(&cache.token().await.unwrap()), "token-2");
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_keeps_a_token_that_has_not_expired() {
        let fake = Arc::new(Fake::new(HOUR));
        let cache = cache(&fake);
        cache.token().await.unwrap();
        fake.failing.store(true, Ordering::SeqCst);

        advance(HOUR - MARGIN).await;
        assert_eq!(text(&cache.token().await.unwrap()), "token-1");

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
}
