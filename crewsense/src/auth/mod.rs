//! Access tokens: fetched with the client-credentials grant, cached until a margin
//! before they expire (by the client's own clock, counted from when the answer
//! arrived), with one refresh in flight however many tasks need a token.
//!
//! Tokens and the client secret are held as [`secrecy::SecretString`] and never
//! printed: not by `Debug`, not in errors, not in `tracing` events.

mod cache;
mod clock;
mod endpoint;

use std::fmt;
use std::sync::Arc;

use secrecy::SecretString;

pub(crate) use cache::TokenCache;
pub use clock::{Clock, TokioClock};
pub(crate) use endpoint::TokenEndpoint;
pub use endpoint::TokenError;

/// A token as handed to one call; its identity tells the cache which token the API
/// rejected.
pub(crate) type Token = Arc<SecretString>;

/// Where the client's access tokens come from.
pub(crate) enum Auth {
    /// A token the caller obtained elsewhere; never refreshed.
    Static(Token),
    /// Tokens fetched with client credentials and refreshed ahead of expiry.
    ClientCredentials(Box<TokenCache<TokenEndpoint>>),
}

impl Auth {
    /// The token to send now.
    pub(crate) async fn token(&self) -> Result<Token, TokenError> {
        match self {
            Auth::Static(token) => Ok(token.clone()),
            Auth::ClientCredentials(cache) => cache.token().await,
        }
    }

    /// Forgets `token` after the API rejected it. Returns whether a different token may
    /// be fetched, that is whether resending is worth it.
    pub(crate) fn reject(&self, token: &Token) -> bool {
        match self {
            Auth::Static(_) => false,
            Auth::ClientCredentials(cache) => {
                cache.invalidate(token);
                true
            }
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Static(_) => f.write_str("StaticToken(<redacted>)"),
            Auth::ClientCredentials(cache) => cache.fmt(f),
        }
    }
}
