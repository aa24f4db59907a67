//! Conformance test: the sandbox answers every operation of the spec the way the
//! spec says, in both of its answer modes (production and documented shapes).
//!
//! A scenario calls every operation of `openapi/crewsense.yaml` against an
//! in-process sandbox with valid parameters: ids come from the seeded data (listed
//! first) or from the records the scenario creates; request bodies are the
//! reference's request examples (`tests/fixtures/docs`, ids swapped for seeded
//! ones) where there is one, otherwise minimal bodies. Reads of created records
//! follow their writes, deletes come last. Each request body must itself be valid
//! against the spec, and each answer must have a documented 2xx status and a JSON
//! body that validates against the spec's schema for that status and decodes into
//! the generated type of the operation.
//!
//! Fails naming every operation that did not conform and every operation of the
//! spec the scenario never called. Prints `conformed N/M operations` per mode.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::ExitCode;

use crewsense_gen::catalog::Operation;
use crewsense_sandbox::{Mode, Sandbox};
use crewsense_tests::fixtures::{Fixture, load_manifest};
use crewsense_tests::scenario::{Call, Caller, Payload, call, fill, scenario};
use crewsense_tests::{Spec, validate};
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn main() -> ExitCode {
    let spec = Spec::load();
    let examples = load_manifest(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/docs"))
        .expect("the reference examples load");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut ok = true;
    if let Err(why) = runtime.block_on(self_check(&spec, &examples)) {
        eprintln!("FAILED self-check: {why}");
        ok = false;
    }
    for mode in [Mode::Production, Mode::Documented] {
        let report = runtime.block_on(conformance(&spec, &examples, mode));
        for failure in &report.failures {
            eprintln!("FAILED ({mode:?}) {failure}");
        }
        println!(
            "{mode:?}: conformed {}/{} operations",
            report.conformed, report.total
        );
        ok &= report.failures.is_empty() && report.conformed == report.total;
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

struct Report {
    conformed: usize,
    total: usize,
    failures: Vec<String>,
}

/// Runs the scenario against a fresh sandbox and checks that it covered the spec.
async fn conformance(spec: &Spec, examples: &[Fixture], mode: Mode) -> Report {
    let sandbox = Sandbox::builder()
        .mode(mode)
        .start()
        .await
        .expect("the sandbox starts");
    let mut t = Runner::new(sandbox.base_url(), sandbox.issue_token(), spec, examples);
    scenario(&mut t).await;

    let mut failures = Vec::new();
    let operations = spec.operations();
    let catalogued: BTreeSet<&str> = crewsense_gen::OPERATIONS.iter().map(|op| op.id).collect();
    for op in &operations {
        if !catalogued.contains(op.id.as_str()) {
            failures.push(format!("{}: in the spec but not in the catalogue", op.id));
        }
        if !t.called.contains(op.id.as_str()) {
            failures.push(format!(
                "{} ({} {}): never called by the scenario",
                op.id, op.method, op.path
            ));
        }
    }
    if t.called.len() != operations.len() {
        failures.push(format!(
            "the scenario called {} operations, the spec has {}",
            t.called.len(),
            operations.len()
        ));
    }
    for (id, problems) in &t.problems {
        for problem in problems {
            failures.push(format!("{id}: {problem}"));
        }
    }
    let conformed = operations
        .iter()
        .filter(|op| t.called.contains(op.id.as_str()) && !t.problems.contains_key(op.id.as_str()))
        .count();
    Report {
        conformed,
        total: operations.len(),
        failures,
    }
}

/// The checks must be able to fail: a wiremock server answers `GET /groups` with
/// what the spec forbids, and each answer must be reported for its own reason.
async fn self_check(spec: &Spec, examples: &[Fixture]) -> Result<(), String> {
    let server = MockServer::start().await;
    let base = format!("{}/v1", server.uri());
    let answer = |status: u16, body: &str, media: &str| {
        ResponseTemplate::new(status).set_body_raw(body.to_owned(), media)
    };
    let json = "application/json";
    let bad = [
        (
            answer(200, r#"[{"id":"seven"}]"#, json),
            "does not match the spec",
        ),
        (answer(202, "[]", json), "status 202 is not documented"),
        (
            answer(200, "[]", "text/plain"),
            "without an application/json type",
        ),
        (answer(200, "<html>", "text/html"), "body is not JSON"),
        (answer(503, r#"{"status":503}"#, json), "status 503"),
    ];
    for (response, expected) in bad {
        server.reset().await;
        Mock::given(path("/v1/groups"))
            .respond_with(response)
            .mount(&server)
            .await;
        let mut t = Runner::new(&base, "token".into(), spec, examples);
        t.run("list_groups", call()).await;
        let problems = t.problems.remove("list_groups").unwrap_or_default();
        if !problems.iter().any(|p| p.contains(expected)) {
            return Err(format!(
                "expected a problem \"{expected}\", got {problems:?}"
            ));
        }
    }
    Ok(())
}

/// Makes the calls, checks the answers, and remembers what was called and what
/// went wrong, per operation id.
struct Runner<'a> {
    http: reqwest::Client,
    base: String,
    token: String,
    spec: &'a Spec,
    examples: &'a [Fixture],
    called: BTreeSet<&'static str>,
    problems: BTreeMap<&'static str, Vec<String>>,
}

impl<'a> Runner<'a> {
    fn new(base: &str, token: String, spec: &'a Spec, examples: &'a [Fixture]) -> Self {
        Runner {
            http: reqwest::Client::new(),
            base: base.to_owned(),
            token,
            spec,
            examples,
            called: BTreeSet::new(),
            problems: BTreeMap::new(),
        }
    }
}

impl Caller for Runner<'_> {
    /// Calls operation `op_id`; answers its JSON body, or `null` when the call did
    /// not conform (the problem is recorded).
    async fn run(&mut self, op_id: &str, call: Call) -> Value {
        let op = Operation::by_id(op_id)
            .unwrap_or_else(|| panic!("{op_id} is not an operation of the catalogue"));
        self.called.insert(op.id);
        match self.exchange(op, call).await {
            Ok(body) => body,
            Err(problem) => {
                self.problems.entry(op.id).or_default().push(problem);
                Value::Null
            }
        }
    }

    fn examples(&self) -> &[Fixture] {
        self.examples
    }
}

impl Runner<'_> {
    async fn exchange(&self, op: &Operation, call: Call) -> Result<Value, String> {
        let url = format!("{}{}", self.base, fill(op.path, &call.path));
        let method = op.method.parse().expect("an HTTP method");
        let mut request = self
            .http
            .request(method, url)
            .bearer_auth(&self.token)
            .query(&call.query);
        request = match call.body {
            Payload::None => request,
            Payload::Json(body) => request.json(&self.checked_request(op, body)?),
            Payload::File(name, bytes) => {
                request.multipart(Form::new().part("file", Part::bytes(bytes).file_name(name)))
            }
        };
        let response = request
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = response.status().as_u16();
        let json_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        let body: Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("status {status}, body is not JSON ({e})"))?;
        if !(200..300).contains(&status) {
            return Err(format!("status {status} for a valid call: {body}"));
        }
        if !json_type {
            return Err(format!("status {status} without an application/json type"));
        }
        let schema = self
            .spec
            .response_schema(op.method, op.path, status)
            .ok_or_else(|| format!("status {status} is not documented"))?;
        validate(&schema, &body).map_err(|errors| {
            format!(
                "status {status}, body does not match the spec: {}",
                errors.join("; ")
            )
        })?;
        (op.response)(&bytes).map_err(|e| format!("does not decode as the generated type: {e}"))?;
        Ok(body)
    }

    /// The body, once it is known to be valid against the spec and to decode into
    /// the generated request type: a scenario that sends what the spec forbids
    /// proves nothing.
    fn checked_request(&self, op: &Operation, body: Value) -> Result<Value, String> {
        let schema = self
            .spec
            .request_schema(op.method, op.path)
            .ok_or("the scenario sends a JSON body the spec does not describe")?;
        validate(&schema, &body).map_err(|errors| {
            format!(
                "the scenario's request body breaks the spec: {}",
                errors.join("; ")
            )
        })?;
        let decode = op.request.ok_or("the operation has no request codec")?;
        decode(body.to_string().as_bytes())
            .map_err(|e| format!("the scenario's request body does not decode: {e}"))?;
        Ok(body)
    }
}
