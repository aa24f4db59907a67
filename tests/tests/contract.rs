//! Contract test: every recorded payload decodes into the generated type of its
//! operation, survives a re-encode/decode round trip, and validates against the spec.
//!
//! Reads `tests/fixtures/{docs,real}/manifest.json`, or only the folder named by
//! `CREWSENSE_FIXTURES_DIR`. Ends by printing `decoded N/M fixtures`.

use std::process::ExitCode;

use crewsense_gen::catalog::{self, Codec, Operation};
use crewsense_tests::fixtures::{Direction, Fixture, fixture_dirs, load_manifest};
use crewsense_tests::{Spec, validate};
use serde_json::Value;

const TOKEN_PATH: &str = "/oauth/access_token";

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
        if let Err(why) = check(&spec, fixture) {
            failures.push(format!(
                "{} ({} {}): {why}",
                fixture.file,
                method(fixture),
                fixture.path
            ));
        }
    }
    for failure in &failures {
        eprintln!("FAILED {failure}");
    }
    let total = fixtures.len();
    println!("decoded {}/{total} fixtures", total - failures.len());
    if failures.is_empty() && total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn method(fixture: &Fixture) -> &str {
    fixture.method.as_deref().unwrap_or("ANY")
}

/// Decodes, round-trips and validates one fixture.
fn check(spec: &Spec, fixture: &Fixture) -> Result<(), String> {
    let bytes = fixture.read().map_err(|e| e.to_string())?;
    let (codec, schema) = target(spec, fixture)?;

    let decoded = codec(&bytes).map_err(|e| format!("does not decode: {e}"))?;
    let encoded = serde_json::to_vec(&decoded).map_err(|e| e.to_string())?;
    let again = codec(&encoded).map_err(|e| format!("re-encoded form does not decode: {e}"))?;
    if decoded != again {
        return Err(format!(
            "round trip changed the value:\n  {decoded}\n  {again}"
        ));
    }

    let payload: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    validate(&schema, &payload).map_err(|errors| format!("not valid against the spec: {errors:#?}"))
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
