//! What the client makes of any HTTP exchange, whatever the operation: a header as
//! text, a short excerpt of the body for error messages, which statuses are worth
//! asking again, and [`TransportError`] for a request that got no whole answer (it
//! keeps the HTTP library behind `source()`).

use std::fmt;
use std::sync::Arc;

use reqwest::StatusCode;

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

/// A header's value as text, if present and printable.
pub(crate) fn header_text(
    response: &reqwest::Response,
    name: reqwest::header::HeaderName,
) -> Option<String> {
    response
        .headers()
        .get(name)?
        .to_str()
        .ok()
        .map(str::to_owned)
}

/// The longest excerpt of a body kept in an error, in characters.
const EXCERPT_CHARS: usize = 200;

/// The start of a body for an error message: whitespace runs collapsed, cut at
/// [`EXCERPT_CHARS`] characters with an ellipsis.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > EXCERPT_CHARS {
            let mut cut: String = out.chars().take(EXCERPT_CHARS).collect();
            cut.push('…');
            return cut;
        }
    }
    out
}

/// A content type for a message, or a note that there was none.
pub(crate) fn content(content_type: &Option<String>) -> &str {
    content_type.as_deref().unwrap_or("no content type")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_single_line() {
        assert_eq!(
            excerpt(b"  <html>\n  <body>Bad   gateway</body>\n</html> "),
            "<html> <body>Bad gateway</body> </html>"
        );
        let long = "x".repeat(10_000);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }
}
