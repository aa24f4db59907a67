//! The `--body` of `crewsense api`: a JSON file, or `-` for standard input.

use std::io::Read;
use std::path::Path;

/// The text of the body file `path`, or of standard input if `path` is `-`.
pub fn read(path: &Path) -> std::io::Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
    }
}
