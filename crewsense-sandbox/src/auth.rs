//! OAuth 2.0 client credentials: the bearer-token registry, the credentials that
//! buy a token (the secret can be rotated) and the tokens issued (the endpoint is
//! `routes::oauth`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::lock::lock;
use crate::rng::Rng;

/// Issued tokens and the credentials that buy them.
#[derive(Debug)]
pub(crate) struct Auth {
    client_id: String,
    inner: Mutex<Tokens>,
}

#[derive(Debug)]
struct Tokens {
    /// The one secret accepted: a rotation replaces it.
    client_secret: String,
    ttl: Duration,
    rng: Rng,
    issued: HashMap<String, Instant>,
}

impl Auth {
    pub(crate) fn new(seed: u64, ttl: Duration) -> Self {
        let mut rng = Rng::new(seed.wrapping_add(0xA17));
        Self {
            client_id: format!("sandbox-{}", rng.token(12)),
            inner: Mutex::new(Tokens {
                client_secret: rng.token(40),
                ttl,
                rng,
                issued: HashMap::new(),
            }),
        }
    }

    pub(crate) fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(crate) fn client_secret(&self) -> String {
        lock(&self.inner).client_secret.clone()
    }

    /// Whether `id` and `secret` are the credentials that buy a token now.
    pub(crate) fn accepts(&self, id: &str, secret: &str) -> bool {
        id == self.client_id && secret == lock(&self.inner).client_secret
    }

    /// Replaces the secret with a new one, which it returns; the old one is refused
    /// from now on. With `revoke`, every token issued so far is revoked too.
    pub(crate) fn rotate(&self, revoke: bool) -> String {
        let mut t = lock(&self.inner);
        t.client_secret = t.rng.token(40);
        if revoke {
            t.issued.clear();
        }
        t.client_secret.clone()
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

    #[test]
    fn a_rotation_refuses_the_old_secret_and_revokes_only_when_asked() {
        let auth = Auth::new(1, Duration::from_secs(60));
        let (id, old) = (auth.client_id().to_owned(), auth.client_secret());
        assert!(auth.accepts(&id, &old));
        let (kept, _) = auth.issue();

        let new = auth.rotate(false);
        assert_ne!(new, old);
        assert_eq!(auth.client_secret(), new);
        assert!(auth.accepts(&id, &new) && !auth.accepts(&id, &old));
        assert!(auth.is_valid(&kept), "tokens outlive a plain rotation");

        let newer = auth.rotate(true);
        assert!(auth.accepts(&id, &newer) && !auth.accepts(&id, &new));
        assert!(
            !auth.is_valid(&kept),
            "a revoking rotation ends every token"
        );
    }
}
