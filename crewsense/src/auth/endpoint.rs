//! The OAuth token endpoint: the client-credentials request, and reading its answer
//! into a token or a typed error.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use url::Url;

use super::cache::{Fetch, Grant};
use super::{Ask, CredentialProvider, Credentials, CredentialsError, MAX_TOKEN_LIFETIME};
use crate::TransportError;
use crate::response::{content, excerpt, header_text};
use crate::retry::Retrying;
use crate::retry::is_retryable_status;

/// Why no access token could be obtained. Excerpts never contain the client secret or
/// a token: both are replaced by `<redacted>` before the excerpt is cut.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint refused the client id or secret (`400` or `401`), also
    /// the credentials the provider returned when asked again
    /// ([`Ask::Refused`](super::Ask::Refused)). Not retried further.
    /// [`credentials_refused`](TokenError::credentials_refused) asks for this case.
    #[error("the token endpoint refused the client credentials ({status}): {detail}")]
    BadCredentials {
        /// The status of the answer.
        status: StatusCode,
        /// The start of the answer's body.
        detail: String,
    },

    /// The token endpoint answered with another error status (typically `5xx`).
    #[error("the token endpoint failed with {status} ({}): {excerpt}", content(.content_type))]
    ServerError {
        /// The status of the answer.
        status: StatusCode,
        /// The answer's `Content-Type`, if it had one.
        content_type: Option<String>,
        /// The start of the answer's body.
        excerpt: String,
    },

    /// The token endpoint answered with success, but not with a usable token: an HTML
    /// page, invalid JSON, an empty `access_token`, a `token_type` other than `bearer`,
    /// or a lifetime that is missing, not a number, or not in the future.
    #[error("the token endpoint's {status} answer ({}) is not a usable token: {reason}: {excerpt}", content(.content_type))]
    InvalidAnswer {
        /// The status of the answer.
        status: StatusCode,
        /// The answer's `Content-Type`, if it had one.
        content_type: Option<String>,
        /// What is wrong with it.
        reason: &'static str,
        /// The start of the answer's body.
        excerpt: String,
        /// The JSON decoder's complaint, when the body did not decode.
        #[source]
        source: Option<Arc<serde_json::Error>>,
    },

    /// The [`CredentialProvider`](super::CredentialProvider) returned no credentials
    /// (an unreadable or public file, a missing variable...), so no token request
    /// was sent. [`credentials_error`](TokenError::credentials_error) returns it.
    #[error("no client credentials: {0}")]
    Credentials(#[source] CredentialsError),

    /// The token endpoint could not be reached, or its answer could not be read.
    #[error("the token endpoint could not be reached: {0}")]
    Transport(#[source] TransportError),

    /// The token request stopped before it got an answer: its task was cancelled, as
    /// when the tokio runtime shuts down, or no tokio runtime was running.
    #[error("the token request was interrupted before it got an answer")]
    Interrupted,
}

impl TokenError {
    /// The status the token endpoint answered with, if an answer arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            TokenError::BadCredentials { status, .. }
            | TokenError::ServerError { status, .. }
            | TokenError::InvalidAnswer { status, .. } => Some(*status),
            TokenError::Credentials(_) | TokenError::Transport(_) | TokenError::Interrupted => None,
        }
    }

    /// Whether a later attempt may succeed: transport failures, `408`, `429` and
    /// gateway errors (the statuses the client's [`RetryPolicy`](crate::retry::RetryPolicy)
    /// retries).
    pub fn is_retryable(&self) -> bool {
        match self {
            TokenError::Transport(source) => source.is_retryable(),
            TokenError::Interrupted => true,
            other => other.status().is_some_and(is_retryable_status),
        }
    }

    /// Whether the token endpoint refused the client id or secret: fix the
    /// credentials, retrying will not help.
    pub fn credentials_refused(&self) -> bool {
        matches!(self, TokenError::BadCredentials { .. })
    }

    /// Why the credential provider returned no credentials, if that is why no token
    /// could be obtained.
    pub fn credentials_error(&self) -> Option<&CredentialsError> {
        match self {
            TokenError::Credentials(error) => Some(error),
            _ => None,
        }
    }

    /// Whether the token endpoint did not answer in time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, TokenError::Transport(source) if source.is_timeout())
    }
}

/// Requests tokens with the client-credentials grant, retried under the client's
/// policy, with the credentials its provider returns for each request.
pub(crate) struct TokenEndpoint {
    pub(crate) http: reqwest::Client,
    pub(crate) url: Url,
    pub(crate) credentials: Arc<dyn CredentialProvider>,
    pub(crate) retry: Retrying,
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("url", &self.url.as_str())
            .field("credentials", &self.credentials)
            .field("retry", &self.retry.policy())
            .finish_non_exhaustive()
    }
}

impl Fetch for TokenEndpoint {
    /// One token request, and one more with what the provider returns when asked
    /// again if the first credentials are refused.
    async fn fetch(&self) -> Result<Grant, TokenError> {
        let credentials = self.credentials(Ask::TokenDue).await?;
        match self.request(&credentials).await {
            Err(refused) if refused.credentials_refused() => {
                tracing::debug!(
                    "the token endpoint refused the client credentials; \
                     asking their provider again"
                );
                let again = self.credentials(Ask::Refused).await?;
                self.request(&again).await
            }
            answer => answer,
        }
    }
}

impl TokenEndpoint {
    /// The provider's credentials, if neither the id nor the secret is empty.
    async fn credentials(&self, ask: Ask) -> Result<Credentials, TokenError> {
        let credentials = self
            .credentials
            .credentials(ask)
            .await
            .map_err(TokenError::Credentials)?;
        if credentials.client_id().trim().is_empty() {
            return Err(TokenError::Credentials(CredentialsError::Empty(
                "client id",
            )));
        }
        if credentials.client_secret().expose_secret().is_empty() {
            return Err(TokenError::Credentials(CredentialsError::Empty(
                "client secret",
            )));
        }
        Ok(credentials)
    }

    /// One token request (retried under the policy) with `credentials`.
    async fn request(&self, credentials: &Credentials) -> Result<Grant, TokenError> {
        let transport = |e| TokenError::Transport(TransportError::new(e));
        let form = [
            ("client_id", credentials.client_id()),
            ("client_secret", credentials.client_secret().expose_secret()),
            ("grant_type", "client_credentials"),
        ];
        let request = self
            .http
            .post(self.url.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .form(&form)
            .build()
            .map_err(transport)?;
        let response = self
            .retry
            .send_token_request(&self.http, request)
            .await
            .map_err(transport)?;
        let status = response.status();
        let content_type = header_text(&response, CONTENT_TYPE);
        let body = response.bytes().await.map_err(transport)?;
        tracing::debug!(%status, "CrewSense token endpoint answered");
        Answer {
            status,
            content_type,
            body: &body,
            secret: credentials.client_secret(),
        }
        .read()
    }
}

/// One answer of the token endpoint, and the secret to keep out of its excerpts.
struct Answer<'a> {
    status: StatusCode,
    content_type: Option<String>,
    body: &'a [u8],
    secret: &'a SecretString,
}

impl Answer<'_> {
    fn read(self) -> Result<Grant, TokenError> {
        match self.status {
            StatusCode::BAD_REQUEST | StatusCode::UNAUTHORIZED => {
                return Err(TokenError::BadCredentials {
                    status: self.status,
                    detail: self.excerpt(),
                });
            }
            status if !status.is_success() => {
                return Err(TokenError::ServerError {
                    status,
                    excerpt: self.excerpt(),
                    content_type: self.content_type,
                });
            }
            _ => {}
        }
        let answer: Value = match serde_json::from_slice(self.body) {
            Ok(answer) => answer,
            Err(e) => return Err(self.invalid("not a JSON token answer", Some(e))),
        };
        let token = match answer.get("access_token") {
            Some(Value::String(token)) if !token.is_empty() => token,
            _ => return Err(self.invalid("access_token is missing, empty or not a string", None)),
        };
        // A token that cannot go into an Authorization header would fail every call.
        if HeaderValue::from_str(token).is_err() {
            return Err(self.invalid("access_token is not valid in a header", None));
        }
        // The client sends the token as a bearer token; any other kind would be refused.
        match answer.get("token_type") {
            None | Some(Value::Null) => {}
            Some(Value::String(kind)) if kind.eq_ignore_ascii_case("bearer") => {}
            Some(_) => return Err(self.invalid("token_type is not bearer", None)),
        }
        let lifetime = match lifetime(&answer, SystemTime::now()) {
            Ok(lifetime) => lifetime,
            Err(reason) => return Err(self.invalid(reason, None)),
        };
        Ok(Grant {
            token: token.as_str().into(),
            lifetime,
        })
    }

    fn invalid(self, reason: &'static str, source: Option<serde_json::Error>) -> TokenError {
        TokenError::InvalidAnswer {
            status: self.status,
            reason,
            excerpt: self.excerpt(),
            content_type: self.content_type,
            source: source.map(Arc::new),
        }
    }

    /// The start of the body with the client secret and token values blanked out.
    fn excerpt(&self) -> String {
        let text = String::from_utf8_lossy(self.body);
        let mut text = redact_fields(&text, &["access_token", "refresh_token", "client_secret"]);
        let secret = self.secret.expose_secret();
        if !secret.is_empty() {
            text = text.replace(secret, REDACTED);
        }
        excerpt(text.as_bytes())
    }
}

const REDACTED: &str = "<redacted>";

/// How long the token of `answer` lives from now: its `expires_in` seconds (a number
/// or a numeric string, fractions kept), or without one the time until its `expires`
/// (Unix seconds) by the system clock; at most [`MAX_TOKEN_LIFETIME`].
fn lifetime(answer: &Value, now: SystemTime) -> Result<Duration, &'static str> {
    let present = |key| answer.get(key).filter(|v| !v.is_null());
    let seconds = match (present("expires_in"), present("expires")) {
        (Some(expires_in), _) => {
            let seconds = seconds(expires_in).ok_or("expires_in is not a number of seconds")?;
            if seconds <= 0.0 {
                return Err("expires_in is not a positive number of seconds");
            }
            seconds
        }
        (None, Some(expires)) => {
            let at = seconds(expires).ok_or("expires is not a number of seconds")?;
            let now = now
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0.0, |since| since.as_secs_f64());
            let seconds = at - now;
            if seconds <= 0.0 {
                return Err("it has no expires_in and its expires is not in the future");
            }
            seconds
        }
        (None, None) => return Err("it has neither expires_in nor expires"),
    };
    // In range by now: positive, finite, and at most the cap, so this cannot panic.
    Ok(Duration::from_secs_f64(
        seconds.min(MAX_TOKEN_LIFETIME.as_secs_f64()),
    ))
}

/// A JSON number or numeric string as finite seconds.
fn seconds(value: &Value) -> Option<f64> {
    let seconds = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(text) => text.trim().parse().ok()?,
        _ => return None,
    };
    seconds.is_finite().then_some(seconds)
}

/// Replaces the string value of each `"key": "..."` member of JSON-like text, even in
/// a body too broken to parse (the value runs to its closing quote or the end).
fn redact_fields(text: &str, keys: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = next_value(rest, keys) {
        out.push_str(&rest[..start]);
        out.push_str(REDACTED);
        rest = &rest[start + string_len(&rest[start..])..];
    }
    out.push_str(rest);
    out
}

/// Where the first string value of a member named in `keys` starts (after its quote).
fn next_value(text: &str, keys: &[&str]) -> Option<usize> {
    keys.iter()
        .filter_map(|key| {
            let quoted = format!("\"{key}\"");
            text.match_indices(&quoted).find_map(|(at, _)| {
                let value = text[at + quoted.len()..].trim_start().strip_prefix(':')?;
                let inner = value.trim_start().strip_prefix('"')?;
                Some(text.len() - inner.len())
            })
        })
        .min()
}

/// The length of a JSON string's content up to (not including) its closing quote, or
/// of all of `value` if the quote is missing.
fn string_len(value: &str) -> usize {
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i,
            _ => {}
        }
    }
    value.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(status: u16, body: &str) -> Result<Grant, TokenError> {
        let secret = SecretString::from("s3cr3t");
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            content_type: Some("application/json".into()),
            body: body.as_bytes(),
            secret: &secret,
        }
        .read()
    }

    #[test]
    fn a_token_answer_yields_its_lifetime() {
        let grant = read(
            200,
            r#"{"access_token":"abc","token_type":"bearer","expires":1,"expires_in":"86400"}"#,
        )
        .unwrap();
        assert_eq!(grant.token.expose_secret(), "abc");
        assert_eq!(grant.lifetime, Duration::from_secs(86_400));
    }

    #[test]
    fn unusable_answers_are_typed_and_keep_tokens_out_of_excerpts() {
        let cases = [
            (
                200,
                r#"{"access_token":"tok-SECRET","expires":1426274440}"#,
                "it has no expires_in and its expires is not in the future",
            ),
            (
                200,
                r#"{"access_token":"tok-SECRET","expires_in":0}"#,
                "expires_in is not a positive number of seconds",
            ),
            (
                200,
                r#"{"access_token":"tok\nSECRET","expires_in":60}"#,
                "access_token is not valid in a header",
            ),
            (
                200,
                r#"{"access_token":"tok-SECRET", "expires_in": 3"#,
                "not a JSON token answer",
            ),
            (
                200,
                "<html><body>Login</body></html>",
                "not a JSON token answer",
            ),
        ];
        for (status, body, expected) in cases {
            match read(status, body) {
                Err(TokenError::InvalidAnswer {
                    reason, excerpt, ..
                }) => {
                    assert_eq!(reason, expected, "{body}");
                    assert!(!excerpt.contains("SECRET"), "{excerpt}");
                }
                other => panic!("{body}: {:?}", other.map(|g| g.lifetime)),
            }
        }
    }

    #[test]
    fn error_statuses_are_typed_and_keep_the_secret_out() {
        let bad = read(
            401,
            r#"{"error":"invalid_client","client_secret":"s3cr3t"}"#,
        )
        .unwrap_err();
        assert!(
            matches!(&bad, TokenError::BadCredentials { detail, .. } if !detail.contains("s3cr3t"))
        );
        let echoed = read(400, "client s3cr3t is unknown").unwrap_err();
        assert_eq!(
            echoed.to_string(),
            format!(
                "the token endpoint refused the client credentials (400 Bad Request): client {REDACTED} is unknown"
            )
        );
        let down = read(502, "<html>Bad gateway</html>").unwrap_err();
        assert!(matches!(down, TokenError::ServerError { .. }));
        assert!(down.is_retryable());
        assert!(!bad.is_retryable());
    }

    #[test]
    fn redaction_handles_escapes_spacing_and_truncation() {
        assert_eq!(
            redact_fields(
                r#"{"a":"x","access_token" : "p\"q","b":"refresh_token"}"#,
                &["access_token", "refresh_token"]
            ),
            r#"{"a":"x","access_token" : "<redacted>","b":"refresh_token"}"#
        );
        assert_eq!(
            redact_fields(r#"{"access_token":"cut-off"#, &["access_token"]),
            r#"{"access_token":"<redacted>"#
        );
        assert_eq!(
            redact_fields(r#"{"access_token":null}"#, &["access_token"]),
            r#"{"access_token":null}"#
        );
    }
}
