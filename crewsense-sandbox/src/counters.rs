//! Request counters: calls per route, token requests, `304 Not Modified` answers,
//! the bearer tokens seen, and the values garbled by [`crate::Fault::Garble`]; and the
//! request log, a ring of the last requests, so that a sandbox that runs for long
//! keeps a bounded amount of them while its counts stay exact.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::HeaderMap;

use crate::garble::Garbled;
use crate::lock::lock;

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

/// The most distinct bearer tokens that [`crate::Sandbox::tokens_seen`] keeps: the
/// first ones presented. A client takes one per token fetch, so a test never gets
/// near it; it bounds what a client sending a new made-up token with every request
/// can make the sandbox hold.
pub const TOKENS_SEEN_LIMIT: usize = 1_000;

/// Everything counted so far.
#[derive(Debug)]
pub(crate) struct Counters {
    inner: Mutex<CountersInner>,
}

#[derive(Debug)]
struct CountersInner {
    per_route: HashMap<String, usize>,
    total: usize,
    not_modified: usize,
    tokens_seen: Vec<String>,
    /// The last `log_capacity` requests, oldest first.
    log: VecDeque<RecordedRequest>,
    log_capacity: usize,
    garbled: Vec<Garbled>,
}

impl CountersInner {
    fn new(log_capacity: usize) -> Self {
        Self {
            per_route: HashMap::new(),
            total: 0,
            not_modified: 0,
            tokens_seen: Vec::new(),
            log: VecDeque::new(),
            log_capacity,
            garbled: Vec::new(),
        }
    }
}

impl Counters {
    /// Counters whose request log keeps the last `log_capacity` requests.
    pub(crate) fn new(log_capacity: usize) -> Self {
        Self {
            inner: Mutex::new(CountersInner::new(log_capacity)),
        }
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        let mut inner = lock(&self.inner);
        *inner.per_route.entry(request.route.clone()).or_default() += 1;
        inner.total += 1;
        if request.status == 304 {
            inner.not_modified += 1;
        }
        if let Some(token) = request.token.as_ref().filter(|t| {
            inner.tokens_seen.len() < TOKENS_SEEN_LIMIT && !inner.tokens_seen.contains(t)
        }) {
            inner.tokens_seen.push(token.clone());
        }
        if inner.log_capacity == 0 {
            return;
        }
        if inner.log.len() >= inner.log_capacity {
            inner.log.pop_front();
        }
        inner.log.push_back(request);
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
        lock(&self.inner).total
    }

    pub(crate) fn tokens_seen(&self) -> Vec<String> {
        lock(&self.inner).tokens_seen.clone()
    }

    pub(crate) fn log(&self) -> Vec<RecordedRequest> {
        lock(&self.inner).log.iter().cloned().collect()
    }

    /// Forgets everything counted and logged; the log keeps its capacity.
    pub(crate) fn reset(&self) {
        let mut inner = lock(&self.inner);
        *inner = CountersInner::new(inner.log_capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(token: &str) -> RecordedRequest {
        RecordedRequest {
            route: "GET /users/{user_id}".into(),
            path_and_query: "/v1/users/1001".into(),
            token: Some(token.into()),
            status: 200,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    #[test]
    fn tokens_seen_keeps_the_first_distinct_tokens_up_to_its_limit() {
        let counters = Counters::new(10);
        for i in 0..TOKENS_SEEN_LIMIT + 5 {
            counters.record(request(&format!("token-{i}")));
            counters.record(request("token-0"));
        }
        let seen = counters.tokens_seen();
        assert_eq!(seen.len(), TOKENS_SEEN_LIMIT);
        assert_eq!(seen[0], "token-0");
        assert_eq!(
            seen[TOKENS_SEEN_LIMIT - 1],
            format!("token-{}", TOKENS_SEEN_LIMIT - 1)
        );
        assert_eq!(counters.total(), 2 * (TOKENS_SEEN_LIMIT + 5));
        assert_eq!(counters.log().len(), 10);
    }

    #[test]
    fn a_log_of_capacity_zero_keeps_no_request_and_counts_them_all() {
        let counters = Counters::new(0);
        counters.record(request("a"));
        counters.record(request("b"));
        assert!(counters.log().is_empty());
        assert_eq!(counters.total(), 2);
        assert_eq!(counters.requests("GET /users/{user_id}"), 2);
        assert_eq!(counters.tokens_seen(), ["a", "b"]);
    }
}
