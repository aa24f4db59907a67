//! OAuth 2.0 client credentials: the token endpoint and the bearer-token registry.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::json_response;
use crate::extract::Body;
use crate::rng::Rng;
use crate::state::{App, lock};

/// Issued tokens and the credentials that buy them.
#[derive(Debug)]
pub(crate) struct Auth {
    client_id: String,
    client_secret: String,
    inner: Mutex<Tokens>,
}

#[derive(Debug)]
struct Tokens {
    ttl: Duration,
    rng: Rng,
    issued: HashMap<String, Instant>,
}

impl Auth {
    pub(crate) fn new(seed: u64, ttl: Duration) -> Self {
        let mut rng = Rng::new(seed.wrapping_add(0xA17));
        Self {
            client_id: format!("sandbox-{}", rng.token(12)),
            client_secret: rng.token(40),
            inner: Mutex::new(Tokens {
                ttl,
                rng,
                issued: HashMap::new(),
            }),
        }
    }

    pub(crate) fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(crate) fn client_secret(&self) -> &str {
        &self.client_secret
    }

    /// Issues a new token; returns it with its lifetime.
    pub(crate) fn issue(&self) -> (String, Duration) {
        let mut t = lock(&self.inner);
        let token = t.rng.token(40);
        let ttl = t.ttl;
        t.issued.insert(token.clone(), Instant::now() + ttl);
        (token, ttl)
    }

    /// Whether `token` was issued here and has not expired or been revoked.
    pub(crate) fn is_valid(&self, token: &str) -> bool {
        lock(&self.inner)
            .issued
            .get(token)
            .is_some_and(|expiry| Instant::now() < *expiry)
    }

    /// Sets the lifetime of tokens issued from now on.
    pub(crate) fn set_ttl(&self, ttl: Duration) {
        lock(&self.inner).ttl = ttl;
    }

    /// Makes every issued token expire now.
    pub(crate) fn expire_all(&self) {
        let now = Instant::now();
        for expiry in lock(&self.inner).issued.values_mut() {
            *expiry = now;
        }
    }

    /// Revokes one token; returns whether it was known.
    pub(crate) fn revoke(&self, token: &str) -> bool {
        lock(&self.inner).issued.remove(token).is_some()
    }
}

fn oauth_error(status: StatusCode, error: &str, message: &str) -> Response {
    json_response(
        status,
        &json!({ "status": status.as_u16(), "error": error, "error_message": message }),
    )
}

/// `POST /oauth/access_token`: form-encoded (or JSON) `client_id`, `client_secret`,
/// `grant_type=client_credentials`.
pub(crate) async fn access_token(State(app): State<App>, body: Body) -> Response {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire_and_revoke() {
        let auth = Auth::new(1, Duration::from_secs(60));
        let (a, _) = auth.issue();
        let (b, _) = auth.issue();
        assert!(auth.is_valid(&a) && auth.is_valid(&b));
        assert!(auth.revoke(&a));
        assert!(!auth.is_valid(&a));
        auth.expire_all();
        assert!(!auth.is_valid(&b));
        assert!(!auth.is_valid("made-up"));
    }
}
