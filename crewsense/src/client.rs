//! [`Client`]: every operation of the generated client, authenticated, with one
//! resend after a rejected token and errors mapped into [`Error`].

use std::fmt;
use std::sync::Arc;

use crewsense_gen::hooks::{ExchangeLog, Inner};
use crewsense_gen::types;
use progenitor_client::ResponseValue;
use secrecy::ExposeSecret;

use crate::auth::{Auth, Token};
use crate::config::ClientBuilder;
use crate::error::Error;
use crate::retry::{RetryPolicy, Retrying};

/// What an operation's `send()` returns in the generated client.
pub type ApiResult<T> = Result<ResponseValue<T>, progenitor_client::Error<types::Error>>;

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
}

struct Shared {
    base_url: String,
    http: reqwest::Client,
    auth: Auth,
}

impl Client {
    /// Settings for a new client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client for the credentials in `CREWSENSE_CLIENT_ID` and
    /// `CREWSENSE_CLIENT_SECRET`, and the base URL in `CREWSENSE_BASE_URL` if set.
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn new(
        base_url: String,
        http: reqwest::Client,
        auth: Auth,
        retry: RetryPolicy,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                base_url,
                http,
                auth,
            }),
            retry: Arc::new(Retrying::new(retry)),
        }
    }

    /// A clone of this client (same connection pool, same tokens) that retries
    /// requests by `policy` instead. Use it for one call or keep it for a group of
    /// calls; streams started from it use it for every page.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// use crewsense::api::wire::Color;
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
            shared: self.shared.clone(),
            retry: Arc::new(Retrying::new(policy)),
        }
    }

    /// The retry policy of this client.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry.policy()
    }

    pub(crate) fn auth(&self) -> &Auth {
        &self.shared.auth
    }

    /// The API's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Runs one operation of the generated client with a valid access token.
    ///
    /// `operation` receives a [`crewsense_gen::Client`](crate::api::Client) and
    /// returns what its builder's `send()` returns. If the API answers `401`, the
    /// rejected token is dropped, one new token is fetched and `operation` runs once
    /// more (the server refused the first request, so resending it is safe); a second
    /// `401` is [`Error::Unauthorized`]. Each request is also subject to the client's
    /// [`RetryPolicy`] (see [`crate::retry`]).
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// let groups = client.call(async |api| api.list_groups().send().await).await?;
    /// println!("{} groups", groups.len());
    /// # Ok(()) }
    /// ```
    pub async fn call<T, F>(&self, operation: F) -> Result<T, Error>
    where
        F: AsyncFn(&crewsense_gen::Client) -> ApiResult<T>,
    {
        let token = self.shared.auth.token().await?;
        let first = self.attempt(&operation, &token).await;
        if !matches!(first, Err(Error::Unauthorized { .. })) || !self.shared.auth.reject(&token) {
            return first;
        }
        tracing::debug!(
            "the CrewSense API rejected the access token; retrying once with a new one"
        );
        let token = self.shared.auth.token().await?;
        self.attempt(&operation, &token).await
    }

    /// Sends `operation` once with `token`.
    async fn attempt<T, F>(&self, operation: &F, token: &Token) -> Result<T, Error>
    where
        F: AsyncFn(&crewsense_gen::Client) -> ApiResult<T>,
    {
        let log = Arc::new(ExchangeLog::default());
        let result = operation(&self.api(token, &log)?).await;
        let exchange = log.last();
        tracing::debug!(
            operation = exchange.as_ref().map(|e| e.operation),
            status = exchange.as_ref().and_then(|e| e.status).map(|s| s.as_u16()),
            "CrewSense API call"
        );
        match result {
            Ok(answer) => Ok(answer.into_inner()),
            Err(error) => Err(Error::from_generated(error, exchange).await),
        }
    }

    /// The generated client for one attempt, sending through the retry policy.
    pub(crate) fn api(
        &self,
        token: &Token,
        log: &Arc<ExchangeLog>,
    ) -> Result<crewsense_gen::Client, Error> {
        let inner = Inner::new()
            .with_bearer(token.expose_secret())
            // Tokens are checked when they arrive, so this only guards the invariant.
            .map_err(|_| Error::InvalidRequest {
                operation: None,
                message: "the access token is not valid in an HTTP header".to_owned(),
            })?
            .with_log(log.clone())
            .with_transport(self.retry.clone());
        Ok(crewsense_gen::Client::new_with_client(
            &self.shared.base_url,
            self.shared.http.clone(),
            inner,
        ))
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
