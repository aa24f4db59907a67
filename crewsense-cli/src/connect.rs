//! Which API a command talks to and with which credentials: the embedded sandbox,
//! a stored profile, or the environment.

use std::path::Path;
use std::sync::Arc;

use crewsense::Client;
use crewsense::auth::FileCredentials;
use crewsense_sandbox::{Department, Sandbox};

use crate::args::Global;
use crate::credentials;
use crate::failure::Failure;

/// A client, and the sandbox it talks to if `--sandbox` (kept running while the
/// client is in use).
pub struct Connection {
    /// The client.
    pub client: Client,
    _sandbox: Option<Sandbox>,
}

/// Connects as `global` says: `--sandbox` or `--sandbox-department`, then `--profile` (or
/// `CREWSENSE_PROFILE`), then the environment, then `default_profile` (config.toml's,
/// else `default`) if the credentials file exists.
pub async fn connect(global: &Global, default_profile: &str) -> Result<Connection, Failure> {
    if global.sandbox || global.sandbox_department.is_some() {
        let mut builder = Sandbox::builder();
        if let Some(dir) = &global.sandbox_department {
            // A capture that cannot be read is the caller's input: a usage error
            // naming the file, not a failure of the sandbox.
            let department = Department::load(dir)
                .map_err(|e| Failure::usage(format!("--sandbox-department: {e}")))?;
            builder = builder.loaded_department(department);
        }
        let sandbox = builder
            .start()
            .await
            .map_err(|e| Failure::Api(format!("could not start the sandbox: {e}")))?;
        let client = Client::builder()
            .client_credentials(sandbox.client_id(), sandbox.client_secret())
            .base_url(sandbox.base_url())
            .token_url(sandbox.token_url())
            .build()?;
        return Ok(Connection {
            client,
            _sandbox: Some(sandbox),
        });
    }
    let path = credentials::path()?;
    let client = match &global.profile {
        Some(name) => from_profile(&path, name)?,
        None if std::env::var_os("CREWSENSE_CLIENT_ID").is_some() => Client::from_env()?,
        None if path.exists() => from_profile(&path, default_profile)?,
        None => Client::from_env()?,
    };
    Ok(Connection {
        client,
        _sandbox: None,
    })
}

/// The client of profile `name`. The client's credentials are read from the profile at every token request, so that a
/// command running while `crewsense auth login` rewrites the profile goes on with the
/// new secret. The profile is read once here too, for its base URL, and to report a missing profile or a public file before anything is sent.
fn from_profile(path: &Path, name: &str) -> Result<Client, Failure> {
    let profile = credentials::load(path, name)?;
    let mut builder =
        Client::builder().credential_provider(Arc::new(FileCredentials::profile(path, name)));
    if let Some(url) = profile
        .base_url
        .or_else(|| std::env::var("CREWSENSE_BASE_URL").ok())
    {
        builder = builder.base_url(url);
    }
    Ok(builder.build()?)
}
