//! Success answers: plain JSON and the acknowledgement objects of write endpoints.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::{Value, json};

use crate::error::{ApiError, json_response};

/// What every handler returns.
pub(crate) type ApiResult = Result<Response, ApiError>;

/// 200 with a JSON body.
pub(crate) fn ok(body: Value) -> ApiResult {
    Ok(json_response(StatusCode::OK, &body))
}

/// 200 with `body` written as JSON, for answers too large to build as a `Value`
/// first.
pub(crate) fn ok_serialized(body: &impl Serialize) -> ApiResult {
    Ok(json_response(StatusCode::OK, body))
}

/// 201 with a JSON body.
pub(crate) fn created(body: Value) -> ApiResult {
    Ok(json_response(StatusCode::CREATED, &body))
}

/// `{success: true}`, the bare acknowledgement some endpoints send.
pub(crate) fn success() -> ApiResult {
    ok(json!({ "success": true }))
}

/// `{success, code: 200, status: "ok", message}` plus `id` when given.
pub(crate) fn done(message: impl Into<String>, id: Option<u64>) -> ApiResult {
    ok(ack(200, "ok", message.into(), id))
}

/// `{success, code: 201, status: "created", message, id}` with HTTP status 201.
pub(crate) fn done_created(message: impl Into<String>, id: u64) -> ApiResult {
    created(ack(201, "created", message.into(), Some(id)))
}

/// The acknowledgement object of the write endpoints.
pub(crate) fn ack(code: u16, status: &str, message: String, id: Option<u64>) -> Value {
    let mut body = json!({ "success": true, "code": code, "status": status, "message": message });
    if let Some(id) = id {
        body["id"] = json!(id);
    }
    body
}
