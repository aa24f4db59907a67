//! Where the client id and secret come from: the [`CredentialProvider`] trait, asked
//! before every token request, the [`Credentials`] it returns (a fixed pair is its own
//! provider), and why a provider could not answer ([`CredentialsError`]).

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use secrecy::SecretString;

/// What [`CredentialProvider::credentials`] returns: a boxed future, so that the trait
/// can be used as `Arc<dyn CredentialProvider>`.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of client credentials, asked before every token request.
///
/// The client asks its provider whenever it needs a token: the first time, ahead of
/// expiry, after the API rejected a token. When the token endpoint refuses what the
/// provider returned, the client asks once more, with [`Ask::Refused`], and sends one
/// more token request with the answer before it reports
/// [`credentials_refused`](crate::Error::credentials_refused): a secret rotated in
/// the provider's source is picked up at once, a wrong one costs exactly one extra
/// request. Tokens already obtained stay in use until they expire or the API rejects
/// them, whatever the provider says meanwhile.
///
/// Implementations in this crate: [`Credentials`] (a fixed pair),
/// [`EnvCredentials`](super::EnvCredentials) (environment variables, read at each ask)
/// and [`FileCredentials`](super::FileCredentials) (a TOML or JSON file, or a profile of
/// the command line's `credentials.toml`, read again when it changes). A secret manager
/// is one `impl` away:
///
/// ```
/// use std::sync::Arc;
///
/// use crewsense::auth::{Ask, CredentialProvider, Credentials, CredentialsError, CredentialsFuture};
///
/// /// Fetches the current secret from a vault of the department's own.
/// #[derive(Debug)]
/// struct Vault;
///
/// impl Vault {
///     async fn secret(&self, _name: &str) -> Result<String, std::io::Error> {
///         Ok("the-current-secret".into())
///     }
/// }
///
/// impl CredentialProvider for Vault {
///     fn credentials(&self, _ask: Ask) -> CredentialsFuture<'_> {
///         Box::pin(async move {
///             let secret = self.secret("crewsense").await.map_err(CredentialsError::other)?;
///             Ok(Credentials::new("my-client-id", secret))
///         })
///     }
/// }
///
/// let client = crewsense::Client::builder()
///     .credential_provider(Arc::new(Vault))
///     .build()?;
/// # let _ = client;
/// # Ok::<(), crewsense::ConfigError>(())
/// ```
///
/// `Debug` is required so that the client can be printed; it must not show the
/// secret (a [`Credentials`] prints it as `<redacted>`).
pub trait CredentialProvider: fmt::Debug + Send + Sync {
    /// The credentials to send with the next token request. Called once per token
    /// request, never while another call for the same client is in flight.
    fn credentials(&self, ask: Ask) -> CredentialsFuture<'_>;
}

/// Why the client asks a [`CredentialProvider`] for credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ask {
    /// A token request is about to be sent.
    TokenDue,
    /// The token endpoint just refused the credentials returned for this token
    /// request; the client sends one more with the answer to this ask. A provider
    /// that caches should look at its source again.
    Refused,
}

/// A client id and secret. `Debug` shows the id and hides the secret.
///
/// A `Credentials` is also the simplest [`CredentialProvider`]: it always returns
/// itself, as [`ClientBuilder::client_credentials`](crate::ClientBuilder::client_credentials)
/// does.
#[derive(Clone)]
pub struct Credentials {
    client_id: String,
    client_secret: SecretString,
}

impl Credentials {
    /// The credentials of an API client (CrewSense settings, API).
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret (`secrecy::ExposeSecret` reads it).
    pub fn client_secret(&self) -> &SecretString {
        &self.client_secret
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &format_args!("<redacted>"))
            .finish()
    }
}

impl CredentialProvider for Credentials {
    fn credentials(&self, _ask: Ask) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

/// Why a [`CredentialProvider`] returned no credentials. Messages name files and
/// variables, never the secret.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// An environment variable is not set, empty, or not Unicode.
    #[error("the environment variable {variable} is not set, empty or not Unicode")]
    MissingEnv {
        /// The variable's name.
        variable: String,
    },

    /// A credentials file could not be read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: Arc<io::Error>,
    },

    /// A credentials file can be read or written by its group or by others, so its
    /// secret is not used.
    #[error(
        "{path} can be read by other users (mode {mode:03o}), so its secrets are refused; \
         make it private with `chmod 600 {path}`",
        path = .path.display()
    )]
    NotPrivate {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },

    /// A credentials file does not hold credentials: not TOML or JSON, no such
    /// profile, a field missing or not a string.
    #[error("{}{}: {reason}", .path.display(), line_suffix(*.line))]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The line at fault, when the parser knows it.
        line: Option<usize>,
        /// What is wrong (never a quote of the file).
        reason: String,
    },

    /// The provider returned an empty client id or secret.
    #[error("the credential provider returned an empty {0}")]
    Empty(&'static str),

    /// A provider of the caller's own failed.
    #[error("the credential provider failed: {0}")]
    Other(#[source] Arc<dyn StdError + Send + Sync>),
}

impl CredentialsError {
    /// A failure of a provider of the caller's own. Its message must not hold the
    /// secret: it is shown in errors and logs.
    pub fn other(error: impl StdError + Send + Sync + 'static) -> Self {
        CredentialsError::Other(Arc::new(error))
    }

    /// The file at fault, for the errors of a file.
    pub fn path(&self) -> Option<&Path> {
        match self {
            CredentialsError::Io { path, .. }
            | CredentialsError::NotPrivate { path, .. }
            | CredentialsError::Malformed { path, .. } => Some(path),
            CredentialsError::MissingEnv { .. }
            | CredentialsError::Empty(_)
            | CredentialsError::Other(_) => None,
        }
    }

    /// Whether the file was refused because others can read it.
    pub fn is_not_private(&self) -> bool {
        matches!(self, CredentialsError::NotPrivate { .. })
    }
}

fn line_suffix(line: Option<usize>) -> String {
    line.map(|line| format!(" line {line}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use futures::FutureExt;
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn a_fixed_pair_returns_itself_and_hides_its_secret() {
        let fixed = Credentials::new("id-1", "s3cr3t-fixed");
        let got = fixed
            .credentials(Ask::Refused)
            .now_or_never()
            .expect("ready at once")
            .unwrap();
        assert_eq!(got.client_id(), "id-1");
        assert_eq!(got.client_secret().expose_secret(), "s3cr3t-fixed");
        let debug = format!("{fixed:?} {fixed:#?}");
        assert!(
            debug.contains("id-1") && !debug.contains("s3cr3t"),
            "{debug}"
        );
    }
}
