//! [`Client`]: every operation of the generated client, authenticated, within a
//! deadline, and errors mapped into [`Error`].

use std::fmt;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use crewsense_gen::decode::DecodeMode;
use crewsense_gen::hooks::{ExchangeLog, Inner};

use crate::api::ApiResult;
use crate::auth::{Auth, Authorizing};
use crate::config::ClientBuilder;
use crate::degraded::{DegradationLog, DegradationReport};
use crate::error::{ConfigError, Error};
use crate::observe::CallTrace;
use crate::ops::DirectoryCache;
use crate::paginate::turn::Turn;
use crate::retry::{RetryPolicy, Retrying};

/// A CrewSense API client.
///
/// Cloning is cheap and clones share one token cache, so create one client and hand
/// clones to your tasks. [`with_retry`](Client::with_retry) makes such a clone with
/// another [`RetryPolicy`].
///
/// ```no_run
/// # async fn run() -> Result<(), crewsense::Error> {
/// use crewsense::time::DateRange;
///
/// let client = crewsense::Client::from_env()?;
/// let week = DateRange::week("2025-06-02".parse().expect("a date"));
/// for (date, day) in client.schedule(week).await?.iter() {
///     let assignments = day.assignments.as_ref().map_or(0, Vec::len);
///     println!("{date}: {assignments} assignments");
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    retry: Arc<Retrying>,
    /// What this clone's answers wait for before they are decoded (a page's turn in
    /// a paged stream); `None` for every client a user holds.
    turn: Option<Arc<Turn>>,
}

struct Shared {
    base_url: String,
    http: reqwest::Client,
    auth: Arc<Auth>,
    call_timeout: Duration,
    decoding: DecodeMode,
    degraded: DegradationLog,
    directory: DirectoryCache,
}

impl Client {
    /// Settings for a new client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client for the credentials in `CREWSENSE_CLIENT_ID` and
    /// `CREWSENSE_CLIENT_SECRET`, and the base URL in `CREWSENSE_BASE_URL` if set.
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn new(
        base_url: String,
        http: reqwest::Client,
        auth: Auth,
        retry: Retrying,
        call_timeout: Duration,
        decoding: DecodeMode,
        directory_max_age: Duration,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                base_url,
                http,
                auth: Arc::new(auth),
                call_timeout,
                decoding,
                degraded: DegradationLog::default(),
                directory: DirectoryCache::new(directory_max_age),
            }),
            retry: Arc::new(retry),
            turn: None,
        }
    }

    /// A clone of this client (same connection pool, same tokens) that retries
    /// requests by `policy` instead. Use it for one call or keep it for a group of
    /// calls; streams started from it use it for every page.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// use crewsense::wire::Color;
    /// use crewsense::retry::RetryPolicy;
    /// use crewsense::types::LabelRequest;
    ///
    /// // A duplicate label would be harmless here, so let this POST be resent too.
    /// let label = LabelRequest {
    ///     label: "Hazmat".to_owned(),
    ///     color: Color("#ff0000".to_owned()),
    ///     text_color: Color("#ffffff".to_owned()),
    ///     position: None,
    /// };
    /// client
    ///     .with_retry(RetryPolicy::new().retry_non_idempotent(true))
    ///     .call(async |api| api.create_label().body(label.clone()).send().await)
    ///     .await?;
    ///
    /// // A health check that must answer at once or not at all.
    /// client
    ///     .with_retry(RetryPolicy::none())
    ///     .call(async |api| api.get_company().send().await)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn with_retry(&self, policy: RetryPolicy) -> Client {
        Client {
            retry: Arc::new(self.retry.with_policy(policy)),
            ..self.clone()
        }
    }

    /// A clone of this client whose answers are decoded only once `turn` has come.
    pub(crate) fn with_decode_turn(&self, turn: Arc<Turn>) -> Client {
        Client {
            turn: Some(turn),
            ..self.clone()
        }
    }

    /// The user directory this client and its clones share.
    pub(crate) fn directory_cache(&self) -> &DirectoryCache {
        &self.shared.directory
    }

    /// The retry policy of this client.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry.policy()
    }

    /// The values this client's answers had to leave out (shared by its clones): how
    /// many, and the most recent with their operation and path. See [`crate::degraded`].
    pub fn degradations(&self) -> DegradationReport {
        self.shared.degraded.report(false)
    }

    /// [`degradations`](Self::degradations), then starts counting again from zero.
    pub fn take_degradations(&self) -> DegradationReport {
        self.shared.degraded.report(true)
    }

    /// Obtains an access token now, unless a valid one is cached, and returns how long
    /// it has left (`None` for a static token).
    ///
    /// Calls fetch tokens on their own; this is for failing fast on bad credentials at
    /// start-up.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// if let Some(left) = client.authenticate().await? {
    ///     println!("token valid for {} more minutes", left.as_secs() / 60);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn authenticate(&self) -> Result<Option<Duration>, Error> {
        let auth = &self.shared.auth;
        auth.token().await?;
        Ok(auth.expires_in())
    }

    /// The API's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Runs one operation of the generated client with a valid access token.
    ///
    /// `operation` receives a [`crewsense_gen::Client`](crate::api::Client) and
    /// returns what its builder's `send()` returns; it runs once, so it may move its
    /// request body in. Each request it sends is subject to the client's
    /// [`RetryPolicy`] (see [`crate::retry`]). If the API answers a request with `401`,
    /// the rejected token is dropped (unless another task already replaced it) and
    /// that request alone is resent once with a new token, which later requests of
    /// the call carry too; a second `401` is [`Error::Unauthorized`]. The whole call,
    /// token request included, must end within the client's
    /// [`call_timeout`](crate::ClientBuilder::call_timeout), or it fails with
    /// [`Error::CallTimeout`].
    ///
    /// The call runs in a `crewsense.call` span, each request in a client span per
    /// attempt (see the crate's [Observability](crate#observability) section).
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// let groups = client.call(async |api| api.list_groups().send().await).await?;
    /// println!("{} groups", groups.len());
    /// # Ok(()) }
    /// ```
    pub async fn call<T, F>(&self, operation: F) -> Result<T, Error>
    where
        F: AsyncFnOnce(&crewsense_gen::Client) -> ApiResult<T>,
    {
        let trace = Arc::new(CallTrace::start());
        let log = Arc::new(ExchangeLog::default());
        let limit = self.shared.call_timeout;
        let attempt = self.attempt(operation, &log, &trace);
        let finished = match &self.turn {
            Some(turn) => trace.within(pin!(turn.limit(limit, attempt))).await,
            None => {
                let limited = pin!(tokio::time::timeout(limit, attempt));
                trace.within(limited).await.ok()
            }
        };
        let result = match finished {
            Some(result) => result,
            None => Err(Error::CallTimeout {
                operation: log.last().map(|e| e.operation),
                limit,
            }),
        };
        trace.finish(result.as_ref().err());
        result
    }

    /// Runs `operation` once with the current token, recording its exchanges in `log`
    /// and its attempts in `trace`.
    async fn attempt<T, F>(
        &self,
        operation: F,
        log: &Arc<ExchangeLog>,
        trace: &Arc<CallTrace>,
    ) -> Result<T, Error>
    where
        F: AsyncFnOnce(&crewsense_gen::Client) -> ApiResult<T>,
    {
        let (api, sender) = self.api(log, trace).await?;
        let result = operation(&api).await;
        let degraded = log.take_degraded();
        trace.degraded(&degraded);
        self.shared.degraded.record(degraded);
        let exchange = log.last();
        match result {
            Ok(answer) => Ok(answer.into_inner()),
            Err(error) => {
                let error = Error::from_generated(error, exchange).await;
                Err(match (error, sender.token_failure()) {
                    // The refused request could not be resent for want of a token.
                    (Error::Unauthorized { .. }, Some(failure)) => Error::Token(failure),
                    (error, _) => error,
                })
            }
        }
    }

    /// The generated client for one call, with the current token, sending through
    /// the token-refreshing, retrying transport and recording into `log` and `trace`.
    pub(crate) async fn api(
        &self,
        log: &Arc<ExchangeLog>,
        trace: &Arc<CallTrace>,
    ) -> Result<(crewsense_gen::Client, Arc<Authorizing>), Error> {
        let token = self.shared.auth.token().await?;
        let sender = Authorizing::new(
            self.shared.auth.clone(),
            self.retry.clone(),
            token,
            trace.clone(),
        )
        .map(Arc::new)
        .ok_or_else(|| Error::InvalidRequest {
            operation: None,
            message: "the access token is not valid in an HTTP header".to_owned(),
        })?;
        let mut inner = Inner::new()
            .with_log(log.clone())
            .with_decoding(self.shared.decoding)
            .with_transport(sender.clone());
        if let Some(turn) = &self.turn {
            inner = inner.with_decode_turn(turn.clone());
        }
        let api = crewsense_gen::Client::new_with_client(
            &self.shared.base_url,
            self.shared.http.clone(),
            inner,
        );
        Ok((api, sender))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("auth", &self.shared.auth)
            .field("retry", &self.retry.policy())
            .finish_non_exhaustive()
    }
}
