//! Contract test: every recorded payload decodes into the generated type of its
//! operation, survives a re-encode/decode round trip, and validates against the spec.
//! So do the reference's examples with the date-times it contradicts itself on
//! rewritten in the form its conventions document (see [`DOCUMENTED_FORMS`]).
//!
//! Reads `tests/fixtures/{docs,real}/manifest.json`, or only the folder named by
//! `CREWSENSE_FIXTURES_DIR`. Ends by printing `decoded N/M fixtures`.

use std::process::ExitCode;

use crewsense_tests::Spec;
use crewsense_tests::contract::check;
use crewsense_tests::fixtures::{Fixture, fixture_dirs, load_manifest};
use serde_json::Value;

/// The reference's conventions say contact times, response times and creation dates
/// are sent with an offset (`YYYY-MM-DDThh:mm:ss+00:00`); its examples of these fields
/// show local date-times. Each example, with the field in the documented form: the
/// file, the field's JSON pointer, and the documented form of the example's value.
const DOCUMENTED_FORMS: [(&str, &str, &str); 5] = [
    (
        "071_get_callbacks_id_users_response.json",
        "/0/contact_time",
        "2016-11-22T12:52:21-08:00",
    ),
    (
        "071_get_callbacks_id_users_response.json",
        "/0/response_time",
        "2016-11-22T13:00:39-0800",
    ),
    (
        "085_get_qualifiers_id_response.json",
        "/created_on",
        "2015-11-18T05:19:27+00:00",
    ),
    (
        "027_get_visual_cycles_response.json",
        "/0/created_at",
        "2017-02-06T04:34:04-08:00",
    ),
    (
        "091_get_forms_response.json",
        "/141/created_at",
        "2016-08-05T09:32:46-07:00",
    ),
];

fn main() -> ExitCode {
    let spec = Spec::load();
    let mut fixtures = Vec::new();
    for dir in fixture_dirs() {
        match load_manifest(&dir) {
            Ok(found) => fixtures.extend(found),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }

    let mut failures = Vec::new();
    for fixture in &fixtures {
        let checked = fixture
            .read()
            .map_err(|e| e.to_string())
            .and_then(|bytes| check(&spec, fixture, &bytes).map(drop));
        if let Err(why) = checked {
            failures.push(format!(
                "{} ({} {}): {why}",
                fixture.file,
                method(fixture),
                fixture.path
            ));
        }
    }
    let total = fixtures.len();
    let decoded = total - failures.len();
    for (file, pointer, documented) in DOCUMENTED_FORMS {
        let Some(fixture) = fixtures.iter().find(|f| f.file == file) else {
            continue;
        };
        if let Err(why) = check_documented_form(&spec, fixture, pointer, documented) {
            failures.push(format!("{file} with {pointer} = {documented:?}: {why}"));
        }
    }
    for failure in &failures {
        eprintln!("FAILED {failure}");
    }
    println!("decoded {decoded}/{total} fixtures");
    if failures.is_empty() && total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn method(fixture: &Fixture) -> &str {
    fixture.method.as_deref().unwrap_or("ANY")
}

/// Checks `fixture` with the value at `pointer` replaced by `documented`, and that the
/// value is read as a date-time: it is encoded again in the form it came in.
fn check_documented_form(
    spec: &Spec,
    fixture: &Fixture,
    pointer: &str,
    documented: &str,
) -> Result<(), String> {
    let bytes = fixture.read().map_err(|e| e.to_string())?;
    let mut payload: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let field = payload
        .pointer_mut(pointer)
        .ok_or("the example has no such field")?;
    *field = Value::String(documented.to_owned());
    let bytes = serde_json::to_vec(&payload).map_err(|e| e.to_string())?;
    let decoded = check(spec, fixture, &bytes)?;
    let canonical: crewsense_gen::wire::Timestamp =
        documented.parse().map_err(|e| format!("{e}"))?;
    match decoded.pointer(pointer).and_then(Value::as_str) {
        Some(read) if read == canonical.to_string() => Ok(()),
        other => Err(format!(
            "decoded as {other:?}, not as the timestamp {canonical}"
        )),
    }
}
