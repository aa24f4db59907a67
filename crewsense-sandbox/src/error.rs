//! The API's error bodies: `{status, error, error_message}`, where `error_message`
//! is a string, or an array of strings for 422 validation failures.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

use crate::limits::BODY_BYTES;

/// An error answer of the emulated API.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ApiError {
    /// 400 `bad_request`.
    BadRequest(String),
    /// 401 `unauthorized` with the documented message.
    Unauthorized,
    /// 404 `not found`; the message names the missing model, as production does.
    NotFound(String),
    /// 405: the path exists but not with this method.
    MethodNotAllowed,
    /// 409 `conflict`.
    Conflict(String),
    /// 413 `payload_too_large`: the body is longer than [`BODY_BYTES`], the most the
    /// sandbox reads.
    PayloadTooLarge,
    /// 422 `invalid_params` with one message per problem.
    Invalid(Vec<String>),
    /// 429 `too_many_requests`.
    TooManyRequests(String),
    /// 503 `service_unavailable`: the sandbox is shutting down.
    Unavailable,
}

impl ApiError {
    /// 404 for a missing record of `model` (e.g. `Label`).
    pub(crate) fn missing(model: &str) -> Self {
        Self::NotFound(format!("No query results for model [{model}]."))
    }

    /// 422 with a single message.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(vec![message.into()])
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> Value {
        let (error, message) = match self {
            Self::BadRequest(m) => ("bad_request", json!(m)),
            Self::Unauthorized => ("unauthorized", json!("Access token is not valid")),
            Self::NotFound(m) => ("not found", json!(m)),
            Self::MethodNotAllowed => ("method_not_allowed", json!("Method not allowed")),
            Self::Conflict(m) => ("conflict", json!(m)),
            Self::PayloadTooLarge => (
                "payload_too_large",
                json!(format!(
                    "The request body may not be larger than {BODY_BYTES} bytes."
                )),
            ),
            Self::Invalid(m) => ("invalid_params", json!(m)),
            Self::TooManyRequests(m) => ("too_many_requests", json!(m)),
            Self::Unavailable => ("service_unavailable", json!("The sandbox is stopping")),
        };
        json!({ "status": self.status().as_u16(), "error": error, "error_message": message })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status(), &self.body())
    }
}

/// A JSON response with the given status.
pub(crate) fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    // Only a map with keys that are not strings fails to serialise, and the
    // sandbox writes none; should one appear, it is a 500, not a panic.
    let Ok(bytes) = serde_json::to_vec(body) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the answer could not be written",
        )
            .into_response();
    };
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
