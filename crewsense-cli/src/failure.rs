//! Why a command failed, and the exit status each reason maps to.

use std::fmt;

use crewsense::types;

/// A failed command: what to tell the user on stderr, and how to exit.
#[derive(Debug)]
pub enum Failure {
    /// The command line asked for something impossible: a bad date, an unknown
    /// operation, a missing or unreadable file, a body that is not JSON (exit 2).
    Usage(String),
    /// The credentials were refused: by the token endpoint, by the API, or because
    /// the credentials file is not private (exit 3).
    Credentials(String),
    /// The API or the network failed (exit 1).
    Api(String),
    /// `users --find` matched nobody (exit 4).
    NoMatch(String),
    /// `users --find` matched several people, listed in the message (exit 5).
    Ambiguous(String),
    /// Whoever read stdout stopped reading (`| head`): not a failure (exit 0).
    OutputClosed,
}

impl Failure {
    /// The process exit status for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::OutputClosed => 0,
            Failure::Api(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Credentials(_) => 3,
            Failure::NoMatch(_) => 4,
            Failure::Ambiguous(_) => 5,
        }
    }

    /// A usage failure.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure::Usage(message.into())
    }

    /// A usage failure for a TOML file at `path` that did not parse: its line and
    /// the parser's message, never toml's own rendering, which quotes the offending
    /// line (in credentials.toml, perhaps a secret).
    pub fn toml(path: &std::path::Path, text: &str, error: &toml::de::Error) -> Self {
        let line = error
            .span()
            .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
        Failure::usage(format!(
            "{}{}: {}",
            path.display(),
            line.map(|l| format!(" line {l}")).unwrap_or_default(),
            error.message()
        ))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(m)
            | Failure::Credentials(m)
            | Failure::Api(m)
            | Failure::NoMatch(m)
            | Failure::Ambiguous(m) => f.write_str(m),
            Failure::OutputClosed => f.write_str("the output was closed"),
        }
    }
}

/// The API's error document as one line; a rejected token is refused credentials.
pub fn api_error(
    operation: &str,
    status: crewsense::StatusCode,
    document: types::Error,
) -> Failure {
    let detail = document
        .error_message
        .map(|m| m.to_string())
        .or(document.error)
        .unwrap_or_default();
    let message = format!("{operation}: {status}: {detail}");
    if status == crewsense::StatusCode::UNAUTHORIZED {
        Failure::Credentials(message)
    } else {
        Failure::Api(message)
    }
}

impl From<crewsense::Error> for Failure {
    fn from(error: crewsense::Error) -> Self {
        use crewsense::Error;
        use crewsense::auth::TokenError;
        let message = error.to_string();
        match &error {
            // A provider that cannot read its credentials (a profile file gone or
            // unreadable mid-run) is as much a credentials problem as a refusal.
            Error::Token(TokenError::BadCredentials { .. } | TokenError::Credentials(_))
            | Error::Unauthorized { .. } => Failure::Credentials(message),
            Error::Config(_) | Error::FileTooLarge { .. } => Failure::Usage(message),
            _ => Failure::Api(message),
        }
    }
}

/// Settings that cannot make a client (a bad `CREWSENSE_BASE_URL`, empty
/// credentials) are a usage error.
impl From<crewsense::ConfigError> for Failure {
    fn from(error: crewsense::ConfigError) -> Self {
        Failure::Usage(error.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return Failure::OutputClosed;
        }
        Failure::Api(format!("could not write the output: {error}"))
    }
}
