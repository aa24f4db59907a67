//! The token endpoint, `POST /oauth/access_token` (OAuth 2.0 client credentials).

use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;

use crate::error::json_response;
use crate::extract::Body;
use crate::state::App;

pub(super) fn routes() -> Router<App> {
    Router::new().route("/oauth/access_token", post(access_token))
}

fn oauth_error(status: StatusCode, error: &str, message: &str) -> Response {
    json_response(
        status,
        &json!({ "status": status.as_u16(), "error": error, "error_message": message }),
    )
}

/// A string field of a form or JSON body; `""` when it is absent or not a string.
pub(super) fn field<'a>(body: &'a Body, name: &str) -> &'a str {
    body.0.get(name).and_then(|v| v.as_str()).unwrap_or("")
}

/// The answer to credentials that buy no token.
pub(super) fn invalid_client() -> Response {
    oauth_error(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "Client authentication failed.",
    )
}

/// `POST /oauth/access_token`: form-encoded (or JSON) `client_id`, `client_secret`,
/// `grant_type=client_credentials`.
async fn access_token(State(app): State<App>, body: Body) -> Response {
    let (id, secret, grant) = (
        field(&body, "client_id"),
        field(&body, "client_secret"),
        field(&body, "grant_type"),
    );
    if id.is_empty() || secret.is_empty() || grant.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request is missing a required parameter: client_id, client_secret and grant_type.",
        );
    }
    if grant != "client_credentials" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        );
    }
    if !app.auth.accepts(id, secret) {
        return invalid_client();
    }
    let (token, ttl) = app.auth.issue();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let body = json!({
        "access_token": token,
        "token_type": "bearer",
        "expires": (now + ttl).as_secs(),
        "expires_in": ttl.as_secs(),
    });
    (StatusCode::OK, axum::Json(body)).into_response()
}
