//! The contract check of one recorded payload, shared by the contract test and by the
//! tests of captures (`crewsense doctor --capture`).

use crewsense_gen::catalog::{self, Codec, Operation};
use serde_json::Value;

use crate::fixtures::{Direction, Fixture};
use crate::{Spec, validate};

const TOKEN_PATH: &str = "/oauth/access_token";

/// Decodes, round-trips and validates the payload `bytes` of `fixture`; returns it
/// decoded and encoded again.
pub fn check(spec: &Spec, fixture: &Fixture, bytes: &[u8]) -> Result<Value, String> {
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

/// Checks every payload of the manifest in `dir`; returns how many there are, or the
/// failures.
pub fn check_dir(spec: &Spec, dir: &std::path::Path) -> Result<usize, Vec<String>> {
    let fixtures = crate::fixtures::load_manifest(dir).map_err(|e| vec![e])?;
    let failures: Vec<String> = fixtures
        .iter()
        .filter_map(|fixture| {
            let bytes = fixture.read().map_err(|e| e.to_string());
            bytes
                .and_then(|bytes| check(spec, fixture, &bytes))
                .err()
                .map(|why| format!("{} ({}): {why}", fixture.file, fixture.path))
        })
        .collect();
    if failures.is_empty() {
        Ok(fixtures.len())
    } else {
        Err(failures)
    }
}
