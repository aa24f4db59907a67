//! `config.toml` beside `credentials.toml`: preferences, not secrets. It names the
//! default profile and keeps, per profile, the output format and the organisation's
//! time zone. Flags win over it, and it wins over the built-in defaults.
//!
//! ```toml
//! default_profile = "station1"
//!
//! [profiles.station1]
//! format = "csv"
//! timezone = "America/Phoenix"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::failure::Failure;
use crate::output::Format;

/// The file name inside `<config dir>/crewsense/`.
const FILE_NAME: &str = "config.toml";

/// The profile used when nothing names one.
pub const DEFAULT_PROFILE: &str = "default";

/// The whole file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The profile used when neither `--profile` nor `CREWSENSE_PROFILE` names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// The preferences of each profile.
    #[serde(default)]
    pub profiles: BTreeMap<String, Preferences>,
}

/// What one profile prefers.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// The output format when `--format` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// The organisation's IANA time zone, for `--at now`, when `--tz` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

impl Config {
    /// The profile `chosen` names (`--profile` or `CREWSENSE_PROFILE`), else the
    /// file's default profile, else `default`.
    pub fn profile_name(&self, chosen: Option<&str>) -> String {
        chosen
            .or(self.default_profile.as_deref())
            .unwrap_or(DEFAULT_PROFILE)
            .to_owned()
    }

    /// The preferences of profile `name` (none if it has no table).
    pub fn preferences(&self, name: &str) -> Preferences {
        self.profiles.get(name).cloned().unwrap_or_default()
    }
}

/// `config.toml` in the user's config directory, beside `credentials.toml`.
pub fn path() -> Result<PathBuf, Failure> {
    crate::credentials::path().map(|credentials| credentials.with_file_name(FILE_NAME))
}

/// The file at `path`; no file is an empty configuration.
pub fn load(path: &Path) -> Result<Config, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(Failure::usage(format!("{}: {e}", path.display()))),
    };
    toml::from_str(&text).map_err(|e| Failure::toml(path, &text, &e))
}

/// Stores `timezone` as the time zone of profile `name`, keeping the rest of the file
/// (comments aside); the file is replaced atomically, with the user's usual
/// permissions.
pub fn store_timezone(path: &Path, name: &str, timezone: &str) -> Result<(), Failure> {
    let mut config = load(path)?;
    config.profiles.entry(name.to_owned()).or_default().timezone = Some(timezone.to_owned());
    let text = toml::to_string(&config)
        .map_err(|e| Failure::usage(format!("{}: cannot encode: {e}", path.display())))?;
    let io = |e: std::io::Error| Failure::usage(format!("{}: {e}", path.display()));
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let temporary = dir.join(format!(".{FILE_NAME}.{}", std::process::id()));
    std::fs::write(&temporary, text).map_err(io)?;
    std::fs::rename(&temporary, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_named_profile_wins_over_the_files_default_and_that_over_default() {
        let config: Config = toml::from_str(
            "default_profile = \"station1\"\n[profiles.station1]\nformat = \"csv\"\ntimezone = \"America/Phoenix\"\n",
        )
        .unwrap();
        assert_eq!(config.profile_name(Some("other")), "other");
        assert_eq!(config.profile_name(None), "station1");
        assert_eq!(Config::default().profile_name(None), "default");
        let station = config.preferences("station1");
        assert_eq!(station.format, Some(Format::Csv));
        assert_eq!(station.timezone.as_deref(), Some("America/Phoenix"));
        assert_eq!(config.preferences("other").format, None);
    }

    #[test]
    fn a_bad_format_is_a_usage_error_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "[profiles.a]\n\nformat = \"xml\"\n").unwrap();
        let error = load(&path).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.to_string().contains("line 3"), "{error}");
    }
}
