//! The request side of the spec is honest about what it knows.
//!
//! - Every request member (body field or query parameter) that comes from inference
//!   rather than from the reference is marked `x-crewsense-inferred: true`, says so in
//!   its description, and is never required: a wrong guess of ours must not stop a
//!   call that the API would accept.
//! - Every request member or body that the spec describes otherwise than the
//!   reference's parameter table is marked `x-crewsense-differs-from-reference: true`
//!   and gives its evidence in its description.
//! - Every `POST`, every `PATCH` and `PUT /users` declares `x-crewsense-idempotent`,
//!   and the catalogue the retry layer reads (`OPERATIONS`) carries the same answer.
//!
//! Prints `N inferred request members (B body fields, Q query parameters) in M
//! operations, none required; D differences from the reference, each with its evidence`.

use std::process::ExitCode;

use crewsense_gen::catalog::Operation;
use crewsense_tests::Spec;
use serde_json::Value;

fn main() -> ExitCode {
    let spec = Spec::load();
    let mut failures = Vec::new();
    let inferred = inferred_fields(&spec, &mut failures);
    let parameters = inferred_parameters(&spec, &mut failures);
    let operations: std::collections::BTreeSet<&str> = inferred
        .iter()
        .chain(&parameters)
        .map(|(op, _)| op.as_str())
        .collect();
    let differences = differences(&spec, &mut failures);
    idempotency(&spec, &mut failures);
    if inferred.is_empty() || parameters.is_empty() {
        failures.push("no request field or no parameter is marked x-crewsense-inferred".to_owned());
    }
    if differences.is_empty() {
        failures.push("nothing is marked x-crewsense-differs-from-reference".to_owned());
    }
    for failure in &failures {
        eprintln!("FAILED {failure}");
    }
    if failures.is_empty() {
        println!(
            "{} inferred request members ({} body fields, {} query parameters) in {} \
             operations, none required; {} differences from the reference, each with its \
             evidence",
            inferred.len() + parameters.len(),
            inferred.len(),
            parameters.len(),
            operations.len(),
            differences.len()
        );
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The `(operationId, field)` pairs marked as inferred, per operation (a schema shared
/// by two operations counts twice); reports each one that is required or undescribed.
fn inferred_fields(spec: &Spec, failures: &mut Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (id, schema) in request_bodies(spec.document()) {
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
            says(id, name, field, INFERRED, failures);
            out.push((id.to_owned(), name.clone()));
        }
    }
    out
}

/// The `(operationId, parameter)` pairs marked as inferred; reports each one that is
/// required or undescribed.
fn inferred_parameters(spec: &Spec, failures: &mut Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (id, parameter) in parameters(spec.document()) {
        if parameter["x-crewsense-inferred"] != Value::Bool(true) {
            continue;
        }
        let name = parameter["name"].as_str().unwrap_or("?");
        if parameter["required"] == Value::Bool(true) {
            failures.push(format!("{id}: the inferred parameter `{name}` is required"));
        }
        says(id, name, parameter, INFERRED, failures);
        out.push((id.to_owned(), name.to_owned()));
    }
    out
}

/// What the description of an inferred member says.
const INFERRED: &str = "Inferred, not in the reference";
/// What the description of a member that differs from the reference says, before the
/// evidence.
const DIFFERS: &str = "Differs from the reference:";

/// Reports `member` of operation `id` if its description does not say `phrase`.
fn says(id: &str, name: &str, member: &Value, phrase: &str, failures: &mut Vec<String>) {
    let said = member["description"]
        .as_str()
        .is_some_and(|d| d.contains(phrase));
    if !said {
        failures.push(format!(
            "{id}: the description of `{name}` does not say \"{phrase}\""
        ));
    }
}

/// The `(operationId, member)` pairs marked as differing from the reference (`body`
/// for a whole request body); reports each one whose description gives no evidence.
fn differences(spec: &Spec, failures: &mut Vec<String>) -> Vec<(String, String)> {
    let doc = spec.document();
    let mut members: Vec<(&str, &str, &Value)> = Vec::new();
    for (id, schema) in request_bodies(doc) {
        members.push((id, "body", schema));
        for (name, field) in schema["properties"].as_object().into_iter().flatten() {
            members.push((id, name, field));
        }
    }
    for (id, parameter) in parameters(doc) {
        members.push((id, parameter["name"].as_str().unwrap_or("?"), parameter));
    }
    let mut out = Vec::new();
    for (id, name, member) in members {
        if member["x-crewsense-differs-from-reference"] == Value::Bool(true) {
            says(id, name, member, DIFFERS, failures);
            out.push((id.to_owned(), name.to_owned()));
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

/// `(operationId, schema)` for the request body of every operation, per media type,
/// a top-level `$ref` resolved.
fn request_bodies(doc: &Value) -> impl Iterator<Item = (&str, &Value)> {
    operations(doc).flat_map(move |(_, _, op)| {
        let id = op["operationId"].as_str().unwrap_or("?");
        let media = op["requestBody"]["content"].as_object().into_iter();
        media
            .flat_map(|m| m.values())
            .map(move |media| (id, resolve(doc, &media["schema"])))
    })
}

/// `(operationId, parameter)` for every parameter of every operation, those of its
/// path included.
fn parameters(doc: &Value) -> impl Iterator<Item = (&str, &Value)> {
    operations(doc).flat_map(move |(_, path, op)| {
        let id = op["operationId"].as_str().unwrap_or("?");
        let shared = doc["paths"][path]["parameters"].as_array();
        let own = op["parameters"].as_array();
        shared
            .into_iter()
            .chain(own)
            .flatten()
            .map(move |parameter| (id, parameter))
    })
}

/// A schema with a top-level `$ref` to a component replaced by the component.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
        Some(name) => &doc["components"]["schemas"][name],
        None => schema,
    }
}
