//! [`Hook`]: the caller's own code on every HTTP attempt, inside the retry layer.

use std::fmt;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Request, StatusCode};

use super::route::Route;

/// Code of the caller's that runs on every HTTP attempt of a client, token requests
/// included: set with [`ClientBuilder::hook`](crate::ClientBuilder::hook).
///
/// It runs inside the retry layer, once per attempt: a request that is resent (after
/// a `503`, a timeout, or a refused token) passes through it again, with
/// [`Outgoing::attempt`] counting up. It sees each request after the client has put
/// the access token on it, but [`Outgoing`] never shows the `Authorization` header,
/// and refuses to set it. It sees no request body.
///
/// Both methods run on the task that sends the request, between two awaits: keep them
/// short and never block in them.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use crewsense::observe::{Exchange, Hook, Outgoing};
/// use crewsense::observe::HeaderValue;
///
/// /// Tags each request with a correlation id and counts the answers that failed.
/// #[derive(Debug, Default)]
/// struct Correlate {
///     failures: AtomicU64,
/// }
///
/// impl Hook for Correlate {
///     fn on_request(&self, request: &mut Outgoing<'_>) {
///         let id = format!("payroll-export-{}", request.attempt());
///         if let Ok(value) = HeaderValue::from_str(&id) {
///             // Fails only for the Authorization header.
///             let _ = request.set_header("x-correlation-id".parse().unwrap(), value);
///         }
///     }
///
///     fn on_exchange(&self, exchange: &Exchange<'_>) {
///         if exchange.status().is_none_or(|s| !s.is_success()) {
///             self.failures.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
///
/// let client = crewsense::Client::builder()
///     .client_credentials("my-client-id", "my-client-secret")
///     .hook(Correlate::default())
///     .build()?;
/// # let _ = client;
/// # Ok::<(), crewsense::ConfigError>(())
/// ```
pub trait Hook: fmt::Debug + Send + Sync + 'static {
    /// Runs just before an attempt is sent; may add or replace headers.
    fn on_request(&self, request: &mut Outgoing<'_>) {
        let _ = request;
    }

    /// Runs when an attempt has ended: its answer's head arrived, or it failed.
    fn on_exchange(&self, exchange: &Exchange<'_>) {
        let _ = exchange;
    }
}

/// A request about to be sent, as a [`Hook`] sees it: never its `Authorization`
/// header, never its body.
pub struct Outgoing<'a> {
    request: &'a mut Request,
    route: &'a Route,
    attempt: u32,
}

impl<'a> Outgoing<'a> {
    pub(crate) fn new(request: &'a mut Request, route: &'a Route, attempt: u32) -> Self {
        Self {
            request,
            route,
            attempt,
        }
    }

    /// The operation, method and path template of the request.
    pub fn route(&self) -> &Route {
        self.route
    }

    /// The URL this request goes to.
    pub fn url(&self) -> &str {
        self.request.url().as_str()
    }

    /// 1 for the first attempt at this request, 2 for the first resend, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The value of header `name`; `None` for `Authorization`, whatever it holds.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        if name.eq_ignore_ascii_case(AUTHORIZATION.as_str()) {
            return None;
        }
        self.request.headers().get(name)
    }

    /// Every header but `Authorization`.
    pub fn headers(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        self.request
            .headers()
            .iter()
            .filter(|(name, _)| **name != AUTHORIZATION)
    }

    /// Sets header `name` to `value` (replacing what it held), unless `name` is
    /// `Authorization`, which the client alone sets.
    pub fn set_header(
        &mut self,
        name: HeaderName,
        value: HeaderValue,
    ) -> Result<(), HeaderRefused> {
        if name == AUTHORIZATION {
            return Err(HeaderRefused { name });
        }
        self.request.headers_mut().insert(name, value);
        Ok(())
    }
}

impl fmt::Debug for Outgoing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outgoing")
            .field("operation", &self.route.operation)
            .field("method", &self.route.method)
            .field("url", &self.url())
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

/// A hook tried to set a header that only the client sets (`Authorization`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a hook may not set the `{name}` header")]
pub struct HeaderRefused {
    name: HeaderName,
}

impl HeaderRefused {
    /// The header that was refused.
    pub fn name(&self) -> &HeaderName {
        &self.name
    }
}

/// How one attempt went, as a [`Hook`] sees it.
pub struct Exchange<'a> {
    pub(crate) route: &'a Route,
    pub(crate) attempt: u32,
    pub(crate) duration: Duration,
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Option<&'a HeaderMap>,
    pub(crate) error_type: Option<&'static str>,
}

impl Exchange<'_> {
    /// The operation, method and path template of the request.
    pub fn route(&self) -> &Route {
        self.route
    }

    /// 1 for the first attempt at this request, 2 for the first resend, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// From sending the request to the answer's head (to its whole body when the
    /// retry layer read it ahead), or to the failure.
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// The answer's status, if an answer arrived.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The answer's headers, if an answer arrived.
    pub fn response_headers(&self) -> Option<&HeaderMap> {
        self.headers
    }

    /// Why no answer arrived: `timeout`, `connect`, `body` (the connection broke while
    /// the answer was read) or `request`; `None` when an answer arrived.
    pub fn failure(&self) -> Option<&'static str> {
        self.error_type
    }
}

impl fmt::Debug for Exchange<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exchange")
            .field("operation", &self.route.operation)
            .field("attempt", &self.attempt)
            .field("duration", &self.duration)
            .field("status", &self.status)
            .field("failure", &self.error_type)
            .finish_non_exhaustive()
    }
}
