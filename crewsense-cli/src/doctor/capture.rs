//! `doctor --capture DIR`: each success answer, scrubbed, as a fixture of the contract
//! test (`tests/fixtures/README.md`): `DIR/manifest.json` names the files, and
//! `DIR/scrub.json` says what was replaced (paths and counts, never values). Neither
//! the token nor the secret is ever in an answer of a `GET`, and nothing else is
//! written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crewsense_gen::catalog::Operation;
use crewsense_gen::spec_shape::{JsonType, SyntaxError};
use serde::Serialize;

use super::report::CaptureSummary;
use super::scrub::{Scrubbed, Scrubber};

/// The note of every captured answer.
const NOTE: &str =
    "captured by crewsense doctor; personal values replaced by pseudonyms (scrub.json)";

/// One entry of `manifest.json`.
#[derive(Debug, Serialize)]
struct Entry {
    file: String,
    method: &'static str,
    path: &'static str,
    direction: &'static str,
    status: u16,
    note: &'static str,
}

/// `scrub.json`.
#[derive(Debug, Serialize)]
struct ScrubReport<'a> {
    /// How the values were chosen.
    rule: &'static str,
    /// Every place that had values replaced, and how many.
    scrubbed: &'a [Scrubbed],
}

/// A capture being written.
#[derive(Debug)]
pub struct Capture {
    dir: PathBuf,
    entries: Vec<Entry>,
    scrubber: Scrubber,
    bytes: u64,
}

impl Capture {
    /// Creates `dir` (and its parents) for a capture.
    pub fn create(dir: &Path) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            entries: Vec::new(),
            scrubber: Scrubber::new(),
            bytes: 0,
        })
    }

    /// Scrubs `answer`, the JSON text of an answer of `op` whose shape is the node
    /// `root` (if the spec gives one), telling `unknown` of the members the spec does
    /// not know (see `Scrubber::scrub`). Nothing is written until [`Capture::add`].
    pub fn scrub(
        &mut self,
        op: &'static Operation,
        answer: &[u8],
        root: Option<usize>,
        unknown: impl FnMut(&str, JsonType),
    ) -> Result<Vec<u8>, SyntaxError> {
        self.scrubber.scrub(op.id, answer, root, unknown)
    }

    /// Writes `scrubbed`, the scrubbed success answer of the `index`-th operation `op`.
    pub fn add(
        &mut self,
        index: usize,
        op: &'static Operation,
        status: u16,
        scrubbed: &[u8],
    ) -> io::Result<()> {
        let file = format!("{index:03}_{}_response.json", op.id);
        self.write(&file, scrubbed)?;
        self.entries.push(Entry {
            file,
            method: op.method,
            path: op.path,
            direction: "response",
            status,
            note: NOTE,
        });
        Ok(())
    }

    /// Writes `manifest.json` and `scrub.json`, and says what the capture holds.
    pub fn finish(mut self) -> io::Result<CaptureSummary> {
        self.entries.sort_by(|a, b| a.file.cmp(&b.file));
        let manifest = serde_json::to_vec_pretty(&self.entries)?;
        self.write("manifest.json", &manifest)?;
        let scrubbed = self.scrubber.report();
        let report = ScrubReport {
            rule: "every string passes unchanged only where the spec gives it a kind that carries no personal data (ids, dates, times, numbers, flags, colours, enumerations, links) or its member names a code; every other string, and every member the spec does not know, got a pseudonym of the same sort, the same for the same value",
            scrubbed: &scrubbed,
        };
        let report = serde_json::to_vec_pretty(&report)?;
        self.write("scrub.json", &report)?;
        Ok(CaptureSummary {
            dir: self.dir.display().to_string(),
            files: self.entries.len(),
            bytes: self.bytes,
            scrubbed_values: scrubbed.iter().map(|s| s.count).sum(),
        })
    }

    fn write(&mut self, file: &str, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.dir.join(file), bytes)?;
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}
