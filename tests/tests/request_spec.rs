//! The request side of the spec is honest about what it knows.
//!
//! - Every request field that comes from inference rather than from the reference is
//!   marked `x-crewsense-inferred: true`, says so in its description, and is never
//!   required: a wrong guess of ours must not stop a call that the API would accept.
//! - Every `POST`, every `PATCH` and `PUT /users` declares `x-crewsense-idempotent`,
//!   and the catalogue the retry layer reads (`OPERATIONS`) carries the same answer.
//!
//! Prints `N inferred request fields in M operations, none required`.

use std::process::ExitCode;

use crewsense_gen::catalog::Operation;
use crewsense_tests::Spec;
use serde_json::Value;

fn main() -> ExitCode {
    let spec = Spec::load();
    let mut failures = Vec::new();
    let inferred = inferred_fields(&spec, &mut failures);
    let operations: std::collections::BTreeSet<&str> =
        inferred.iter().map(|(op, _)| op.as_str()).collect();
    idempotency(&spec, &mut failures);
    if inferred.is_empty() {
        failures.push("no request field is marked x-crewsense-inferred".to_owned());
    }
    for failure in &failures {
        eprintln!("FAILED {failure}");
    }
    if failures.is_empty() {
        println!(
            "{} inferred request fields in {} operations, none required",
            inferred.len(),
            operations.len()
        );
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The `(operationId, field)` pairs marked as inferred, per operation (a schema shared
/// by two operations counts twice); reports each one that is required or undescribed.
fn inferred_fields(spec: &Spec, failures: &mut Vec<String>) -> Vec<(String, String)> {
    let doc = spec.document();
    let mut out = Vec::new();
    for (_, _, op) in operations(doc) {
        let id = op["operationId"].as_str().unwrap_or("?").to_owned();
        let media = op["requestBody"]["content"].as_object().into_iter();
        for media in media.flat_map(|m| m.values()) {
            let schema = resolve(doc, &media["schema"]);
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (name, field) in schema["properties"].as_object().into_iter().flatten() {
                if field["x-crewsense-inferred"] != Value::Bool(true) {
                    continue;
                }
                if required.contains(&name.as_str()) {
                    failures.push(format!("{id}: the inferred field `{name}` is required"));
                }
                let said = field["description"]
                    .as_str()
                    .is_some_and(|d| d.contains("Inferred, not in the reference"));
                if !said {
                    failures.push(format!(
                        "{id}: the description of `{name}` does not say it is inferred"
                    ));
                }
                out.push((id.clone(), name.clone()));
            }
        }
    }
    out
}

/// Checks the declarations against the methods and against the catalogue.
fn idempotency(spec: &Spec, failures: &mut Vec<String>) {
    for (method, path, op) in operations(spec.document()) {
        let id = op["operationId"].as_str().unwrap_or("?");
        let declared = &op["x-crewsense-idempotent"];
        let must_declare = matches!(method, "post" | "patch") || id == "create_user";
        if must_declare && !declared.is_boolean() {
            failures.push(format!(
                "{method} {path} ({id}) does not declare x-crewsense-idempotent"
            ));
        }
        let expected = declared
            .as_bool()
            .unwrap_or(matches!(method, "get" | "put" | "delete"));
        match Operation::by_id(id) {
            Some(entry) if entry.idempotent == expected => {}
            Some(entry) => failures.push(format!(
                "{id}: the catalogue says idempotent = {}, the spec {expected}",
                entry.idempotent
            )),
            None => failures.push(format!("{id}: not in the catalogue")),
        }
    }
    match Operation::by_id("create_user") {
        Some(op) if !op.idempotent => {}
        _ => failures.push("PUT /users creates a user and must never be resent".to_owned()),
    }
}

/// `(method, path, operation)` for every operation of the spec.
fn operations(doc: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .filter(|(_, op)| op.get("operationId").is_some())
                .map(move |(method, op)| (method.as_str(), path.as_str(), op))
        })
}

/// A schema with a top-level `$ref` to a component replaced by the component.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
        Some(name) => &doc["components"]["schemas"][name],
        None => schema,
    }
}
