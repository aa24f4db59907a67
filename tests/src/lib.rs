//! Shared helpers for the workspace tests: the spec, read as JSON Schema.
//!
//! OpenAPI 3.0 schemas are not quite JSON Schema: `nullable: true` means "or null"
//! beside a `type`, and nothing elsewhere (OpenAPI 3.0.3, as strict tools read it).
//! [`translate`] rewrites the spec into plain JSON Schema so that a standard validator
//! (the `jsonschema` crate, draft 7) can check payloads against the spec.

pub mod contract;
pub mod fixtures;
pub mod scenario;

/// A date written `YYYY-MM-DD` (tests only: panics on anything else).
pub fn date(text: &str) -> crewsense::time::Date {
    text.parse().expect("a date YYYY-MM-DD")
}

/// The sandbox's seeded year, 2025, with an exclusive end.
pub fn year_2025() -> crewsense::time::DateRange {
    crewsense::time::DateRange::from(date("2025-01-01")..date("2026-01-01"))
}

/// Settings for a client of `sandbox`: its credentials, base URL and token URL.
pub fn sandbox_client(sandbox: &crewsense_sandbox::Sandbox) -> crewsense::ClientBuilder {
    crewsense::Client::builder()
        .client_credentials(sandbox.client_id(), sandbox.client_secret())
        .base_url(sandbox.base_url())
        .token_url(sandbox.token_url())
}

/// A client with a fixed access token for the API under `/v1` of `server` (a wiremock
/// server's URI).
pub fn static_client(server: &str) -> crewsense::Client {
    crewsense::Client::builder()
        .static_token("test-token")
        .base_url(format!("{server}/v1"))
        .build()
        .expect("a client of a loopback server")
}

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

/// The workspace root (the parent of this package).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace")
        .to_path_buf()
}

/// The OpenAPI spec, parsed.
pub struct Spec {
    doc: Value,
    components: Value,
}

/// One operation of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecOperation {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// The `operationId`.
    pub id: String,
}

impl Spec {
    /// Reads `openapi/crewsense.yaml`.
    pub fn load() -> Spec {
        let path = workspace_root().join("openapi/crewsense.yaml");
        let text = std::fs::read_to_string(&path).expect("read the spec");
        let doc: Value = serde_norway::from_str(&text).expect("the spec is valid YAML");
        let schemas: Map<String, Value> = doc["components"]["schemas"]
            .as_object()
            .expect("the spec has component schemas")
            .iter()
            .map(|(name, schema)| (name.clone(), translate(schema)))
            .collect();
        let components = json!({ "schemas": schemas });
        Spec { doc, components }
    }

    /// The spec as parsed, untranslated (extensions such as `x-crewsense-*` included).
    pub fn document(&self) -> &Value {
        &self.doc
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> Vec<SpecOperation> {
        let mut out = Vec::new();
        for (path, item) in self.doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                if let Some(id) = op["operationId"].as_str() {
                    out.push(SpecOperation {
                        method: method.to_uppercase(),
                        path: path.clone(),
                        id: id.to_owned(),
                    });
                }
            }
        }
        out
    }

    fn operation(&self, method: &str, path: &str) -> Option<&Value> {
        self.doc["paths"].get(path)?.get(method.to_lowercase())
    }

    /// The JSON Schema of the response to `method path` with `status`, falling back
    /// to the `4XX`/`5XX` range entry.
    pub fn response_schema(&self, method: &str, path: &str, status: u16) -> Option<Value> {
        let responses = &self.operation(method, path)?["responses"];
        let range = format!("{}XX", status / 100);
        let mut response = responses
            .get(status.to_string())
            .or_else(|| responses.get(&range))?;
        if let Some(reference) = response["$ref"].as_str() {
            let name = reference.rsplit('/').next()?;
            response = &self.doc["components"]["responses"][name];
        }
        self.rooted(&response["content"]["application/json"]["schema"])
    }

    /// The JSON Schema of the request body of `method path`.
    pub fn request_schema(&self, method: &str, path: &str) -> Option<Value> {
        let body = &self.operation(method, path)?["requestBody"]["content"];
        self.rooted(&body["application/json"]["schema"])
    }

    /// The query parameters of `method path`: name, whether required, JSON Schema.
    pub fn query_parameters(&self, method: &str, path: &str) -> Vec<(String, bool, Value)> {
        let shared = self.doc["paths"][path]["parameters"].as_array();
        let own = self
            .operation(method, path)
            .and_then(|op| op["parameters"].as_array());
        shared
            .into_iter()
            .chain(own)
            .flatten()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| {
                let name = p["name"].as_str()?.to_owned();
                let required = p["required"].as_bool().unwrap_or(false);
                Some((name, required, self.rooted(&p["schema"])?))
            })
            .collect()
    }

    /// The JSON Schema of a named component schema.
    pub fn component_schema(&self, name: &str) -> Option<Value> {
        self.rooted(&json!({ "$ref": format!("#/components/schemas/{name}") }))
    }

    /// A schema made self-contained: the translated components ride along so that
    /// `#/components/schemas/...` references resolve.
    fn rooted(&self, schema: &Value) -> Option<Value> {
        if schema.is_null() {
            return None;
        }
        let mut root = Map::new();
        root.insert("allOf".into(), json!([translate(schema)]));
        root.insert("components".into(), self.components.clone());
        Some(Value::Object(root))
    }
}

/// Checks `instance` against a schema from [`Spec`]; the error lists every violation
/// with its location.
pub fn validate(schema: &Value, instance: &Value) -> Result<(), Vec<String>> {
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(schema)
        .map_err(|e| vec![format!("invalid schema: {e}")])?;
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{}: {}", e.instance_path, excerpt(&e.to_string(), 200)))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Rewrites an OpenAPI 3.0 schema into JSON Schema (draft 7).
///
/// - `nullable: true` beside `type` adds `"null"` to the type (and to an `enum`);
///   without a `type` it has no effect, as OpenAPI 3.0.3 says: a nullable shared
///   schema is written `oneOf: [{$ref: ...}, {enum: [null]}]`.
/// - `$ref` siblings are dropped, as OpenAPI 3.0 ignores them.
/// - Extensions (`x-*`) and documentation keywords are dropped.
pub fn translate(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                return json!({ "$ref": reference });
            }
            let mut out = Map::new();
            for (key, value) in map {
                let dropped = key.starts_with("x-")
                    || matches!(key.as_str(), "nullable" | "example" | "discriminator");
                if dropped {
                    continue;
                }
                let value = match (key.as_str(), value) {
                    ("properties", Value::Object(properties)) => Value::Object(
                        properties
                            .iter()
                            .map(|(name, schema)| (name.clone(), translate(schema)))
                            .collect(),
                    ),
                    ("allOf" | "oneOf" | "anyOf", Value::Array(schemas)) => {
                        Value::Array(schemas.iter().map(translate).collect())
                    }
                    ("items" | "not" | "additionalProperties", schema) => translate(schema),
                    (_, value) => value.clone(),
                };
                out.insert(key.clone(), value);
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                nullable(&mut out);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn nullable(schema: &mut Map<String, Value>) {
    let Some(Value::String(ty)) = schema.get("type").cloned() else {
        return;
    };
    schema.insert("type".into(), json!([ty, "null"]));
    if let Some(Value::Array(values)) = schema.get_mut("enum") {
        values.push(Value::Null);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_beside_type_adds_null_to_the_type_and_enum() {
        let schema = translate(&json!({"type": "string", "enum": ["a"], "nullable": true}));
        assert_eq!(
            schema,
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
    }

    #[test]
    fn nullable_beside_all_of_without_a_type_still_refuses_null() {
        let spec = Spec::load();
        let schema = translate(&json!({
            "allOf": [{"$ref": "#/components/schemas/Id"}],
            "nullable": true,
            "description": "x"
        }));
        assert_eq!(
            schema,
            json!({"allOf": [{"$ref": "#/components/schemas/Id"}], "description": "x"})
        );
        let rooted = spec.rooted(&schema).unwrap();
        assert!(validate(&rooted, &Value::Null).is_err());
    }

    #[test]
    fn a_reference_or_null_accepts_null_and_the_reference() {
        let spec = Spec::load();
        let schema = spec
            .rooted(&json!({"oneOf": [{"$ref": "#/components/schemas/Id"}, {"enum": [null]}]}))
            .unwrap();
        assert!(validate(&schema, &Value::Null).is_ok());
        assert!(validate(&schema, &json!("17")).is_ok());
        assert!(validate(&schema, &json!("seventeen")).is_err());
    }

    #[test]
    fn nested_properties_are_translated_and_extensions_dropped() {
        let schema = translate(&json!({
            "type": "object",
            "x-rust-type": {"path": "a::B"},
            "properties": {"items": {"type": "array", "nullable": true, "items": {"type": "integer"}}},
            "additionalProperties": {"type": "string", "nullable": true}
        }));
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {"items": {"type": ["array", "null"], "items": {"type": "integer"}}},
                "additionalProperties": {"type": ["string", "null"]}
            })
        );
    }

    #[test]
    fn the_spec_rejects_what_the_api_never_sends() {
        let spec = Spec::load();
        let id = spec.component_schema("Id").unwrap();
        assert!(validate(&id, &json!("1773")).is_ok());
        assert!(validate(&id, &json!(1773)).is_ok());
        assert!(validate(&id, &json!("seventeen")).is_err());
        let error = spec
            .response_schema("GET", "/users/{user_id}", 404)
            .unwrap();
        assert!(validate(&error, &json!({"status": 404, "error_message": ["a", "b"]})).is_ok());
        assert!(validate(&error, &json!({"status": 404, "error_message": 3})).is_err());
    }
}
