//! [`FileCredentials`]: the client id and secret in a private TOML or JSON file, or
//! in a profile of the command line's `credentials.toml`, read again when the file
//! changes.

use std::fmt;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use serde_json::Value;
use tokio::io::AsyncReadExt;

use super::{Ask, CredentialProvider, Credentials, CredentialsError, CredentialsFuture};

/// The largest credentials file read: 1 MiB (credentials take a few lines).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// Credentials in a file that only its owner can read.
///
/// The file is TOML or JSON (JSON when it starts with `{`), with string fields
/// `client_id` and `client_secret`: at the top level, or in the table of one profile
/// of a file laid out as the command line's `credentials.toml`
/// (`[profiles.NAME]`, see [`profile`](Self::profile)); other fields are ignored.
///
/// ```toml
/// client_id = "my-client-id"
/// client_secret = "my-client-secret"
/// ```
///
/// Before every token request the file is opened and its metadata read; it is read
/// and parsed again only when it changed (length, modification time and, on Unix,
/// inode and status change time: a file replaced by a rename is always seen as
/// changed), or when the token endpoint has just refused what it held. A file that
/// its group or others can access (any of the mode bits `0o077` on Unix) is refused
/// with [`CredentialsError::NotPrivate`], as the command line refuses it. Errors name
/// the file and, for a syntax error, the line, never quote it. `Debug` shows the path
/// and the profile only.
///
/// ```no_run
/// use std::sync::Arc;
///
/// use crewsense::auth::FileCredentials;
///
/// // Rewrite the file (write a new one beside it, then rename it over the old one)
/// // and the next token request uses the new secret.
/// let client = crewsense::Client::builder()
///     .credential_provider(Arc::new(FileCredentials::new("/etc/crewsense/credentials.toml")))
///     .build()?;
/// # let _ = client;
/// # Ok::<(), crewsense::ConfigError>(())
/// ```
pub struct FileCredentials {
    path: PathBuf,
    profile: Option<String>,
    /// The credentials last read, and the stamp of the file they came from.
    last: Mutex<Option<(Stamp, Credentials)>>,
}

impl FileCredentials {
    /// The `client_id` and `client_secret` at the top level of the file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            profile: None,
            last: Mutex::new(None),
        }
    }

    /// The `client_id` and `client_secret` of `[profiles.NAME]` in the file at `path`,
    /// the layout of the command line's `credentials.toml` (which `crewsense auth
    /// login` writes and replaces atomically).
    ///
    /// ```toml
    /// [profiles.station1]
    /// client_id = "my-client-id"
    /// client_secret = "my-client-secret"
    /// base_url = "https://api.crewsense.com/v1"
    /// ```
    pub fn profile(path: impl Into<PathBuf>, name: impl Into<String>) -> Self {
        Self {
            profile: Some(name.into()),
            ..Self::new(path)
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn read(&self, ask: Ask) -> Result<Credentials, CredentialsError> {
        let io = |source| CredentialsError::Io {
            path: self.path.clone(),
            source: Arc::new(source),
        };
        // The metadata and the text come from one open file, so that they match.
        let file = tokio::fs::File::open(&self.path).await.map_err(io)?;
        let metadata = file.metadata().await.map_err(io)?;
        check_private(&self.path, &metadata)?;
        let stamp = Stamp::of(&metadata);
        if let Some(unchanged) = self.unchanged(&stamp).filter(|_| ask == Ask::TokenDue) {
            return Ok(unchanged);
        }
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .await
            .map_err(io)?;
        let malformed = |line, reason: String| CredentialsError::Malformed {
            path: self.path.clone(),
            line,
            reason,
        };
        if u64::try_from(bytes.len()).map_or(true, |len| len > MAX_FILE_BYTES) {
            return Err(malformed(None, "larger than 1 MiB".into()));
        }
        let text = String::from_utf8(bytes).map_err(|_| malformed(None, "not UTF-8".into()))?;
        let credentials = parse(&text, self.profile.as_deref())
            .map_err(|Fault { line, reason }| malformed(line, reason))?;
        *self.last() = Some((stamp, credentials.clone()));
        Ok(credentials)
    }

    /// The credentials last read, if the file still has the same stamp.
    fn unchanged(&self, stamp: &Stamp) -> Option<Credentials> {
        self.last()
            .as_ref()
            .filter(|(last, _)| last == stamp)
            .map(|(_, credentials)| credentials.clone())
    }

    fn last(&self) -> MutexGuard<'_, Option<(Stamp, Credentials)>> {
        self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl CredentialProvider for FileCredentials {
    fn credentials(&self, ask: Ask) -> CredentialsFuture<'_> {
        Box::pin(self.read(ask))
    }
}

impl fmt::Debug for FileCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileCredentials")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// What tells a rewritten file from the one read last.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    node: Node,
}

impl Stamp {
    fn of(metadata: &Metadata) -> Self {
        Self {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            node: node(metadata),
        }
    }
}

/// The device, inode and status change time (seconds, nanoseconds) of a file.
#[cfg(unix)]
type Node = (u64, u64, i64, i64);

#[cfg(unix)]
fn node(metadata: &Metadata) -> Node {
    use std::os::unix::fs::MetadataExt;
    (
        metadata.dev(),
        metadata.ino(),
        metadata.ctime(),
        metadata.ctime_nsec(),
    )
}

#[cfg(not(unix))]
type Node = ();

#[cfg(not(unix))]
fn node(_metadata: &Metadata) -> Node {}

/// Refuses a file that its group or others can access.
#[cfg(unix)]
fn check_private(path: &Path, metadata: &Metadata) -> Result<(), CredentialsError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(CredentialsError::NotPrivate {
            path: path.to_owned(),
            mode: mode & 0o777,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _metadata: &Metadata) -> Result<(), CredentialsError> {
    Ok(())
}

/// Why a file's text holds no credentials: the line at fault if known, and why.
#[derive(Debug)]
struct Fault {
    line: Option<usize>,
    reason: String,
}

impl Fault {
    fn new(reason: String) -> Self {
        Self { line: None, reason }
    }
}

/// The credentials in `text` (TOML, or JSON if it starts with `{`): at the top level,
/// or in `profiles.<profile>`. The text is parsed into a plain value first, so that
/// no error can quote a field's value.
fn parse(text: &str, profile: Option<&str>) -> Result<Credentials, Fault> {
    let document: Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| Fault {
            line: Some(e.line()).filter(|line| *line > 0),
            reason: "not valid JSON".into(),
        })?
    } else {
        toml::from_str(text).map_err(|e| Fault {
            line: e
                .span()
                .and_then(|span| text.get(..span.start))
                .map(|before| before.matches('\n').count() + 1),
            reason: format!("not valid TOML: {}", e.message().trim_end()),
        })?
    };
    let (table, owner) = match profile {
        None => (&document, String::new()),
        Some(name) => (
            document
                .get("profiles")
                .and_then(|profiles| profiles.get(name))
                .ok_or_else(|| Fault::new(format!("no profile named `{name}`")))?,
            format!("profile `{name}`: "),
        ),
    };
    let field = |key: &str| match table.get(key) {
        Some(Value::String(value)) => Ok(value.clone()),
        Some(_) => Err(Fault::new(format!("{owner}{key} is not a string"))),
        None => Err(Fault::new(format!("{owner}no {key}"))),
    };
    Ok(Credentials::new(
        field("client_id")?,
        field("client_secret")?,
    ))
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn pair(credentials: &Credentials) -> (&str, &str) {
        (
            credentials.client_id(),
            credentials.client_secret().expose_secret(),
        )
    }

    #[tokio::test]
    async fn an_unchanged_file_is_parsed_again_only_after_a_refusal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        std::fs::write(&path, "client_id = \"a\"\nclient_secret = \"b\"\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let provider = FileCredentials::new(&path);
        assert_eq!(
            pair(&provider.read(Ask::TokenDue).await.unwrap()),
            ("a", "b")
        );

        // While the file keeps its stamp, what was read last stands for it.
        if let Some((_, last)) = provider.last().as_mut() {
            *last = Credentials::new("remembered", "x");
        }
        let again = provider.read(Ask::TokenDue).await.unwrap();
        assert_eq!(again.client_id(), "remembered");
        let refused = provider.read(Ask::Refused).await.unwrap();
        assert_eq!(pair(&refused), ("a", "b"));
    }

    #[test]
    fn toml_json_and_profiles_are_read() {
        let toml = parse("client_id = \"a\"\nclient_secret = \"b\"\n", None).unwrap();
        assert_eq!(pair(&toml), ("a", "b"));
        let json = parse(r#" {"client_id": "c", "client_secret": "d", "x": 1}"#, None).unwrap();
        assert_eq!(pair(&json), ("c", "d"));
        let profiles = "[profiles.one]\nclient_id = \"e\"\nclient_secret = \"f\"\n\
                        [profiles.two]\nclient_id = \"g\"\nclient_secret = \"h\"\n\
                        base_url = \"http://127.0.0.1:1/v1\"\ntimezone = \"America/Denver\"\n";
        assert_eq!(pair(&parse(profiles, Some("two")).unwrap()), ("g", "h"));
    }

    #[test]
    fn faults_name_the_line_and_field_without_quoting_values() {
        let cases: [(&str, Option<&str>, Option<usize>, &str); 6] = [
            (
                "[profiles.a]\nclient_secret = s3cr3t\n",
                Some("a"),
                Some(2),
                "not valid TOML",
            ),
            (
                "{\"client_id\": \"x\",\n \"client_secret\": s3cr3t}",
                None,
                Some(2),
                "not valid JSON",
            ),
            (
                "client_id = \"x\"\nclient_secret = 1234\n",
                None,
                None,
                "client_secret is not a string",
            ),
            ("client_secret = \"s3cr3t\"\n", None, None, "no client_id"),
            (
                "[profiles.a]\nclient_id = \"x\"\nclient_secret = \"s3cr3t\"\n",
                Some("b"),
                None,
                "no profile named `b`",
            ),
            (
                "[profiles.a]\nclient_id = \"x\"\n",
                Some("a"),
                None,
                "profile `a`: no client_secret",
            ),
        ];
        for (text, profile, line, reason) in cases {
            let fault = parse(text, profile).unwrap_err();
            assert_eq!(fault.line, line, "{text}");
            assert!(fault.reason.starts_with(reason), "{text}: {fault:?}");
            assert!(!fault.reason.contains("s3cr3t") && !fault.reason.contains("1234"));
        }
    }
}
