//! The two middlewares: `observe` (the body limit, counters, latency, faults) wraps
//! every route; `require_token` guards the `/v1` API.

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use crate::counters::{RECORDED_BODY_LIMIT, RecordedRequest};
use crate::error::ApiError;
use crate::faults::{Fault, replacement, spoil};
use crate::garble::garble;
use crate::limits::BODY_BYTES;
use crate::route_key::route_key;
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

/// Reads the body (refusing one over the limit), applies latency and any queued
/// fault, records the outcome.
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
    let (parts, body) = req.into_parts();
    let (response, body) = match read_body(body).await {
        Ok(body) => {
            let kept = recorded_body(&body);
            let req = Request::from_parts(parts, Body::from(body));
            (answer(&app, &route, req, next).await, kept)
        }
        // Refused before anything else: no fault is used up, no latency waited for.
        Err((error, read)) => (error.into_response(), recorded_body(&read)),
    };
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

/// The answer to a request of `route`, with its latency and any queued fault.
async fn answer(app: &App, route: &str, req: Request, next: Next) -> Response {
    // The latency is the answer time the route is given, the emulator's own work
    // included, as a server's answer time includes its own; it is not added on top.
    let answer_at = tokio::time::Instant::now() + app.faults.latency(route);
    let response = match app.faults.take(route) {
        None => next.run(req).await,
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(req).await
        }
        Some(Fault::Garble { seed }) => {
            let (response, garbled) = garble(seed, route, next.run(req).await).await;
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

/// The whole body, if it is at most [`BODY_BYTES`] long. Otherwise 413, however long
/// it is (a declared length says so before anything is read; reading stops at the
/// limit), or 400 if it breaks off; each with what was read of it.
async fn read_body(body: Body) -> Result<Vec<u8>, (ApiError, Vec<u8>)> {
    let declared = body.size_hint().lower();
    if declared > BODY_BYTES as u64 {
        return Err((ApiError::PayloadTooLarge, Vec::new()));
    }
    let mut read = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        let Ok(chunk) = chunk else {
            let error = ApiError::BadRequest("The request body could not be read.".into());
            return Err((error, read));
        };
        if chunk.len() > BODY_BYTES.saturating_sub(read.len()) {
            return Err((ApiError::PayloadTooLarge, read));
        }
        read.extend_from_slice(&chunk);
    }
    Ok(read)
}

/// The start of a body for the request log, copied, so that the log holds no more
/// than it keeps.
fn recorded_body(body: &[u8]) -> Bytes {
    Bytes::copy_from_slice(&body[..body.len().min(RECORDED_BODY_LIMIT)])
}

/// Answers the documented 401 unless the request carries a valid bearer token.
pub(crate) async fn require_token(State(app): State<App>, req: Request, next: Next) -> Response {
    match bearer(req.headers()) {
        Some(token) if app.auth.is_valid(&token) => next.run(req).await,
        _ => ApiError::Unauthorized.into_response(),
    }
}
