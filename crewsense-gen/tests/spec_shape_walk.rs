//! `spec_shape::walk` and `rewrite` read JSON as `serde_json` does: every recorded
//! answer comes out of an unchanged rewrite byte for byte, the strings visited are the
//! answer's strings, replaced strings are written as valid JSON, and a text is read
//! exactly when `serde_json` reads it (never a panic, whatever the bytes).

mod json_values;

use std::path::{Path, PathBuf};

use crewsense_gen::catalog::Operation;
use crewsense_gen::spec_shape::{JsonType, Kind, OperationShape, Visitor, rewrite, walk};
use proptest::prelude::*;
use serde_json::Value;

use self::json_values::arbitrary_json;

/// Keeps every string, or replaces each by `with`, and lists what it saw.
#[derive(Default)]
struct Strings {
    with: Option<&'static str>,
    seen: Vec<String>,
}

impl Visitor for Strings {
    fn unknown(&mut self, _: &str, _: JsonType) {}

    fn string(&mut self, _: &str, _: &str, _: Option<Kind>, value: &str) -> Option<&str> {
        self.seen.push(value.to_owned());
        self.with
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Every recorded answer, with the shape of its operation (none for the token's and
/// the error bodies).
fn recorded() -> Vec<(String, Vec<u8>, Option<usize>)> {
    let mut answers = Vec::new();
    for set in ["docs", "real"] {
        let dir = fixtures().join(set);
        let manifest: Vec<Value> =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        for entry in manifest {
            let file = entry["file"].as_str().unwrap().to_owned();
            let root = match (entry["method"].as_str(), entry["path"].as_str()) {
                (Some(method), Some(path)) => Operation::find(method, path)
                    .and_then(|op| OperationShape::by_id(op.id))
                    .and_then(|shape| shape.response),
                _ => None,
            };
            let bytes = std::fs::read(dir.join(&file)).unwrap();
            answers.push((file, bytes, root));
        }
    }
    assert!(answers.len() > 90, "{} fixtures", answers.len());
    answers
}

/// Every string of `value` (not member names), sorted.
fn strings_of(value: &Value) -> Vec<String> {
    fn collect(value: &Value, into: &mut Vec<String>) {
        match value {
            Value::String(s) => into.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|v| collect(v, into)),
            Value::Object(map) => map.values().for_each(|v| collect(v, into)),
            _ => {}
        }
    }
    let mut strings = Vec::new();
    collect(value, &mut strings);
    strings.sort();
    strings
}

/// `value` with every string replaced by `with`.
fn replaced(value: &Value, with: &str) -> Value {
    match value {
        Value::String(_) => Value::String(with.to_owned()),
        Value::Array(items) => items.iter().map(|v| replaced(v, with)).collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), replaced(v, with)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        other => other.clone(),
    }
}

/// A replacement that needs every kind of escape.
const AWKWARD: &str = "a \"quoted\" \\ back\nslash\t\u{1}\u{1f} ☃ 𝄞";

/// Checks `json` against `serde_json`: read by both or by neither, and when read,
/// rewritten unchanged byte for byte and with `AWKWARD` everywhere as valid JSON.
fn agrees_with_serde_json(json: &[u8], root: Option<usize>) -> Result<(), TestCaseError> {
    let parsed = serde_json::from_slice::<Value>(json);
    let mut strings = Strings::default();
    let walked = walk(json, root, &mut strings);
    prop_assert_eq!(
        walked.is_ok(),
        parsed.is_ok(),
        "walk {:?}, serde_json {:?}, on {:?}",
        walked,
        parsed,
        String::from_utf8_lossy(json)
    );
    let Ok(value) = parsed else {
        return Ok(());
    };
    strings.seen.sort();
    prop_assert_eq!(&strings.seen, &strings_of(&value));
    prop_assert_eq!(rewrite(json, root, &mut Strings::default()).unwrap(), json);
    let mut awkward = Strings {
        with: Some(AWKWARD),
        ..Strings::default()
    };
    let rewritten = rewrite(json, root, &mut awkward).unwrap();
    let reread: Value = serde_json::from_slice(&rewritten).expect("a rewrite is JSON");
    prop_assert_eq!(reread, replaced(&value, AWKWARD));
    Ok(())
}

#[test]
fn every_recorded_answer_is_read_as_serde_json_reads_it_and_rewritten_unchanged() {
    for (file, bytes, root) in recorded() {
        agrees_with_serde_json(&bytes, root).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
}

#[test]
fn every_cut_of_a_recorded_answer_is_refused_without_a_panic() {
    let (_, bytes, root) = recorded()
        .into_iter()
        .find(|(file, ..)| file.contains("get_schedule"))
        .unwrap();
    for cut in 0..bytes.len() {
        let text = &bytes[..cut];
        agrees_with_serde_json(text, root).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
    }
}

#[test]
fn nesting_is_read_as_deep_as_serde_json_reads_it_and_no_deeper() {
    for depth in [1, 127, 128, 129, 100_000] {
        let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        agrees_with_serde_json(json.as_bytes(), None).unwrap_or_else(|e| panic!("{depth}: {e}"));
    }
}

#[test]
fn a_syntax_error_says_where_and_what_was_expected() {
    let error = walk(br#"{"a": tru}"#, None, &mut Strings::default()).unwrap_err();
    assert_eq!(error.offset(), 6);
    assert_eq!(error.to_string(), "expected null, true or false at byte 6");
}

/// Bytes near JSON: its punctuation, digits, literals' letters, escapes and spaces.
fn near_json() -> impl Strategy<Value = Vec<u8>> {
    let alphabet: Vec<u8> = b"{}[],:\"\\ \n0123456789-+.eEtrufalsnu\x01\xc3\xa9".to_vec();
    proptest::collection::vec(proptest::sample::select(alphabet), 0..48)
}

proptest! {
    #[test]
    fn any_json_value_is_read_and_rewritten_as_serde_json_reads_it(value in arbitrary_json()) {
        let root = OperationShape::by_id("get_schedule").and_then(|shape| shape.response);
        agrees_with_serde_json(&serde_json::to_vec(&value).unwrap(), root)?;
        agrees_with_serde_json(&serde_json::to_vec_pretty(&value).unwrap(), None)?;
    }

    #[test]
    fn bytes_near_json_are_read_exactly_when_serde_json_reads_them(bytes in near_json()) {
        agrees_with_serde_json(&bytes, None)?;
    }

    #[test]
    fn any_bytes_are_read_exactly_when_serde_json_reads_them(
        bytes in proptest::collection::vec(any::<u8>(), 0..32)
    ) {
        agrees_with_serde_json(&bytes, None)?;
    }
}
