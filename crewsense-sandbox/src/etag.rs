//! Validators for reads: every successful JSON answer to a GET carries a strong
//! `ETag` (a hash of its body), and a GET whose `If-None-Match` names the
//! current tag is answered `304 Not Modified` without a body, as production
//! does for polling integrators.

use std::hash::{DefaultHasher, Hasher};

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The strong entity tag of a body: its length and a 64-bit hash, quoted.
pub(crate) fn tag(body: &[u8]) -> HeaderValue {
    // `DefaultHasher::new()` hashes with fixed keys, so a body keeps its tag for
    // the life of the process, which is all a validator needs.
    let mut hasher = DefaultHasher::new();
    hasher.write(body);
    let value = format!("\"{:x}-{:016x}\"", body.len(), hasher.finish());
    HeaderValue::try_from(value).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Whether `If-None-Match` names `current` (weak comparison, as RFC 9110 asks
/// for this header: a `W/` prefix is ignored; `*` matches any tag).
fn none_match(headers: &HeaderMap, current: &HeaderValue) -> bool {
    let current = current.to_str().unwrap_or_default();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == current)
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Tags the 200 JSON answers of GET and HEAD, and answers 304 when the client
/// already has the current one.
pub(crate) async fn etag(req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next.run(req).await;
    }
    let request_headers = req.headers().clone();
    let response = next.run(req).await;
    if response.status() != StatusCode::OK || !is_json(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The handlers' bodies are complete in memory: buffering cannot fail.
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let current = tag(&bytes);
    if none_match(&request_headers, &current) {
        let mut not_modified = Response::new(Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        not_modified.headers_mut().insert(header::ETAG, current);
        return not_modified;
    }
    parts.headers.insert(header::ETAG, current);
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_if_none_match(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn tags_are_strong_stable_and_differ_by_body() {
        let a = tag(b"{\"a\":1}");
        assert_eq!(a, tag(b"{\"a\":1}"));
        assert_ne!(a, tag(b"{\"a\":2}"));
        assert!(a.to_str().unwrap().starts_with("\"7-"));
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let current = tag(b"[]");
        let listed = format!("W/\"x\", W/{}", current.to_str().unwrap());
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, listed.parse().unwrap());
        assert!(none_match(&headers, &current));
        assert!(none_match(&with_if_none_match("*"), &current));
        assert!(!none_match(&with_if_none_match("\"other\""), &current));
        assert!(!none_match(&HeaderMap::new(), &current));
    }
}
