//! Conformance through the SDK: every operation of the spec, sent the way users'
//! code sends it (`crewsense::Client`, the generated builders, the typed
//! conveniences, the hand-written upload), against the sandbox in both modes.
//!
//! The scenario is the one of `tests/conformance.rs` (`crewsense_tests::scenario`).
//! For each call, the request as the sandbox received it (`Sandbox::request_log`) is
//! checked against the spec: method and path template, the path parameters, every
//! query parameter known to the spec, valid for its schema and as the scenario set
//! it, the required ones present; the `api-version` header and a bearer token; and
//! `Content-Type` with a body that validates against the request schema (JSON), or
//! a multipart body with a `file` part, or neither. The answer must have a
//! documented 2xx status and decode into the operation's generated type (the SDK
//! call fails otherwise). A self-check first proves that wrong requests are caught.
//!
//! Prints `sent N/135 operations through the SDK` per mode.

mod dispatch;

use crewsense_tests::sandbox_client;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::ExitCode;

use crewsense::{CertificationFile, Client, Error, RawRequest};
use crewsense_gen::catalog::Operation;
use crewsense_sandbox::{Mode, RecordedRequest, Sandbox};
use crewsense_tests::fixtures::{Fixture, load_manifest};
use crewsense_tests::scenario::{Call, Caller, Payload, call, fill, scenario};
use crewsense_tests::{Spec, validate};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn main() -> ExitCode {
    let spec = Spec::load();
    let examples = load_manifest(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/docs"))
        .expect("the reference examples load");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut ok = true;
    if let Err(why) = runtime.block_on(self_check(&spec)) {
        eprintln!("FAILED self-check: {why}");
        ok = false;
    }
    for mode in [Mode::Production, Mode::Documented] {
        let (sent, total, failures) = runtime.block_on(conformance(&spec, &examples, mode));
        for failure in &failures {
            eprintln!("FAILED ({mode:?}) {failure}");
        }
        println!("{mode:?}: sent {sent}/{total} operations through the SDK");
        ok &= failures.is_empty() && sent == total;
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs the scenario through the SDK: the operations that conformed, the number of
/// operations in the spec, and every failure.
async fn conformance(spec: &Spec, examples: &[Fixture], mode: Mode) -> (usize, usize, Vec<String>) {
    let sandbox = Sandbox::builder()
        .mode(mode)
        .start()
        .await
        .expect("the sandbox starts");
    let mut t = SdkRunner::new(&sandbox, spec, examples);
    scenario(&mut t).await;

    let mut failures = Vec::new();
    let operations = spec.operations();
    for op in &operations {
        if !t.called.contains(op.id.as_str()) {
            failures.push(format!("{} ({} {}): never sent", op.id, op.method, op.path));
        }
    }
    for (id, problems) in &t.problems {
        for problem in problems {
            failures.push(format!("{id}: {problem}"));
        }
    }
    let sent = operations
        .iter()
        .filter(|op| t.called.contains(op.id.as_str()) && !t.problems.contains_key(op.id.as_str()))
        .count();
    (sent, operations.len(), failures)
}

/// The request check must be able to fail: wrong requests, sent through the SDK's raw
/// path and with plain reqwest, must each be reported for their own reason, and a
/// right one not at all.
async fn self_check(spec: &Spec) -> Result<(), String> {
    let sandbox = Sandbox::start().await.map_err(|e| e.to_string())?;
    let client = client(&sandbox);
    let label = json!({ "label": 5, "text_color": "#ffffff" });
    let wrong_body = RawRequest::new("create_label")
        .map_err(|e| e.to_string())?
        .json(label.clone());
    let no_user = RawRequest::new("list_shifts")
        .map_err(|e| e.to_string())?
        .query("bogus", 1);
    let cases = [
        (
            "create_label",
            call().json(label),
            Sent::Raw(wrong_body),
            "body breaks the request schema",
        ),
        (
            "list_shifts",
            call().q("user_id", 1001),
            Sent::Raw(no_user),
            "required query parameter `user_id` is missing",
        ),
        (
            "list_shifts",
            call().q("user_id", 1001),
            Sent::Raw(
                RawRequest::new("list_shifts")
                    .map_err(|e| e.to_string())?
                    .query("user_id", 1001)
                    .query("bogus", 1),
            ),
            "`bogus` is not a query parameter",
        ),
        (
            "create_label",
            call().json(json!({ "label": "x", "color": "#000000", "text_color": "#ffffff" })),
            Sent::Plain("text/plain"),
            "Content-Type",
        ),
    ];
    for (op_id, intended, sent, expected) in cases {
        let op = Operation::by_id(op_id).ok_or("an operation of the catalogue")?;
        let before = api_requests(&sandbox).len();
        match sent {
            Sent::Raw(request) => drop(client.send_raw(request).await),
            Sent::Plain(content_type) => {
                let url = format!("{}{}", sandbox.base_url(), op.path);
                reqwest::Client::new()
                    .post(url)
                    .bearer_auth(sandbox.issue_token())
                    .header("content-type", content_type)
                    .body(r##"{"label":"x","color":"#000000","text_color":"#ffffff"}"##)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
        let arrived = api_requests(&sandbox).split_off(before);
        let problems = request_problems(spec, op, &intended, &arrived);
        if !problems.iter().any(|p| p.contains(expected)) {
            return Err(format!(
                "{op_id}: expected a problem \"{expected}\", got {problems:?}"
            ));
        }
    }
    let before = api_requests(&sandbox).len();
    client
        .call(async |api| {
            api.list_shifts()
                .user_id(crewsense::wire::Id(1001))
                .send()
                .await
        })
        .await
        .map_err(|e| e.to_string())?;
    let arrived = api_requests(&sandbox).split_off(before);
    let op = Operation::by_id("list_shifts").ok_or("list_shifts")?;
    let problems = request_problems(spec, op, &call().q("user_id", 1001), &arrived);
    if !problems.is_empty() {
        return Err(format!("a right request was faulted: {problems:?}"));
    }
    Ok(())
}

/// How a self-check request is sent.
enum Sent {
    Raw(RawRequest),
    /// Plain reqwest, JSON text under this content type.
    Plain(&'static str),
}

fn client(sandbox: &Sandbox) -> Client {
    sandbox_client(sandbox)
        .build()
        .expect("a client for the sandbox")
}

/// The requests the sandbox logged for the API (token requests left out).
fn api_requests(sandbox: &Sandbox) -> Vec<RecordedRequest> {
    let mut log = sandbox.request_log();
    log.retain(|r| !r.route.contains("/oauth/"));
    log
}

/// Sends the scenario's calls through the SDK and checks what arrived.
struct SdkRunner<'a> {
    client: Client,
    sandbox: &'a Sandbox,
    spec: &'a Spec,
    examples: &'a [Fixture],
    called: BTreeSet<&'static str>,
    problems: BTreeMap<&'static str, Vec<String>>,
}

impl<'a> SdkRunner<'a> {
    fn new(sandbox: &'a Sandbox, spec: &'a Spec, examples: &'a [Fixture]) -> Self {
        SdkRunner {
            client: client(sandbox),
            sandbox,
            spec,
            examples,
            called: BTreeSet::new(),
            problems: BTreeMap::new(),
        }
    }
}

impl Caller for SdkRunner<'_> {
    async fn run(&mut self, op_id: &str, call: Call) -> Value {
        let op = Operation::by_id(op_id)
            .unwrap_or_else(|| panic!("{op_id} is not an operation of the catalogue"));
        self.called.insert(op.id);
        let before = api_requests(self.sandbox).len();
        let answer = dispatch::send(&self.client, op_id, &call).await;
        let arrived = api_requests(self.sandbox).split_off(before);
        let mut problems = request_problems(self.spec, op, &call, &arrived);
        let value = match answer {
            None => {
                problems.push("the dispatch table has no arm for it".to_owned());
                Value::Null
            }
            Some(Err(error)) => {
                problems.push(format!("the SDK call failed: {error}"));
                Value::Null
            }
            Some(Ok(value)) => value,
        };
        if let [request] = arrived.as_slice()
            && self
                .spec
                .response_schema(op.method, op.path, request.status)
                .is_none()
        {
            problems.push(format!("status {} is not documented", request.status));
        }
        if !problems.is_empty() {
            self.problems.entry(op.id).or_default().extend(problems);
        }
        value
    }

    fn examples(&self) -> &[Fixture] {
        self.examples
    }
}

/// What is wrong with the requests that arrived for one call of `op` (`call` says
/// what the scenario asked for); empty if exactly one arrived and it is right.
fn request_problems(
    spec: &Spec,
    op: &Operation,
    call: &Call,
    arrived: &[RecordedRequest],
) -> Vec<String> {
    let request = match arrived {
        [request] => request,
        _ => return vec![format!("{} requests arrived, not one", arrived.len())],
    };
    let mut problems = Vec::new();
    let expected_route = format!("{} {}", op.method, op.path);
    if request.route != expected_route {
        problems.push(format!(
            "arrived as {}, not {expected_route}",
            request.route
        ));
    }
    let url = reqwest::Url::parse(&format!("http://sandbox{}", request.path_and_query))
        .expect("a path and query");
    let expected_path = format!("/v1{}", fill(op.path, &call.path));
    if url.path() != expected_path {
        problems.push(format!("path {}, not {expected_path}", url.path()));
    }
    problems.extend(query_problems(spec, op, call, &url));
    if request.token.is_none() {
        problems.push("no bearer token".to_owned());
    }
    if request
        .headers
        .get("api-version")
        .and_then(|v| v.to_str().ok())
        != Some("1")
    {
        problems.push("no `api-version: 1` header".to_owned());
    }
    problems.extend(body_problems(spec, op, call, request));
    problems
}

fn query_problems(spec: &Spec, op: &Operation, call: &Call, url: &reqwest::Url) -> Vec<String> {
    let mut problems = Vec::new();
    let known = spec.query_parameters(op.method, op.path);
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    for (name, value) in &pairs {
        let Some((_, _, schema)) = known.iter().find(|(n, _, _)| n == name) else {
            problems.push(format!(
                "`{name}` is not a query parameter of the operation"
            ));
            continue;
        };
        let as_json = serde_json::from_str::<Value>(value)
            .ok()
            .filter(|v| !v.is_string());
        let valid = as_json.into_iter().chain([Value::String(value.clone())]);
        if !valid.into_iter().any(|v| validate(schema, &v).is_ok()) {
            problems.push(format!("query `{name}={value}` breaks its schema"));
        }
    }
    for (name, required, _) in &known {
        if *required && !pairs.iter().any(|(n, _)| n == name) {
            problems.push(format!("the required query parameter `{name}` is missing"));
        }
    }
    for (name, value) in &call.query {
        if !pairs.iter().any(|(n, v)| n == name && v == value) {
            problems.push(format!(
                "the query lacks `{name}={value}` that the call set"
            ));
        }
    }
    problems
}

fn body_problems(
    spec: &Spec,
    op: &Operation,
    call: &Call,
    request: &RecordedRequest,
) -> Vec<String> {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    let mut problems = Vec::new();
    match (&call.body, content_type) {
        (Payload::None, None) if request.body.is_empty() => {}
        (Payload::None, _) => problems.push(format!(
            "a body ({} bytes, Content-Type {content_type:?}) where the call sent none",
            request.body.len()
        )),
        (Payload::Json(_), Some(media)) if media.starts_with("application/json") => {
            match (
                serde_json::from_slice::<Value>(&request.body),
                spec.request_schema(op.method, op.path),
            ) {
                (Ok(body), Some(schema)) => {
                    if let Err(errors) = validate(&schema, &body) {
                        problems.push(format!(
                            "the body breaks the request schema: {}",
                            errors.join("; ")
                        ));
                    }
                }
                (Err(e), _) => problems.push(format!("the body is not JSON: {e}")),
                (_, None) => problems.push("the spec has no JSON body for it".to_owned()),
            }
        }
        (Payload::File(name, _), Some(media)) if media.starts_with("multipart/form-data") => {
            let body = String::from_utf8_lossy(&request.body);
            let part = format!("name=\"file\"; filename=\"{name}\"");
            if !body.contains(&part) {
                problems.push(format!("the multipart body has no part with {part}"));
            }
        }
        (_, media) => problems.push(format!("Content-Type {media:?} does not fit the body")),
    }
    problems
}

/// The JSON of a typed answer, for the scenario to read ids from.
fn encode<T: Serialize>(answer: Result<T, Error>) -> Result<Value, Error> {
    answer.map(|value| serde_json::to_value(value).expect("a typed answer encodes"))
}

/// The `index`-th path parameter as the builder's type.
fn path<T: DeserializeOwned>(call: &Call, index: usize) -> T {
    serde_json::from_value(json!(call.path[index])).expect("a path id converts")
}

/// The query parameter `name` as the builder's type, if the call set it.
fn query<T: DeserializeOwned>(call: &Call, name: &str) -> Option<T> {
    let (_, value) = call.query.iter().find(|(n, _)| *n == name)?;
    let typed = serde_json::from_value(Value::String(value.clone()))
        .or_else(|_| serde_json::from_str(value))
        .unwrap_or_else(|e| panic!("query {name}={value} does not convert: {e}"));
    Some(typed)
}

/// The call's JSON body as the builder's body type.
fn body<T: DeserializeOwned>(call: &Call) -> T {
    match &call.body {
        Payload::Json(body) => serde_json::from_value(body.clone())
            .unwrap_or_else(|e| panic!("the body {body} does not convert: {e}")),
        _ => panic!("the call has no JSON body"),
    }
}

/// The call's file, for the upload.
fn file(call: &Call) -> CertificationFile {
    match &call.body {
        Payload::File(name, bytes) => {
            CertificationFile::from_bytes(*name, "application/pdf", bytes.to_vec())
        }
        _ => panic!("the call has no file"),
    }
}
