//! The recorded payloads in `tests/fixtures`, described by `manifest.json` files.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One payload of a manifest.
#[derive(Debug, Clone, Deserialize)]
pub struct Fixture {
    /// File name, relative to the manifest's folder.
    pub file: String,
    /// HTTP method, or `None` for "any operation".
    pub method: Option<String>,
    /// Path template, `/oauth/access_token` for the token endpoint, `*` for any.
    pub path: String,
    /// `request` or `response`.
    pub direction: Direction,
    /// The HTTP status of a response.
    pub status: Option<u16>,
    /// What is peculiar about it.
    #[serde(default)]
    pub note: Option<String>,
    /// The folder of the manifest (filled in when loading).
    #[serde(skip)]
    pub dir: PathBuf,
}

/// Which way a payload travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Sent by a client.
    Request,
    /// Sent by the server.
    Response,
}

impl Fixture {
    /// The payload's bytes.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.dir.join(&self.file))
    }
}

/// Reads `dir/manifest.json`.
pub fn load_manifest(dir: &Path) -> Result<Vec<Fixture>, String> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut fixtures: Vec<Fixture> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    for fixture in &mut fixtures {
        fixture.dir = dir.to_path_buf();
    }
    Ok(fixtures)
}

/// The fixture folders the tests read: `CREWSENSE_FIXTURES_DIR` alone when set,
/// otherwise the reference examples and the recorded production payloads.
pub fn fixture_dirs() -> Vec<PathBuf> {
    match std::env::var_os("CREWSENSE_FIXTURES_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
            vec![root.join("docs"), root.join("real")]
        }
    }
}
