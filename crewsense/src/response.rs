//! What error messages quote of an HTTP answer, whatever the operation: a header as
//! text, its content type, and a short excerpt of the body.

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
