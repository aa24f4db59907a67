//! [`EnvCredentials`]: the client id and secret in two environment variables, read
//! at every ask.

use super::{Ask, CredentialProvider, Credentials, CredentialsError, CredentialsFuture};
use crate::config::{ENV_CLIENT_ID, ENV_CLIENT_SECRET};

/// Credentials in environment variables, `CREWSENSE_CLIENT_ID` and
/// `CREWSENSE_CLIENT_SECRET` unless [`from_vars`](Self::from_vars) names others. They
/// are read before every token request, not once when the client is built, so a
/// change the process makes to them is followed. `Debug` shows the variables' names
/// only.
///
/// ```
/// use std::sync::Arc;
///
/// use crewsense::auth::EnvCredentials;
///
/// let client = crewsense::Client::builder()
///     .credential_provider(Arc::new(EnvCredentials::from_vars("STATION1_ID", "STATION1_SECRET")))
///     .build()?;
/// # let _ = client;
/// # Ok::<(), crewsense::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvCredentials {
    id_var: String,
    secret_var: String,
}

impl EnvCredentials {
    /// `CREWSENSE_CLIENT_ID` and `CREWSENSE_CLIENT_SECRET`.
    pub fn new() -> Self {
        Self::from_vars(ENV_CLIENT_ID, ENV_CLIENT_SECRET)
    }

    /// The client id in `id_var`, the secret in `secret_var`.
    pub fn from_vars(id_var: impl Into<String>, secret_var: impl Into<String>) -> Self {
        Self {
            id_var: id_var.into(),
            secret_var: secret_var.into(),
        }
    }

    fn read(&self) -> Result<Credentials, CredentialsError> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.is_empty())
                .ok_or_else(|| CredentialsError::MissingEnv {
                    variable: name.to_owned(),
                })
        };
        Ok(Credentials::new(var(&self.id_var)?, var(&self.secret_var)?))
    }
}

impl Default for EnvCredentials {
    fn default() -> Self {
        Self::new()
    }
}

impl CredentialProvider for EnvCredentials {
    fn credentials(&self, _ask: Ask) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.read()))
    }
}
