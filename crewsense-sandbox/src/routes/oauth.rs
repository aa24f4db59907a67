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

/// `POST /oauth/access_token`: form-encoded (or JSON) `client_id`, `client_secret`,
/// `grant_type=client_credentials`.
async fn access_token(State(app): State<App>, body: Body) -> Response {
    let field = |name: &str| {
        body.0
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned()
    };
    let (id, secret, grant) = (
        field("client_id"),
        field("client_secret"),
        field("grant_type"),
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
    if id != app.auth.client_id() || secret != app.auth.client_secret() {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        );
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
