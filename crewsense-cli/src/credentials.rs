//! Profiles in `credentials.toml` in the user's config directory: reading them only
//! from a private file, and writing them with mode 0600.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::failure::Failure;

/// The file name inside `<config dir>/crewsense/`.
const FILE_NAME: &str = "credentials.toml";

/// One stored profile.
pub struct Profile {
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: SecretString,
    /// The API's base URL, if not the default.
    pub base_url: Option<String>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// The file's layout: `[profiles.NAME]` tables.
#[derive(Default, Serialize, Deserialize)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, StoredProfile>,
}

#[derive(Serialize, Deserialize)]
struct StoredProfile {
    client_id: String,
    client_secret: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base_url: Option<String>,
}

/// `credentials.toml` in the user's config directory (`$XDG_CONFIG_HOME/crewsense`
/// or `~/.config/crewsense` on Linux).
pub fn path() -> Result<PathBuf, Failure> {
    dirs::config_dir()
        .map(|dir| dir.join("crewsense").join(FILE_NAME))
        .ok_or_else(|| Failure::usage("no config directory is known for this user (set HOME)"))
}

/// The profile `name` from the file at `path`.
pub fn load(path: &Path, name: &str) -> Result<Profile, Failure> {
    let file = read(path)?.ok_or_else(|| {
        Failure::usage(format!(
            "{}: no such file; create the profile with `crewsense auth login --profile {name}`",
            path.display()
        ))
    })?;
    let stored = file.profiles.get(name).ok_or_else(|| {
        Failure::usage(format!(
            "{}: no profile named `{name}`; create it with `crewsense auth login --profile {name}`",
            path.display()
        ))
    })?;
    Ok(Profile {
        client_id: stored.client_id.clone(),
        client_secret: SecretString::from(stored.client_secret.clone()),
        base_url: stored.base_url.clone(),
    })
}

/// Stores `profile` as `name` in the file at `path`, keeping the other profiles; the
/// file is written with mode 0600 and replaced atomically.
pub fn store(path: &Path, name: &str, profile: &Profile) -> Result<(), Failure> {
    let mut file = read(path)?.unwrap_or_default();
    file.profiles.insert(
        name.to_owned(),
        StoredProfile {
            client_id: profile.client_id.clone(),
            client_secret: profile.client_secret.expose_secret().to_owned(),
            base_url: profile.base_url.clone(),
        },
    );
    let text = toml::to_string(&file)
        .map_err(|e| Failure::usage(format!("{}: cannot encode: {e}", path.display())))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let io = |e: std::io::Error| Failure::usage(format!("{}: {e}", path.display()));
    create_private_dir(dir).map_err(io)?;
    let temporary = dir.join(format!(".{FILE_NAME}.{}", std::process::id()));
    write_private(&temporary, text.as_bytes()).map_err(io)?;
    std::fs::rename(&temporary, path).map_err(io)
}

/// Reads and parses the file, refusing one that group or others can read.
fn read(path: &Path) -> Result<Option<File>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Failure::usage(format!("{}: {e}", path.display()))),
    };
    check_private(path)?;
    // toml's own rendering quotes the offending line, which may hold a secret.
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| Failure::toml(path, &text, &e))
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(Failure::Credentials(format!(
            "{path} can be read by other users (mode {mode:03o}), so its secrets are refused; \
             make it private with `chmod 600 {path}`",
            path = path.display(),
            mode = mode & 0o777,
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), Failure> {
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    // A file left over with wider permissions keeps them through `open`.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}
