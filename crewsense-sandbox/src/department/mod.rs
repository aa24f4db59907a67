//! A department loaded from a capture: a directory in the contract-fixture format
//! (`manifest.json`, an array of `{file, method, path, direction, status, note}`,
//! and one JSON file per entry holding an answer body), as `crewsense doctor
//! --capture DIR` writes it.
//!
//! The answers read are those of `GET /company`, `/users`, `/assignments`,
//! `/qualifiers`, `/work_types`, `/work_subtypes`, `/time_off_types` and
//! `/schedule` (every `/schedule` entry, their days together); other entries and
//! files are ignored, and a table without an answer is empty.

mod build;
mod wire;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::store::Store;
use build::Answers;

/// A department read from a capture directory, ready to serve with
/// [`SandboxBuilder::loaded_department`](crate::SandboxBuilder::loaded_department).
#[derive(Debug, Clone)]
pub struct Department {
    pub(crate) store: Store,
    window: Option<(NaiveDate, NaiveDate)>,
}

/// Why a capture directory could not be loaded. Each names the file.
#[derive(Debug)]
#[non_exhaustive]
pub enum DepartmentError {
    /// The file could not be read (the manifest or a file it names is missing...).
    Unreadable {
        /// The file.
        file: PathBuf,
        /// What reading it answered.
        source: io::Error,
    },
    /// The file is not JSON, or not the answer its manifest entry says it is.
    Malformed {
        /// The file.
        file: PathBuf,
        /// Where in the file, as a JSON path (`days.2025-06-01.assignments[0].start`;
        /// `.` for the whole document).
        at: String,
        /// What the decoder found there.
        source: serde_json::Error,
    },
}

impl fmt::Display for DepartmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable { file, source } => {
                write!(f, "cannot read {}: {source}", file.display())
            }
            Self::Malformed { file, at, source } if at == "." => {
                write!(f, "{}: {source}", file.display())
            }
            Self::Malformed { file, at, source } => {
                write!(f, "{}: at {at}: {source}", file.display())
            }
        }
    }
}

impl std::error::Error for DepartmentError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Unreadable { source, .. } => Some(source),
            Self::Malformed { source, .. } => Some(source),
        }
    }
}

/// An entry of `manifest.json`; fields other than these are ignored.
#[derive(Debug, Deserialize)]
struct Entry {
    file: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    status: Option<u16>,
}

impl Entry {
    /// The operation whose successful answer the entry holds, if it holds one.
    fn answered(&self) -> Option<&str> {
        let get = self
            .method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("GET"));
        let response = self.direction.as_deref().is_none_or(|d| d == "response");
        let ok = self.status.is_none_or(|s| s == 200);
        let path = self.path.as_deref()?;
        (get && response && ok).then(|| path.strip_prefix("/v1").unwrap_or(path))
    }
}

fn read(file: &Path) -> Result<Vec<u8>, DepartmentError> {
    fs::read(file).map_err(|source| DepartmentError::Unreadable {
        file: file.to_owned(),
        source,
    })
}

fn decode<T: DeserializeOwned>(file: &Path, bytes: &[u8]) -> Result<T, DepartmentError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| DepartmentError::Malformed {
        file: file.to_owned(),
        at: e.path().to_string(),
        source: e.into_inner(),
    })
}

impl Department {
    /// Reads the capture in `dir`. A file that cannot be read or decoded is an
    /// error naming it; nothing in the directory makes this panic.
    pub fn load(dir: impl AsRef<Path>) -> Result<Department, DepartmentError> {
        let dir = dir.as_ref();
        let manifest = dir.join("manifest.json");
        let entries: Vec<Entry> = decode(&manifest, &read(&manifest)?)?;
        let mut answers = Answers::default();
        for entry in &entries {
            let Some(path) = entry.answered() else {
                continue;
            };
            add(&mut answers, path, &dir.join(&entry.file))?;
        }
        Ok(Department {
            store: build::build(&answers),
            window: build::window(&answers.schedules),
        })
    }

    /// The days the capture's schedule covers: the first, and the day after the
    /// last (`None` without a schedule). A sandbox serving the department takes the
    /// first as "today".
    pub fn window(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.window
    }

    /// How many people the department has.
    pub fn users(&self) -> usize {
        self.store.users.len()
    }

    /// How many shifts the department has.
    pub fn shifts(&self) -> usize {
        self.store.shifts.len()
    }
}

/// Adds the answer of `GET {path}` in `file`, if the sandbox serves from it.
fn add(answers: &mut Answers, path: &str, file: &Path) -> Result<(), DepartmentError> {
    let a = answers;
    match path {
        "/company" => a.company = Some(decode(file, &read(file)?)?),
        "/users" => a.users.extend(list(file)?),
        "/assignments" => a.assignments.extend(list(file)?),
        "/qualifiers" => a.qualifiers.extend(list(file)?),
        "/work_types" => a.work_types.extend(list(file)?),
        "/work_subtypes" => a.work_subtypes.extend(list(file)?),
        "/time_off_types" => a.time_off_types.extend(list(file)?),
        "/schedule" => a.schedules.push(decode(file, &read(file)?)?),
        _ => {}
    }
    Ok(())
}

/// A list answer: an array (or `null`, or an object of entries) of rows.
fn list<T: DeserializeOwned>(file: &Path) -> Result<Vec<T>, DepartmentError> {
    #[derive(Deserialize)]
    #[serde(bound = "T: DeserializeOwned")]
    struct List<T>(#[serde(deserialize_with = "wire::list")] Vec<T>);
    decode::<List<T>>(file, &read(file)?).map(|l| l.0)
}
