//! Request counters: calls per route, token requests, `304 Not Modified` answers,
//! the bearer tokens seen, and the values garbled by [`crate::Fault::Garble`].

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::HeaderMap;

use crate::garble::Garbled;
use crate::state::lock;

/// One request as the sandbox saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The route key, `METHOD /path/{template}` (without the `/v1` prefix).
    pub route: String,
    /// The concrete path and query string that was requested.
    pub path_and_query: String,
    /// The bearer token presented, if any.
    pub token: Option<String>,
    /// The status the sandbox answered (a fault's status included).
    pub status: u16,
    /// The request headers, without `Authorization` (see `token`).
    pub headers: HeaderMap,
    /// The request body, cut at [`RECORDED_BODY_LIMIT`] bytes.
    pub body: Bytes,
}

/// The most bytes of a request body that the request log keeps.
pub const RECORDED_BODY_LIMIT: usize = 64 * 1024;

/// Everything counted so far.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    inner: Mutex<CountersInner>,
}

#[derive(Debug, Default)]
struct CountersInner {
    per_route: HashMap<String, usize>,
    not_modified: usize,
    tokens_seen: Vec<String>,
    log: Vec<RecordedRequest>,
    garbled: Vec<Garbled>,
}

/// The canonical route key: upper-case method, one space, the path template
/// without the `/v1` prefix or a trailing slash (`"get /v1/users/"` -> `"GET /users"`).
pub(crate) fn route_key(route: &str) -> String {
    let route = route.trim();
    let (method, path) = route.split_once(char::is_whitespace).unwrap_or(("", route));
    let path = path.trim();
    let path = path
        .strip_prefix("/v1")
        .filter(|p| p.is_empty() || p.starts_with('/'))
        .unwrap_or(path);
    let path = match path.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    if method.is_empty() {
        path.to_owned()
    } else {
        format!("{} {}", method.to_uppercase(), path)
    }
}

impl Counters {
    pub(crate) fn record(&self, request: RecordedRequest) {
        let mut inner = lock(&self.inner);
        *inner.per_route.entry(request.route.clone()).or_default() += 1;
        if request.status == 304 {
            inner.not_modified += 1;
        }
        if let Some(token) = request
            .token
            .as_ref()
            .filter(|t| !inner.tokens_seen.contains(t))
        {
            inner.tokens_seen.push(token.clone());
        }
        inner.log.push(request);
    }

    pub(crate) fn requests(&self, route: &str) -> usize {
        lock(&self.inner).per_route.get(route).copied().unwrap_or(0)
    }

    pub(crate) fn not_modified(&self) -> usize {
        lock(&self.inner).not_modified
    }

    pub(crate) fn garbled(&self, garbled: Garbled) {
        lock(&self.inner).garbled.push(garbled);
    }

    pub(crate) fn garbled_so_far(&self) -> Vec<Garbled> {
        lock(&self.inner).garbled.clone()
    }

    pub(crate) fn total(&self) -> usize {
        lock(&self.inner).log.len()
    }

    pub(crate) fn tokens_seen(&self) -> Vec<String> {
        lock(&self.inner).tokens_seen.clone()
    }

    pub(crate) fn log(&self) -> Vec<RecordedRequest> {
        lock(&self.inner).log.clone()
    }

    pub(crate) fn reset(&self) {
        *lock(&self.inner) = CountersInner::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_route_keys() {
        assert_eq!(route_key("get /v1/users/"), "GET /users");
        assert_eq!(route_key("GET /users/{user_id}"), "GET /users/{user_id}");
        assert_eq!(
            route_key("POST /oauth/access_token"),
            "POST /oauth/access_token"
        );
        assert_eq!(route_key("GET /v1"), "GET /");
        assert_eq!(route_key("*"), "*");
    }
}
