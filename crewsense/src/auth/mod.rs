//! Access tokens: fetched with the client-credentials grant (retried under the
//! client's [`RetryPolicy`](crate::retry::RetryPolicy)), cached, and refreshed in the
//! background a margin before they expire (by the client's own clock, counted from
//! when the answer arrived), with one refresh in flight however many tasks need a
//! token. A caller holding a valid token never waits for a refresh. After a failed
//! fetch the next one waits a backoff (1 s, doubling up to 60 s); meanwhile callers
//! without a valid token get the last error at once.
//!
//! A token answer is checked before it is used: `access_token` must be a non-empty
//! string that fits in a header; `token_type`, if present, must be `bearer` (any
//! case), since the client sends nothing else; the lifetime is `expires_in` seconds
//! (a number or a numeric string, fractions allowed), or without it the time until
//! `expires`, and must be positive. Lifetimes longer than [`MAX_TOKEN_LIFETIME`] are
//! cut to it. Anything else is a [`TokenError::InvalidAnswer`], never a panic.
//!
//! The client id and secret come from a [`CredentialProvider`], asked before every
//! token request: a fixed pair ([`Credentials`]), the environment
//! ([`EnvCredentials`]), a file ([`FileCredentials`]) or one of the caller's own. When
//! the token endpoint refuses them, the provider is asked once more and one more
//! request is sent before the refusal is reported.
//!
//! Tokens and the client secret are held as [`secrecy::SecretString`] and never
//! printed: not by `Debug`, not in errors, not in `tracing` events.

mod cache;
mod clock;
mod credentials;
mod endpoint;
mod env_credentials;
mod file_credentials;
mod transport;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

pub(crate) use cache::TokenCache;
pub use clock::{Clock, TokioClock};
pub use credentials::{Ask, CredentialProvider, Credentials, CredentialsError, CredentialsFuture};
pub(crate) use endpoint::TokenEndpoint;
pub use endpoint::TokenError;
pub use env_credentials::EnvCredentials;
pub use file_credentials::FileCredentials;
pub(crate) use transport::Authorizing;

/// A token as handed to one call; its identity tells the cache which token the API
/// rejected.
pub(crate) type Token = Arc<SecretString>;

/// The longest a token is trusted to live: 30 days. A token answer that claims more
/// (say `expires_in: 9223372036854775807`) is refreshed after this.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// Where the client's access tokens come from.
pub(crate) enum Auth {
    /// A token the caller obtained elsewhere; never refreshed.
    Static(Token),
    /// Tokens fetched with client credentials and refreshed ahead of expiry.
    ClientCredentials(TokenCache<TokenEndpoint>),
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

impl Auth {
    /// How long the current token has left; `None` for a static token, whose
    /// lifetime the client does not know.
    pub(crate) fn expires_in(&self) -> Option<Duration> {
        match self {
            Auth::Static(_) => None,
            Auth::ClientCredentials(cache) => cache.expires_in(),
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
