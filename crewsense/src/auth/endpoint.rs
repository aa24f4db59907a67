//! The OAuth token endpoint: the client-credentials request, and reading its answer
//! into a token or a typed error.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crewsense_gen::types::AccessToken;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::cache::{Fetch, Grant};
use crate::error::{content, excerpt, header_text, is_retryable_status};

/// Why no access token could be obtained. Excerpts never contain the client secret or
/// a token: both are replaced by `<redacted>` before the excerpt is cut.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint refused the client id or secret (`400` or `401`).
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
    /// page, invalid JSON, or JSON without `access_token` or `expires_in`.
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

    /// The token endpoint could not be reached, or its answer could not be read.
    #[error("the token endpoint could not be reached")]
    Transport(#[source] Arc<reqwest::Error>),
}

impl TokenError {
    /// The status the token endpoint answered with, if an answer arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            TokenError::BadCredentials { status, .. }
            | TokenError::ServerError { status, .. }
            | TokenError::InvalidAnswer { status, .. } => Some(*status),
            TokenError::Transport(_) => None,
        }
    }

    /// Whether a later attempt may succeed: transport failures, `429` and gateway errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            TokenError::Transport(source) => !source.is_builder(),
            other => other.status().is_some_and(is_retryable_status),
        }
    }

    /// Whether the token endpoint did not answer in time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, TokenError::Transport(source) if source.is_timeout())
    }
}

/// Requests tokens with the client-credentials grant.
pub(crate) struct TokenEndpoint {
    pub(crate) http: reqwest::Client,
    pub(crate) url: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: SecretString,
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("url", &self.url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish_non_exhaustive()
    }
}

impl Fetch for TokenEndpoint {
    async fn fetch(&self) -> Result<Grant, TokenError> {
        let transport = |e| TokenError::Transport(Arc::new(e));
        let form = [
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
            ("grant_type", "client_credentials"),
        ];
        let response = self
            .http
            .post(self.url.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .form(&form)
            .send()
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
            secret: &self.client_secret,
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
        let answer: AccessToken = match serde_json::from_slice(self.body) {
            Ok(answer) => answer,
            Err(e) => return Err(self.invalid("not a JSON token answer", Some(e))),
        };
        let Some(lifetime) = answer.expires_in else {
            return Err(self.invalid("it has no expires_in", None));
        };
        let Some(lifetime) = u64::try_from(lifetime.get()).ok().filter(|&s| s > 0) else {
            return Err(self.invalid("expires_in is not a positive number of seconds", None));
        };
        // A token that cannot go into an Authorization header would fail every call.
        if answer.access_token.is_empty() || HeaderValue::from_str(&answer.access_token).is_err() {
            return Err(self.invalid("access_token is empty or not valid in a header", None));
        }
        Ok(Grant {
            token: answer.access_token.into(),
            lifetime: Duration::from_secs(lifetime),
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
                "it has no expires_in",
            ),
            (
                200,
                r#"{"access_token":"tok-SECRET","expires_in":0}"#,
                "expires_in is not a positive number of seconds",
            ),
            (
                200,
                r#"{"access_token":"tok\nSECRET","expires_in":60}"#,
                "access_token is empty or not valid in a header",
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
