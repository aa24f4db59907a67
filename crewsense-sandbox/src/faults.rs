//! Fault injection: latency (global or per route) and queued faults that replace
//! or spoil the next answers of a route.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::{FutureExt, StreamExt};

use crate::error::{ApiError, json_response};
use crate::lock::lock;

/// What to do to one request instead of (or on top of) answering it normally.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this HTTP status without running the handler: 401 sends the
    /// documented invalid-token body, 429 adds `Retry-After: 1`, 502 sends an HTML
    /// page (as a gateway would), any other code a JSON error body.
    Status(u16),
    /// Run the handler (so a write is stored), then answer as [`Fault::Status`] with
    /// this code instead of its answer: a server that failed after doing the work.
    StatusAfterHandling(u16),
    /// 429 with `Retry-After` set to this many seconds.
    RateLimited {
        /// The `Retry-After` value, in seconds.
        retry_after: u64,
    },
    /// 200 with `Content-Type: application/json` and a body that is not JSON.
    MalformedJson,
    /// The real answer cut in half; `Content-Length` matches the cut body, so the
    /// HTTP exchange completes but the JSON does not parse.
    TruncatedJson,
    /// The real answer's full `Content-Length` is declared, half of the body is
    /// sent, then the connection is closed.
    Disconnect,
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// The real answer with its full `Content-Length`, but only half of the body
    /// at once; the rest follows after this long (a server stalling mid-body).
    SlowBody(Duration),
    /// The real answer with exactly one value inside a record (a field, at any
    /// depth, of an array element or of an entry of a date- or id-keyed map; never
    /// `null`, never under `metadata`, `pagination`, `links`, `href`, `next` or
    /// `prev`) replaced by a form PHP backends send, of another JSON kind:
    /// `"0000-00-00"`, `"0000-00-00 00:00:00"`, `""`, `"N/A"`, `"yes"`, `false`,
    /// `{}`, `[]` or `12345`. `seed` picks the value and the form, so the same
    /// seed on the same answer garbles the same way. What was done is reported
    /// by [`crate::Sandbox::garbled`]; an error answer, or one with no value
    /// inside a record (`{"success": true}`), is sent unchanged and not reported.
    Garble {
        /// Chooses the value and its replacement.
        seed: u64,
    },
}

/// Queued faults and configured latency.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    inner: Mutex<FaultsInner>,
}

#[derive(Debug, Default)]
struct FaultsInner {
    queued: HashMap<String, VecDeque<Fault>>,
    latency: Duration,
    route_latency: HashMap<String, Duration>,
}

/// The route key that matches every route.
pub(crate) const ANY_ROUTE: &str = "*";

impl Faults {
    /// Queues `fault` for the next `times` requests of `route`.
    pub(crate) fn push(&self, route: String, times: usize, fault: Fault) {
        let mut inner = lock(&self.inner);
        inner
            .queued
            .entry(route)
            .or_default()
            .extend(std::iter::repeat_n(fault, times));
    }

    /// Takes the next fault for `route` (its own queue first, then the any-route queue).
    pub(crate) fn take(&self, route: &str) -> Option<Fault> {
        let mut inner = lock(&self.inner);
        [route, ANY_ROUTE]
            .iter()
            .find_map(|key| inner.queued.get_mut(*key).and_then(VecDeque::pop_front))
    }

    /// Faults still queued for `route`.
    pub(crate) fn pending(&self, route: &str) -> usize {
        lock(&self.inner).queued.get(route).map_or(0, VecDeque::len)
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        lock(&self.inner).latency = latency;
    }

    pub(crate) fn set_route_latency(&self, route: String, latency: Duration) {
        lock(&self.inner).route_latency.insert(route, latency);
    }

    /// The latency of `route`: its own if set, else the global one.
    pub(crate) fn latency(&self, route: &str) -> Duration {
        let inner = lock(&self.inner);
        inner
            .route_latency
            .get(route)
            .copied()
            .unwrap_or(inner.latency)
    }

    /// Forgets every queued fault and latency.
    pub(crate) fn clear(&self) {
        *lock(&self.inner) = FaultsInner::default();
    }
}

const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// The answer that replaces the handler's, for faults that do not need it.
pub(crate) fn replacement(fault: &Fault) -> Option<Response> {
    match fault {
        Fault::Status(401) => Some(ApiError::Unauthorized.into_response()),
        Fault::Status(429) => Some(rate_limited(1)),
        Fault::RateLimited { retry_after } => Some(rate_limited(*retry_after)),
        Fault::Status(502) => {
            let mut r = (StatusCode::BAD_GATEWAY, HTML_502).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            Some(r)
        }
        Fault::Status(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let reason = status.canonical_reason().unwrap_or("error");
            let error = reason.to_lowercase().replace(' ', "_");
            let body = serde_json::json!({
                "status": status.as_u16(),
                "error": error,
                "error_message": format!("{reason} (injected by the sandbox)"),
            });
            Some(json_response(status, &body))
        }
        Fault::MalformedJson => Some(json_response_raw("{\"data\": [{\"id\": 1,, oops</html>")),
        Fault::StatusAfterHandling(_)
        | Fault::Garble { .. }
        | Fault::TruncatedJson
        | Fault::Disconnect
        | Fault::Delay(_)
        | Fault::SlowBody(_) => None,
    }
}

fn rate_limited(retry_after: u64) -> Response {
    let mut r = ApiError::TooManyRequests("Too many requests. Slow down.".into()).into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    r
}

fn json_response_raw(body: &'static str) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Replaces or spoils the handler's answer for the faults that let the handler run:
/// [`Fault::StatusAfterHandling`], [`Fault::TruncatedJson`], [`Fault::Disconnect`]
/// and [`Fault::SlowBody`].
pub(crate) async fn spoil(fault: &Fault, response: Response) -> Response {
    match fault {
        Fault::StatusAfterHandling(code) => {
            return replacement(&Fault::Status(*code)).unwrap_or(response);
        }
        Fault::TruncatedJson | Fault::Disconnect | Fault::SlowBody(_) => {}
        _ => return response,
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    let rest = bytes.slice(bytes.len() / 2..);
    parts.headers.remove(header::CONTENT_LENGTH);
    if *fault == Fault::TruncatedJson {
        return Response::from_parts(parts, Body::from(half));
    }
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let head = futures::stream::once(async move { Ok::<_, std::io::Error>(half) });
    let tail = match *fault {
        Fault::SlowBody(pause) => futures::stream::once(
            async move {
                tokio::time::sleep(pause).await;
                Ok::<Bytes, _>(rest)
            }
            .boxed(),
        ),
        // The error comes a moment after the first half, so that the status line,
        // the headers and the half body reach the client before the connection drops.
        _ => futures::stream::once(
            async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(std::io::Error::other("connection closed by the sandbox"))
            }
            .boxed(),
        ),
    };
    Response::from_parts(parts, Body::from_stream(head.chain(tail)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queues_per_route_then_any() {
        let faults = Faults::default();
        faults.push("GET /users".into(), 2, Fault::Status(503));
        faults.push(ANY_ROUTE.into(), 1, Fault::MalformedJson);
        assert_eq!(faults.take("GET /users"), Some(Fault::Status(503)));
        assert_eq!(faults.pending("GET /users"), 1);
        assert_eq!(faults.take("GET /labels"), Some(Fault::MalformedJson));
        assert_eq!(faults.take("GET /labels"), None);
        assert_eq!(faults.take("GET /users"), Some(Fault::Status(503)));
        assert_eq!(faults.take("GET /users"), None);
    }

    #[test]
    fn route_latency_overrides_global() {
        let faults = Faults::default();
        faults.set_latency(Duration::from_millis(5));
        faults.set_route_latency("GET /users".into(), Duration::from_millis(50));
        assert_eq!(faults.latency("GET /users"), Duration::from_millis(50));
        assert_eq!(faults.latency("GET /labels"), Duration::from_millis(5));
    }
}
