//! The sandbox's own control endpoint, for a sandbox running as a process (the
//! [`Sandbox`](crate::Sandbox) handle does the same in a test):
//! `POST /sandbox/rotate_credentials` and `POST /sandbox/expire_tokens`.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use super::oauth::{field, invalid_client};
use crate::extract::Body;
use crate::state::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/sandbox/rotate_credentials", post(rotate_credentials))
        .route("/sandbox/expire_tokens", post(expire_tokens))
}

/// Whether `body` carries the current `client_id` and `client_secret` (form-encoded
/// or JSON, as for a token): a control request needs them.
fn authorized(app: &App, body: &Body) -> bool {
    app.auth
        .accepts(field(body, "client_id"), field(body, "client_secret"))
}

/// `POST /sandbox/rotate_credentials`: with the current `client_id` and
/// `client_secret` (form-encoded or JSON, as for a token), issues a new secret and
/// refuses the old one from then on; `revoke_tokens=true` also revokes every token
/// issued so far. Answers `{client_id, client_secret, tokens_revoked}`.
async fn rotate_credentials(State(app): State<App>, body: Body) -> Response {
    if !authorized(&app, &body) {
        return invalid_client();
    }
    let revoke = match body.0.get("revoke_tokens") {
        Some(Value::Bool(revoke)) => *revoke,
        Some(Value::String(text)) => matches!(text.as_str(), "true" | "1"),
        _ => false,
    };
    let secret = app.auth.rotate(revoke);
    let answer = json!({
        "client_id": app.auth.client_id(),
        "client_secret": secret,
        "tokens_revoked": revoke,
    });
    (StatusCode::OK, axum::Json(answer)).into_response()
}

/// `POST /sandbox/expire_tokens`: with the current credentials, expires every token
/// issued so far (as [`Sandbox::expire_tokens`](crate::Sandbox::expire_tokens)), so
/// that each client's next call is refused and it must ask for a new token.
/// Answers `204 No Content`.
async fn expire_tokens(State(app): State<App>, body: Body) -> Response {
    if !authorized(&app, &body) {
        return invalid_client();
    }
    app.auth.expire_all();
    StatusCode::NO_CONTENT.into_response()
}
