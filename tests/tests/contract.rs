//! Contract test: every recorded payload decodes into the generated type of its
//! operation, survives a re-encode/decode round trip, and validates against the spec.
//! So do the reference's examples with the date-times it contradicts itself on
//! rewritten in the form its conventions document (see [`DOCUMENTED_FORMS`]).
//!
//! Reads `tests/fixtures/{docs,real}/manifest.json`, or only the folder named by
//! `CREWSENSE_FIXTURES_DIR`. Ends by printing `decoded N/M fixtures`.

use std::process::ExitCode;

use crewsense_gen::catalog::{self, Codec, Operation};
use crewsense_tests::fixtures::{Direction, Fixture, fixture_dirs, load_manifest};
use crewsense_tests::{Spec, validate};
use serde_json::Value;

const TOKEN_PATH: &str = "/oauth/access_token";

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

/// Decodes, round-trips and validates the payload `bytes` of `fixture`; returns it
/// decoded and encoded again.
fn check(spec: &Spec, fixture: &Fixture, bytes: &[u8]) -> Result<Value, String> {
    let (codec, schema) = target(spec, fixture)?;

    let decoded = codec(bytes).map_err(|e| format!("does not decode: {e}"))?;
    let encoded = serde_json::to_vec(&decoded).map_err(|e| e.to_string())?;
    let again = codec(&encoded).map_err(|e| format!("re-encoded form does not decode: {e}"))?;
    if decoded != again {
        return Err(format!(
            "round trip changed the value:\n  {decoded}\n  {again}"
        ));
    }

    let payload: Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    validate(&schema, &payload)
        .map_err(|errors| format!("not valid against the spec: {errors:#?}"))?;
    Ok(decoded)
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

/// The codec and schema a fixture must satisfy.
fn target(spec: &Spec, fixture: &Fixture) -> Result<(Codec, Value), String> {
    let status = fixture.status.unwrap_or(200);
    if fixture.path == TOKEN_PATH {
        let schema = spec
            .component_schema("AccessToken")
            .ok_or("no AccessToken schema")?;
        return Ok((catalog::token_codec, schema));
    }
    if fixture.path == "*" {
        let schema = spec.component_schema("Error").ok_or("no Error schema")?;
        return Ok((catalog::error_codec, schema));
    }
    let method = fixture.method.as_deref().ok_or("no method")?;
    let op = Operation::find(method, &fixture.path).ok_or("operation not in the spec")?;
    match fixture.direction {
        Direction::Request => {
            let codec = op.request.ok_or("the operation takes no JSON body")?;
            let schema = spec
                .request_schema(method, &fixture.path)
                .ok_or("no request schema")?;
            Ok((codec, schema))
        }
        Direction::Response => {
            let codec = if (200..300).contains(&status) {
                op.response
            } else {
                catalog::error_codec
            };
            let schema = spec
                .response_schema(method, &fixture.path, status)
                .ok_or_else(|| format!("no response schema for status {status}"))?;
            Ok((codec, schema))
        }
    }
}
