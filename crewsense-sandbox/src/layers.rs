//! The two middlewares: `observe` (counters, latency, faults) wraps every route;
//! `require_token` guards the `/v1` API.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use axum::body::Bytes;

use crate::counters::{RECORDED_BODY_LIMIT, RecordedRequest, route_key};
use crate::error::ApiError;
use crate::faults::{Fault, replacement, spoil};
use crate::garble::garble;
use crate::state::App;

/// The bearer token of a request, if it carries one.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// Counts the request, applies latency and any queued fault, records the outcome.
pub(crate) async fn observe(State(app): State<App>, req: Request, next: Next) -> Response {
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_owned(), |m| m.as_str().to_owned());
    let route = route_key(&format!("{} {template}", req.method()));
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(ToString::to_string)
        .unwrap_or_default();
    let token = bearer(req.headers());
    let headers = recorded_headers(req.headers());
    let (req, body) = match buffered(req).await {
        Ok(buffered) => buffered,
        Err(response) => return response,
    };

    // The latency is the answer time the route is given, the emulator's own work
    // included, as a server's answer time includes its own; it is not added on top.
    let answer_at = tokio::time::Instant::now() + app.faults.latency(&route);
    let response = match app.faults.take(&route) {
        None => next.run(req).await,
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(req).await
        }
        Some(Fault::Garble { seed }) => {
            let (response, garbled) = garble(seed, &route, next.run(req).await).await;
            if let Some(garbled) = garbled {
                app.counters.garbled(garbled);
            }
            response
        }
        Some(fault) => match replacement(&fault) {
            Some(response) => response,
            None => spoil(&fault, next.run(req).await).await,
        },
    };
    tokio::time::sleep_until(answer_at).await;
    app.counters.record(RecordedRequest {
        route,
        path_and_query,
        token,
        status: response.status().as_u16(),
        headers,
        body,
    });
    response
}

/// The request's headers for the log, without `Authorization`, their values copied:
/// the server's values share the buffer the request was read into, which an entry
/// of the log would otherwise keep alive (kilobytes for a few short headers).
fn recorded_headers(headers: &HeaderMap) -> HeaderMap {
    headers
        .iter()
        .filter(|(name, _)| *name != header::AUTHORIZATION)
        .filter_map(|(name, value)| {
            let value = HeaderValue::from_bytes(value.as_bytes()).ok()?;
            Some((name.clone(), value))
        })
        .collect()
}

/// The largest request body the sandbox reads.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Reads the whole body of `req` (the handlers get it back unchanged) and keeps a
/// copy of its start for the request log (a copy, so that the log holds no more than
/// it keeps). A body that breaks off or exceeds [`BODY_LIMIT`] is answered `400` at
/// once.
async fn buffered(req: Request) -> Result<(Request, Bytes), Response> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| {
        ApiError::BadRequest("The request body could not be read.".into()).into_response()
    })?;
    let kept = Bytes::copy_from_slice(&bytes[..bytes.len().min(RECORDED_BODY_LIMIT)]);
    Ok((
        Request::from_parts(parts, axum::body::Body::from(bytes)),
        kept,
    ))
}

/// Answers the documented 401 unless the request carries a valid bearer token.
pub(crate) async fn require_token(State(app): State<App>, req: Request, next: Next) -> Response {
    match bearer(req.headers()) {
        Some(token) if app.auth.is_valid(&token) => next.run(req).await,
        _ => ApiError::Unauthorized.into_response(),
    }
}
