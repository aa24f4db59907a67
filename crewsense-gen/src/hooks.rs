//! The seam between the generated client and the facade.
//!
//! progenitor calls `ClientHooks::{pre, exec, post}` around every operation, passing
//! the client's [`Inner`] value. `Inner` carries what the facade decides per call: the
//! [`Transport`] that sends the request (the facade's puts the call's token on it and
//! retries there), extra headers, and an [`ExchangeLog`] that remembers what came
//! back, so that an error can name the operation, status, content type and
//! `Retry-After`. A fixed `Authorization` header ([`Inner::with_bearer`]) is the way
//! to authenticate when using this crate alone.
//!
//! The generated code decodes every answer with [`Client::decode_response`] (the
//! codegen rewrites progenitor's plain `serde_json` call into it), in the
//! [`DecodeMode`] of the `Inner`; what it had to leave out goes to the exchange log.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::BytesMut;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo, ResponseValue};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, InvalidHeaderValue};
use reqwest::{Request, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::Client;
use crate::decode::{DecodeMode, Degradation, decode};
use crate::retry_after::retry_after;

/// A boxed future, as returned by [`Transport::send`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one request on behalf of the generated client. The facade implements it to
/// add retries; the default sends the request once with the client's `reqwest::Client`.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` (for `info.operation_id`) and returns the final response.
    fn send<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        info: &'a OperationInfo,
    ) -> BoxFuture<'a, reqwest::Result<Response>>;
}

/// Something an answer waits for after its body has arrived and before it is
/// decoded.
///
/// The facade's paged streams fetch several pages at once and hand each page a turn,
/// so that answers that arrive together are decoded in the order the caller reads
/// them: on a single-threaded runtime the page the caller waits for never sits
/// behind the decoding of the pages after it.
pub trait DecodeTurn: Send + Sync + 'static {
    /// Resolves when the answer may be decoded.
    fn wait(&self) -> BoxFuture<'_, ()>;
}

/// What the last request through an [`Inner`] sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Exchange {
    /// The operation's `operationId` in the spec.
    pub operation: &'static str,
    /// The response status, if a response arrived.
    pub status: Option<StatusCode>,
    /// The response's `Content-Type`, if it had one.
    pub content_type: Option<String>,
    /// How long the response asked the client to wait (its `Retry-After`, measured
    /// when it arrived), if it did.
    pub retry_after: Option<Duration>,
}

/// Remembers the last [`Exchange`] of the client it is attached to, and every value
/// its answers had to leave out. Attach one per call to read back exactly that call's.
#[derive(Debug, Default)]
pub struct ExchangeLog {
    last: Mutex<Option<Exchange>>,
    degraded: Mutex<Vec<Degradation>>,
}

impl ExchangeLog {
    /// The last exchange, if a request was sent.
    pub fn last(&self) -> Option<Exchange> {
        self.last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Takes the values that answers decoded so far had to leave out.
    pub fn take_degraded(&self) -> Vec<Degradation> {
        std::mem::take(&mut *self.degraded.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn record(&self, exchange: Exchange) {
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(exchange);
    }

    fn record_degraded(&self, degraded: Vec<Degradation>) {
        if !degraded.is_empty() {
            let mut all = self.degraded.lock().unwrap_or_else(PoisonError::into_inner);
            all.extend(degraded);
        }
    }
}

/// The per-client state that the generated code hands to the hooks.
#[derive(Clone, Default)]
pub struct Inner {
    authorization: Option<HeaderValue>,
    transport: Option<Arc<dyn Transport>>,
    log: Option<Arc<ExchangeLog>>,
    decoding: DecodeMode,
    headers: Vec<(HeaderName, HeaderValue)>,
    turn: Option<Arc<dyn DecodeTurn>>,
}

impl Inner {
    /// No authentication, the default transport, no exchange log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends `Authorization: Bearer <token>` with every request. The header value is
    /// marked sensitive, so `reqwest` and `http` never print it.
    ///
    /// This is how to authenticate when using this crate alone, with a token obtained
    /// elsewhere. The `crewsense` facade does not use it: its [`Transport`] puts each
    /// call's current token on every attempt, so that a refused token can be renewed
    /// and the request resent.
    ///
    /// Fails if the token contains characters that cannot appear in a header.
    pub fn with_bearer(self, token: &str) -> Result<Self, InvalidHeaderValue> {
        Ok(self.with_authorization(bearer(token)?))
    }

    /// Sends `value` as the `Authorization` header of every request, marked sensitive.
    ///
    /// For a caller that keeps one [`bearer`] value per token instead of building it
    /// for every request with [`with_bearer`](Self::with_bearer).
    pub fn with_authorization(mut self, mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        self.authorization = Some(value);
        self
    }

    /// Sends requests through `transport` instead of straight through `reqwest`.
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Sends the header `name: value` with every request as well (such as
    /// `If-None-Match`, which the spec does not list).
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Records each exchange in `log`.
    pub fn with_log(mut self, log: Arc<ExchangeLog>) -> Self {
        self.log = Some(log);
        self
    }

    /// Decodes answers in `mode` (lenient by default).
    pub fn with_decoding(mut self, mode: DecodeMode) -> Self {
        self.decoding = mode;
        self
    }

    /// Decodes each answer only once `turn` has come, after its body has arrived.
    pub fn with_decode_turn(mut self, turn: Arc<dyn DecodeTurn>) -> Self {
        self.turn = Some(turn);
        self
    }
}

/// The `Authorization` value `Bearer <token>`, marked sensitive.
///
/// Fails if the token contains characters that cannot appear in a header (the same
/// check as `HeaderValue::from_str`).
pub fn bearer(token: &str) -> Result<HeaderValue, InvalidHeaderValue> {
    // One allocation, where `format!` and `HeaderValue::from_str` take two.
    let mut bytes = BytesMut::with_capacity(BEARER.len() + token.len());
    bytes.extend_from_slice(BEARER.as_bytes());
    bytes.extend_from_slice(token.as_bytes());
    let mut value = HeaderValue::from_maybe_shared(bytes.freeze())?;
    value.set_sensitive(true);
    Ok(value)
}

const BEARER: &str = "Bearer ";

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inner")
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .field("transport", &self.transport.as_ref().map(|_| "custom"))
            .field("log", &self.log.is_some())
            .field("decoding", &self.decoding)
            .field("headers", &self.headers.len())
            .field("turn", &self.turn.is_some())
            .finish()
    }
}

impl ClientHooks<Inner> for Client {
    async fn pre<E>(&self, request: &mut Request, _info: &OperationInfo) -> Result<(), Error<E>> {
        let inner = self.inner();
        if let Some(value) = &inner.authorization {
            request.headers_mut().insert(AUTHORIZATION, value.clone());
        }
        for (name, value) in &inner.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        Ok(())
    }

    async fn exec(&self, request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        let inner = self.inner();
        let result = match &inner.transport {
            Some(transport) => transport.send(self.client(), request, info).await,
            None => self.client().execute(request).await,
        };
        if let Some(log) = &inner.log {
            let response = result.as_ref().ok();
            log.record(Exchange {
                operation: info.operation_id,
                status: response.map(Response::status),
                content_type: response
                    .and_then(|r| r.headers().get(CONTENT_TYPE))
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                retry_after: response.and_then(|r| retry_after(r.headers(), SystemTime::now())),
            });
        }
        result
    }
}

impl Client {
    /// Reads an answer's JSON body as `T` with [`decode`], in the client's
    /// [`DecodeMode`], recording what had to be left out in the client's exchange log.
    /// With a [`DecodeTurn`], the body is read first and decoded when the turn comes.
    ///
    /// The generated operations call it for every answer they decode.
    pub async fn decode_response<T: DeserializeOwned, E>(
        &self,
        response: Response,
        info: &OperationInfo,
    ) -> Result<ResponseValue<T>, Error<E>> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
        let inner = self.inner();
        if let Some(turn) = &inner.turn {
            turn.wait().await;
        }
        match decode(&body, info.operation_id, inner.decoding) {
            Ok(decoded) => {
                if let Some(log) = &inner.log {
                    log.record_degraded(decoded.degraded);
                }
                Ok(ResponseValue::new(decoded.value, status, headers))
            }
            Err(error) => Err(Error::InvalidResponsePayload(body, error)),
        }
    }
}
