//! The errors of the crate: [`Error`] of a call, and how the generated client's
//! errors map into it; [`TransportError`] for a request that got no whole answer; and
//! [`ConfigError`] of the settings, naming each [`Setting`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crewsense_gen::hooks::Exchange;
use crewsense_gen::types;
use crewsense_gen::wire::Messages;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use crate::auth::TokenError;
use crate::paginate::PagingError;
use crate::response::{content, excerpt, header_text};
use crate::retry::is_retryable_status;

/// Everything that can go wrong when configuring the client or calling the API.
///
/// Match on the variants for details, or use the query methods
/// ([`status`](Error::status), [`is_not_found`](Error::is_not_found),
/// [`is_unauthorized`](Error::is_unauthorized), [`is_retryable`](Error::is_retryable),
/// [`is_timeout`](Error::is_timeout), [`api_messages`](Error::api_messages)) for the
/// common questions.
///
/// `operation` fields hold the spec's `operationId` (such as `list_users`); they are
/// `None` only when the request failed before it could be sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured with invalid settings: what
    /// [`ClientBuilder::build`](crate::ClientBuilder::build) returned, converted so
    /// that `?` works in a function that returns this type.
    #[error(transparent)]
    Config(#[from] ConfigError),

    /// No access token could be obtained from the token endpoint.
    #[error(transparent)]
    Token(#[from] TokenError),

    /// The API rejected the access token (`401`), also after one fresh token was tried.
    #[error("{}: the API rejected the access token{}", op(*.operation), message_suffix(.messages))]
    Unauthorized {
        /// The operation that was refused.
        operation: Option<&'static str>,
        /// The messages of the API's error document, if it sent one.
        messages: Messages,
    },

    /// The API answered with its error document (`{status, error, error_message}`).
    #[error("{}: {status}{}{}", op(*.operation), message_suffix(.messages), wait_suffix(*.retry_after))]
    Api {
        /// The operation that failed.
        operation: Option<&'static str>,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The API's short machine-readable code, such as `not found` or `invalid_params`.
        code: Option<String>,
        /// The API's messages: one, or one per invalid parameter (`422`).
        messages: Messages,
        /// How long the answer asked the client to wait (`Retry-After`); see
        /// [`Error::retry_after`].
        retry_after: Option<Duration>,
    },

    /// The API answered with a status the operation does not document, or with an error
    /// status whose body is not the API's error document (an HTML page from a proxy, say).
    #[error("{}: unexpected {status} answer ({}): {excerpt}{}", op(*.operation), content(.content_type), wait_suffix(*.retry_after))]
    UnexpectedResponse {
        /// The operation that was answered.
        operation: Option<&'static str>,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The answer's `Content-Type`, if it had one.
        content_type: Option<String>,
        /// The start of the body (at most about 200 characters).
        excerpt: String,
        /// How long the answer asked the client to wait (`Retry-After`); see
        /// [`Error::retry_after`].
        retry_after: Option<Duration>,
    },

    /// A successful answer whose body does not have the documented shape: not JSON,
    /// no usable shape at all, or, with
    /// [`strict_decoding`](crate::ClientBuilder::strict_decoding), any value that does
    /// not fit its field.
    #[error("{}: could not decode the {} answer ({}){}: {excerpt}", op(*.operation), status_text(*.status), content(.content_type), at_path(.path))]
    Decode {
        /// The operation that was answered.
        operation: Option<&'static str>,
        /// Where in the body the first value that does not fit is, when known
        /// (`days.2025-06-02.assignments[3].shifts[0].recurring`).
        path: Option<String>,
        /// The HTTP status of the answer, if known.
        status: Option<StatusCode>,
        /// The answer's `Content-Type`, if it had one.
        content_type: Option<String>,
        /// The start of the body (at most about 200 characters).
        excerpt: String,
        /// What the JSON decoder objected to.
        #[source]
        source: serde_json::Error,
    },

    /// The request could not be sent, or its answer could not be read: no connection,
    /// a timeout ([`is_timeout`](Error::is_timeout)), or a connection that broke before
    /// the whole answer arrived. After the retries the policy allows, this is the last
    /// attempt's failure.
    #[error("{}: {source}", op(*.operation))]
    Transport {
        /// The operation that was being sent.
        operation: Option<&'static str>,
        /// What went wrong.
        #[source]
        source: TransportError,
    },

    /// The whole call, token request and retries included, did not end within the
    /// client's [`call_timeout`](crate::ClientBuilder::call_timeout).
    #[error("{}: no answer within the call timeout of {} s", op(*.operation), .limit.as_secs_f64())]
    CallTimeout {
        /// The operation that was under way, if a request had been sent.
        operation: Option<&'static str>,
        /// The call timeout that ran out.
        limit: Duration,
    },

    /// The request could not be built, typically because a required parameter was not
    /// set on the operation's builder.
    #[error("{}: invalid request: {message}", op(*.operation))]
    InvalidRequest {
        /// The operation, if the request got far enough to know it.
        operation: Option<&'static str>,
        /// What was wrong, as the generated client put it.
        message: String,
    },

    /// A file was larger than the limit set for its upload; nothing was sent.
    #[error("{operation}: the file has {size} bytes, more than the limit of {limit}")]
    FileTooLarge {
        /// The upload operation.
        operation: &'static str,
        /// The size of the file in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },

    /// A paged stream stopped: a bad or foreign `next` link, a loop, or the page limit.
    #[error(transparent)]
    Paging(#[from] PagingError),
}

/// A setting of [`ClientBuilder`](crate::ClientBuilder), as a [`ConfigError`] names
/// it. It displays as the name of the builder method that sets it
/// (`connect_timeout`), or, for the two halves of
/// [`client_credentials`](crate::ClientBuilder::client_credentials), `client_id` and
/// `client_secret`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// The client id of [`client_credentials`](crate::ClientBuilder::client_credentials).
    ClientId,
    /// The secret of [`client_credentials`](crate::ClientBuilder::client_credentials).
    ClientSecret,
    /// The token given to [`static_token`](crate::ClientBuilder::static_token).
    StaticToken,
    /// [`base_url`](crate::ClientBuilder::base_url).
    BaseUrl,
    /// [`token_url`](crate::ClientBuilder::token_url).
    TokenUrl,
    /// [`connect_timeout`](crate::ClientBuilder::connect_timeout).
    ConnectTimeout,
    /// [`request_timeout`](crate::ClientBuilder::request_timeout).
    RequestTimeout,
    /// [`call_timeout`](crate::ClientBuilder::call_timeout).
    CallTimeout,
    /// [`http_client`](crate::ClientBuilder::http_client).
    HttpClient,
}

impl Setting {
    /// The setting's name: its builder method's (`connect_timeout`).
    pub const fn name(self) -> &'static str {
        match self {
            Setting::ClientId => "client_id",
            Setting::ClientSecret => "client_secret",
            Setting::StaticToken => "static_token",
            Setting::BaseUrl => "base_url",
            Setting::TokenUrl => "token_url",
            Setting::ConnectTimeout => "connect_timeout",
            Setting::RequestTimeout => "request_timeout",
            Setting::CallTimeout => "call_timeout",
            Setting::HttpClient => "http_client",
        }
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Settings that [`ClientBuilder::build`](crate::ClientBuilder::build) refused. Each
/// names the [`Setting`] at fault, where there is one ([`setting`](Self::setting)).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Neither client credentials nor a static access token were given.
    #[error("invalid configuration: no credentials (set client_credentials or static_token)")]
    MissingCredentials,

    /// A credential is empty.
    #[error("invalid configuration: `{0}` is empty")]
    Empty(Setting),

    /// A credential cannot be sent in an HTTP header (it has a line break, say).
    #[error("invalid configuration: `{0}` has characters an HTTP header cannot carry")]
    NotAHeaderValue(Setting),

    /// A required environment variable is unset, empty or not valid Unicode.
    #[error("invalid configuration: environment variable {0} is not set, empty, or not Unicode")]
    MissingEnv(&'static str),

    /// A URL could not be parsed; the parser's complaint is the
    /// [`source`](std::error::Error::source).
    #[error("invalid configuration: `{setting}` is not a valid URL")]
    InvalidUrl {
        /// [`Setting::BaseUrl`] or [`Setting::TokenUrl`].
        setting: Setting,
        /// Why the URL parser refused it.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// A URL has a form the client cannot use.
    #[error("invalid configuration: `{setting}` `{url}` is not usable: {reason}")]
    UnsupportedUrl {
        /// [`Setting::BaseUrl`] or [`Setting::TokenUrl`].
        setting: Setting,
        /// The URL, without any user name or password it carried.
        url: String,
        /// Why it cannot be used.
        reason: &'static str,
    },

    /// A URL uses plain `http://` to a host that is not loopback.
    #[error(
        "invalid configuration: `{setting}` `{url}` uses plain http to a non-loopback host; \
         use https, or opt in with allow_insecure_http(true)"
    )]
    InsecureHttp {
        /// [`Setting::BaseUrl`] or [`Setting::TokenUrl`].
        setting: Setting,
        /// The URL.
        url: String,
    },

    /// A setting that only applies to the client's own HTTP client was combined with
    /// a caller-supplied one ([`Setting::HttpClient`]).
    #[error(
        "invalid configuration: `{0}` has no effect on a caller-supplied http_client; \
         configure that client instead"
    )]
    HttpClientConflict(Setting),

    /// A timeout of zero, which would fail every request.
    #[error("invalid configuration: `{0}` must be greater than zero")]
    ZeroTimeout(Setting),

    /// The HTTP client could not be built (for example, no TLS backend); the HTTP
    /// library's complaint is the [`source`](std::error::Error::source).
    #[error("invalid configuration: the HTTP client could not be built")]
    HttpClient(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ConfigError {
    /// The setting at fault, if the error is about one.
    pub fn setting(&self) -> Option<Setting> {
        match self {
            ConfigError::Empty(setting)
            | ConfigError::NotAHeaderValue(setting)
            | ConfigError::InvalidUrl { setting, .. }
            | ConfigError::UnsupportedUrl { setting, .. }
            | ConfigError::InsecureHttp { setting, .. }
            | ConfigError::HttpClientConflict(setting)
            | ConfigError::ZeroTimeout(setting) => Some(*setting),
            ConfigError::HttpClient(_) => Some(Setting::HttpClient),
            ConfigError::MissingCredentials | ConfigError::MissingEnv(_) => None,
        }
    }
}

impl Error {
    /// The HTTP status the API answered with, if an answer arrived.
    ///
    /// Token-endpoint failures report their status through [`TokenError::status`]
    /// instead, so that a `401` here always means the API itself refused.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Error::Api { status, .. } | Error::UnexpectedResponse { status, .. } => Some(*status),
            Error::Decode { status, .. } => *status,
            Error::Config(_)
            | Error::Token(_)
            | Error::Transport { .. }
            | Error::CallTimeout { .. }
            | Error::InvalidRequest { .. }
            | Error::FileTooLarge { .. }
            | Error::Paging(_) => None,
        }
    }

    /// Whether the API answered `404 Not Found`.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the credentials were refused: by the API (even after a fresh token) or by
    /// the token endpoint.
    pub fn is_unauthorized(&self) -> bool {
        matches!(
            self,
            Error::Unauthorized { .. } | Error::Token(TokenError::BadCredentials { .. })
        )
    }

    /// Whether the same request may succeed later: transport failures, timeouts, `429`
    /// and gateway errors (`502`, `503`, `504`), at the API or at the token endpoint.
    ///
    /// This says nothing about whether resending is *safe*; a write that timed out may
    /// have been applied.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Token(e) => e.is_retryable(),
            Error::Transport { source, .. } => source.is_retryable(),
            Error::CallTimeout { .. } => true,
            other => other.status().is_some_and(is_retryable_status),
        }
    }

    /// Whether the request, or the token request before it, ran out of time: the
    /// connect timeout or the request timeout (which covers reading the whole answer)
    /// of the client, or the call timeout of the whole call ([`Error::CallTimeout`]).
    /// A `408` or `504` answer is a [`status`](Error::status) instead.
    ///
    /// ```
    /// # fn report(error: &crewsense::Error) {
    /// if error.is_timeout() {
    ///     eprintln!("CrewSense did not answer in time; try again later");
    /// }
    /// # }
    /// ```
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::Token(e) => e.is_timeout(),
            Error::CallTimeout { .. } => true,
            _ => false,
        }
    }

    /// Whether the token endpoint refused the client id or secret (fix them; retrying
    /// will not help). Unlike [`is_unauthorized`](Error::is_unauthorized), a `401` of
    /// the API itself does not count.
    pub fn credentials_refused(&self) -> bool {
        matches!(self, Error::Token(e) if e.credentials_refused())
    }

    /// How long the server's last answer asked the client to wait before trying
    /// again (its `Retry-After`), if it said. The retries wait at most the policy's
    /// [`retry_after_limit`](crate::retry::RetryPolicy::retry_after_limit), so a longer value
    /// here means the server asked for more than the client waited.
    ///
    /// ```
    /// # fn report(error: &crewsense::Error) {
    /// if let Some(wait) = error.retry_after() {
    ///     eprintln!("CrewSense asks to come back in {} s", wait.as_secs());
    /// }
    /// # }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } | Error::UnexpectedResponse { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// The messages of the API's error document (empty for other errors).
    ///
    /// ```
    /// # fn show(error: &crewsense::Error) {
    /// for message in error.api_messages() {
    ///     eprintln!("CrewSense says: {message}");
    /// }
    /// # }
    /// ```
    pub fn api_messages(&self) -> &[String] {
        match self {
            Error::Unauthorized { messages, .. } | Error::Api { messages, .. } => &messages.0,
            _ => &[],
        }
    }

    /// The spec's `operationId` of the failed call, when known.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Unauthorized { operation, .. }
            | Error::Api { operation, .. }
            | Error::UnexpectedResponse { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Transport { operation, .. }
            | Error::CallTimeout { operation, .. }
            | Error::InvalidRequest { operation, .. } => *operation,
            Error::FileTooLarge { operation, .. } => Some(operation),
            Error::Config(_) | Error::Token(_) | Error::Paging(_) => None,
        }
    }

    /// Maps the generated client's error, using what the call's exchange log recorded
    /// (operation, status, content type) where the error itself does not carry it.
    pub(crate) async fn from_generated(
        error: crewsense_gen::Error<types::Error>,
        exchange: Option<Exchange>,
    ) -> Self {
        use crewsense_gen::Error as Gen;

        let operation = exchange.as_ref().map(|e| e.operation);
        let status = exchange.as_ref().and_then(|e| e.status);
        let retry_after = exchange.as_ref().and_then(|e| e.retry_after);
        let content_type = exchange.and_then(|e| e.content_type);
        match error {
            Gen::InvalidRequest(message) | Gen::Custom(message) => {
                Error::InvalidRequest { operation, message }
            }
            Gen::CommunicationError(source)
            | Gen::InvalidUpgrade(source)
            | Gen::ResponseBodyError(source) => Error::Transport {
                operation,
                source: TransportError::new(source),
            },
            Gen::ErrorResponse(answer) => {
                let status = answer.status();
                let body = answer.into_inner();
                let messages = body.error_message.unwrap_or_default();
                if status == StatusCode::UNAUTHORIZED {
                    Error::Unauthorized {
                        operation,
                        messages,
                    }
                } else {
                    Error::Api {
                        operation,
                        status,
                        code: body.error,
                        messages,
                        retry_after,
                    }
                }
            }
            Gen::InvalidResponsePayload(body, source) => match status {
                Some(StatusCode::UNAUTHORIZED) => Error::Unauthorized {
                    operation,
                    messages: Messages::default(),
                },
                Some(status) if status.is_client_error() || status.is_server_error() => {
                    Error::UnexpectedResponse {
                        operation,
                        status,
                        content_type,
                        excerpt: excerpt(&body),
                        retry_after,
                    }
                }
                _ => Error::Decode {
                    operation,
                    path: crewsense_gen::decode::error_path(&source),
                    status,
                    content_type,
                    excerpt: excerpt(&body),
                    source,
                },
            },
            Gen::UnexpectedResponse(response) => {
                let status = response.status();
                let content_type = header_text(&response, CONTENT_TYPE).or(content_type);
                // The body only feeds the excerpt; if it cannot be read the status says enough.
                let body = response.bytes().await.unwrap_or_default();
                Error::UnexpectedResponse {
                    operation,
                    status,
                    content_type,
                    excerpt: excerpt(&body),
                    retry_after: None,
                }
            }
        }
    }
}

fn op(operation: Option<&'static str>) -> &'static str {
    operation.unwrap_or("request")
}

fn at_path(path: &Option<String>) -> String {
    path.as_ref()
        .map_or_else(String::new, |path| format!(" at `{path}`"))
}

fn status_text(status: Option<StatusCode>) -> String {
    status.map_or_else(|| "unknown-status".to_owned(), |status| status.to_string())
}

fn wait_suffix(retry_after: Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |wait| {
        format!(" (the server asked to retry after {} s)", wait.as_secs())
    })
}

fn message_suffix(messages: &Messages) -> String {
    if messages.0.is_empty() {
        String::new()
    } else {
        format!(": {messages}")
    }
}

/// A request that could not be sent, or whose answer could not be read in full: no
/// connection, a timeout, or a connection that broke mid-answer. The HTTP library's
/// own error is the [`source`](std::error::Error::source).
#[derive(Debug, Clone)]
pub struct TransportError(Arc<reqwest::Error>);

impl TransportError {
    pub(crate) fn new(error: reqwest::Error) -> Self {
        Self(Arc::new(error))
    }

    /// Whether the connect timeout or the request timeout ran out.
    pub fn is_timeout(&self) -> bool {
        self.0.is_timeout()
    }

    /// Whether no connection could be made.
    pub fn is_connect(&self) -> bool {
        self.0.is_connect()
    }

    /// Whether the request could be sent again: anything but a request the HTTP
    /// library could not build.
    pub(crate) fn is_retryable(&self) -> bool {
        !self.0.is_builder()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_timeout() {
            "timed out"
        } else if self.is_connect() {
            "could not connect"
        } else if self.0.is_body() || self.0.is_decode() {
            "the answer broke off"
        } else {
            "the request failed"
        })
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}
