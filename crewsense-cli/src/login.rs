//! `crewsense auth login`: reads the secret without it touching the command line,
//! and stores the profile.

use std::io::{BufRead, IsTerminal};

use secrecy::SecretString;

use crate::config;
use crate::credentials::{self, Profile};
use crate::failure::Failure;

/// Stores `client_id`, a secret read from stdin (or prompted for on a terminal) and
/// `base_url` as profile `name` in credentials.toml, and `timezone` in config.toml.
pub fn login(
    name: &str,
    client_id: String,
    base_url: Option<String>,
    timezone: Option<String>,
) -> Result<(), Failure> {
    if let Some(zone) = &timezone {
        zone.parse::<chrono_tz::Tz>().map_err(|_| {
            Failure::usage(format!(
                "--tz `{zone}` is not an IANA time zone name (such as America/Phoenix)"
            ))
        })?;
    }
    let secret = read_secret()?;
    let path = credentials::path()?;
    let profile = Profile {
        client_id,
        client_secret: secret,
        base_url,
    };
    credentials::store(&path, name, &profile)?;
    eprintln!("Stored profile `{name}` in {}.", path.display());
    if let Some(zone) = timezone {
        let path = config::path()?;
        config::store_timezone(&path, name, &zone)?;
        eprintln!("Stored its time zone {zone} in {}.", path.display());
    }
    Ok(())
}

fn read_secret() -> Result<SecretString, Failure> {
    let secret = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Client secret: ")
            .map_err(|e| Failure::usage(format!("could not read the client secret: {e}")))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("could not read the client secret: {e}")))?;
        line
    };
    let secret = secret.trim_end_matches(['\r', '\n']);
    if secret.is_empty() {
        return Err(Failure::usage(
            "no client secret given: pipe it to standard input or type it at the prompt",
        ));
    }
    Ok(SecretString::from(secret.to_owned()))
}
