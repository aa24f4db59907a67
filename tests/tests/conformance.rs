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
use crewsense_tests::fixtures::{Direction, Fixture, load_manifest};
use crewsense_tests::{Spec, validate};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
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

/// A record id; 0 stands for "not found", which later calls then report as 404s.
type Id = u64;

/// Reads an id sent as a number or a numeric string.
fn id(v: &Value) -> Id {
    match v {
        Value::Number(n) => n.as_u64().unwrap_or_default(),
        Value::String(s) => s.parse().unwrap_or_default(),
        _ => 0,
    }
}

/// The request of one call: path parameters in template order, query, body.
#[derive(Default)]
struct Call {
    path: Vec<Id>,
    query: Vec<(&'static str, String)>,
    body: Payload,
}

#[derive(Default)]
enum Payload {
    #[default]
    None,
    Json(Value),
    /// A multipart body with one `file` part.
    File(&'static str, &'static [u8]),
}

/// A call with no path parameters.
fn call() -> Call {
    Call::default()
}

/// A call with these path parameters.
fn at<const N: usize>(ids: [Id; N]) -> Call {
    Call {
        path: ids.to_vec(),
        ..Call::default()
    }
}

impl Call {
    fn q(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// A `start`..`end` query.
    fn between(self, (start, end): (&str, &str)) -> Self {
        self.q("start", start).q("end", end)
    }

    fn json(mut self, body: Value) -> Self {
        self.body = Payload::Json(body);
        self
    }

    fn file(mut self, name: &'static str, bytes: &'static [u8]) -> Self {
        self.body = Payload::File(name, bytes);
        self
    }
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

    /// Calls `op_id` with the reference's request example for it, the top-level fields
    /// of `overrides` replaced.
    async fn run_example(&mut self, op_id: &str, call: Call, overrides: Value) -> Value {
        let body = self.example(op_id, overrides);
        self.run(op_id, call.json(body)).await
    }

    /// Calls a creating operation and answers the `id` of the new record.
    async fn create(&mut self, op_id: &str, call: Call) -> Id {
        id(&self.run(op_id, call).await["id"])
    }

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

    /// The reference's request example of operation `op_id`, with the top-level
    /// fields of `overrides` replaced (the reference's ids do not exist here).
    fn example(&self, op_id: &str, overrides: Value) -> Value {
        let op = Operation::by_id(op_id).expect("an operation of the catalogue");
        let fixture = self
            .examples
            .iter()
            .find(|f| {
                f.direction == Direction::Request
                    && f.method.as_deref() == Some(op.method)
                    && f.path == op.path
            })
            .unwrap_or_else(|| panic!("no request example for {op:?}"));
        let bytes = fixture.read().expect("the example is readable");
        merge(
            serde_json::from_slice(&bytes).expect("the example is JSON"),
            overrides,
        )
    }
}

/// The path template with its `{...}` segments replaced by `ids`, in order.
fn fill(template: &str, ids: &[Id]) -> String {
    let mut ids = ids.iter();
    let path: Vec<String> = template
        .split('/')
        .map(|segment| match segment.starts_with('{') {
            true => ids
                .next()
                .unwrap_or_else(|| panic!("{template} needs more path ids"))
                .to_string(),
            false => segment.to_owned(),
        })
        .collect();
    assert!(ids.next().is_none(), "{template} takes fewer path ids");
    path.join("/")
}

/// `base` with the top-level fields of `overrides` replaced.
fn merge(mut base: Value, overrides: Value) -> Value {
    if let (Some(base), Value::Object(overrides)) = (base.as_object_mut(), overrides) {
        base.extend(overrides);
    }
    base
}

/// The ids under `key` of the first `n` items of a list.
fn ids_of<const N: usize>(list: &Value, key: &str) -> [Id; N] {
    std::array::from_fn(|i| id(&list[i][key]))
}

/// Calls every operation of the spec: reads of the seeded data first, then each
/// section's writes followed by reads of what they wrote, deletes at the end.
async fn scenario(t: &mut Runner<'_>) {
    const JUNE: (&str, &str) = ("2025-06-01 00:00:00", "2025-07-01 00:00:00");

    // --- seeded reference data: the ids every later call uses -----------------
    let users = t.run("list_users", call()).await;
    let [user, admin, other] = ids_of(&users, "user_id");
    let employee = users[0]["employee_id"]
        .as_str()
        .unwrap_or("none")
        .to_owned();
    t.run("list_users", call().q("employee_id", employee)).await;
    let profile = t.run("get_user", at([user])).await;
    let (accrual_profile, accrual_track) = (
        id(&profile["accrual_profile"]["id"]),
        id(&profile["accrual_track"]["id"]),
    );
    let [group_a, group_b] = ids_of(&t.run("list_groups", call()).await, "id");
    let [title_a, title_b] = ids_of(&t.run("list_titles", call()).await, "id");
    t.run("get_title", at([title_a])).await;
    let [list] = ids_of(&t.run("list_lists", call()).await, "id");
    t.run("get_list", at([list])).await;
    let [label_a, label_b] = ids_of(&t.run("list_labels", call()).await, "id");
    let [filter_a, filter_b] = ids_of(&t.run("list_filters", call()).await, "id");
    let [qual_a, qual_b] = ids_of(&t.run("list_qualifiers", call()).await, "id");
    t.run("get_qualifier", at([qual_a])).await;
    t.run("list_qualifier_users", at([qual_a])).await;
    let [work_type] = ids_of(&t.run("list_work_types", call()).await, "id");
    t.run("get_work_type", at([work_type])).await;
    t.run("list_work_type_subtypes", at([work_type])).await;
    t.run("list_work_subtypes", call()).await;
    let [leave] = ids_of(&t.run("list_time_off_types", call()).await, "id");
    t.run("list_accruals", call()).await;
    let [assignment] = ids_of(&t.run("list_assignments", call()).await, "id");
    t.run("get_assignment", at([assignment])).await;
    t.run("list_assignment_groups", at([assignment])).await;
    t.run("list_assignment_admins", at([assignment])).await;
    let callbacks = t.run("list_callbacks", call().between(JUNE)).await;
    let [callback] = ids_of(&callbacks["data"], "id");
    t.run("get_callback", at([callback])).await;
    t.run("list_callback_users", at([callback])).await;
    let forms = t.run("list_forms", call()).await;
    let form = forms
        .as_object()
        .and_then(|forms| forms.keys().next())
        .map_or(0, |key| key.parse().unwrap_or_default());
    t.run("list_form_submissions", at([form])).await;
    let [ts_user] = ids_of(&t.run("list_target_solutions_users", call()).await, "id");
    t.run("get_target_solutions_user", at([ts_user])).await;
    let periods = t
        .run("list_availability_periods", call().between(JUNE))
        .await;
    let reason = id(&periods[0]["unavailability_reason"]["id"]);
    t.run("get_company", call()).await;
    t.run("get_bulletin_board", call()).await;
    let week = ("2025-06-01 00:00:00", "2025-06-08 00:00:00");
    t.run("get_schedule", call().between(week)).await;
    t.run(
        "list_day_labels",
        call().between(("2025-06-01", "2025-06-30")),
    )
    .await;
    t.run("list_logs", call()).await;
    t.run("list_payroll_entries", call().between(JUNE)).await;
    t.run("list_user_payroll_entries", at([user]).between(JUNE))
        .await;
    t.run("list_user_accrual_profiles", at([user])).await;
    t.run("list_user_accrual_balances", at([user])).await;
    t.run("list_shifts", call().q("user_id", user)).await;
    t.run("list_trades", call()).await;
    t.run("list_time_offs", call().between(JUNE)).await;
    t.run("list_signup_events", call()).await;
    t.run("list_announcements", call()).await;
    t.run("list_certifications", call()).await;
    t.run("list_visual_cycles", call()).await;

    // --- assignments ---------------------------------------------------------
    let engine = t
        .create(
            "create_assignment",
            call().json(json!({
                "name": "Conformance Engine",
                "start": "2025-06-01 08:00:00",
                "end": "2025-06-02 08:00:00",
                "positions_to_fill": 2,
            })),
        )
        .await;
    let rename = json!({ "name": "Conformance Engine 2" });
    t.run("update_assignment", at([engine]).json(rename)).await;
    t.run("get_assignment", at([engine])).await;
    let groups = json!({ "ids": [group_a, group_b] });
    t.run("replace_assignment_groups", at([engine]).json(groups))
        .await;
    t.run("list_assignment_groups", at([engine])).await;
    t.run("remove_assignment_group", at([engine, group_a]))
        .await;
    t.run("remove_assignment_groups", at([engine])).await;
    let admins = json!({ "ids": [admin] });
    t.run("replace_assignment_admins", at([engine]).json(admins))
        .await;
    t.run("list_assignment_admins", at([engine])).await;
    let day = json!({ "date": "2025-06-10", "admin_id": admin });
    t.run("finalize_assignment", at([engine]).json(day)).await;
    let day = json!({ "date": "2025-06-10" });
    t.run("unfinalize_assignment", at([engine]).json(day)).await;
    // A batch with a future date (2025-12-01) answers the partial-failure shape:
    // 200 with `error_messages`.
    let dates = json!(["2025-06-11", "2025-12-01"]);
    let batch = json!({ "assignments": [{ "id": engine, "dates": dates }], "admin_id": admin });
    t.run("finalize_assignments", call().json(batch.clone()))
        .await;
    t.run("unfinalize_assignments", call().json(batch)).await;

    // --- shifts, with the labels and qualifiers applied to them --------------
    let shift = t
        .create(
            "create_shift",
            call().json(json!({
                "assignment_id": engine,
                "user_id": user,
                "date": "2025-06-20",
                "start": "2025-06-20 08:00:00",
                "end": "2025-06-21 08:00:00",
                "work_type_id": work_type,
            })),
        )
        .await;
    t.run_example("update_shift", at([shift]), json!({})).await;
    t.run("get_shift", at([shift])).await;
    for (noun, a, b) in [("qualifiers", qual_a, qual_b), ("labels", label_a, label_b)] {
        let op = |verb: &str| format!("{verb}_shift_{noun}");
        // None yet: the list is `null`, then an array.
        t.run(&op("list"), at([shift])).await;
        t.run(&op("replace"), at([shift]).json(json!([a, b]))).await;
        t.run(&op("list"), at([shift])).await;
        let one = format!("remove_shift_{}", noun.trim_end_matches('s'));
        t.run(&one, at([shift, a])).await;
        t.run(&op("remove"), at([shift])).await;
    }

    // --- visual cycles, groups -----------------------------------------------
    let cycle = json!({
        "name": "Conformance cycle",
        "start": "2025-07-01 00:00:00",
        "end": "2025-07-31 00:00:00",
        "color": "#123456",
        "text_color": "#ffffff",
    });
    let cycle_id = t
        .create("create_visual_cycle", call().json(cycle.clone()))
        .await;
    t.run("get_visual_cycle", at([cycle_id])).await;
    let renamed = merge(cycle, json!({ "name": "Conformance cycle 2" }));
    t.run("update_visual_cycle", at([cycle_id]).json(renamed))
        .await;
    let group = json!({ "name": "Conformance group" });
    t.run("create_group", call().json(group)).await;

    // --- time off and accruals -----------------------------------------------
    let ids = json!({ "user_id": user, "admin_ids": [admin], "time_off_type_id": leave });
    let time_off = id(&t.run_example("create_time_off", call(), ids).await["id"]);
    t.run("get_time_off", at([time_off])).await;
    // The example asks for status 1 (approved): deny, then approve again.
    t.run("deny_time_off", at([time_off])).await;
    t.run("approve_time_off", at([time_off])).await;
    let kind = json!({ "label": "Conformance leave" });
    t.run("create_time_off_type", call().json(kind)).await;
    let request = json!({
        "admin_ids": [admin],
        "start_date": "2025-08-04 08:00:00",
        "end_date": "2025-08-05 08:00:00",
        "time_off_type_id": leave,
    });
    let mine = t
        .create("create_user_time_off", at([user]).json(request))
        .await;
    let note = json!({ "user_note": "Changed by the conformance test" });
    t.run("update_user_time_off", at([user, mine]).json(note))
        .await;
    let august = ("2025-08-01 00:00:00", "2025-09-01 00:00:00");
    t.run("list_user_time_offs", at([user]).between(august))
        .await;
    let adjustment = json!({ "time_off_type_id": leave, "hours": 8, "admin_id": admin });
    t.run(
        "update_user_accrual_balance",
        at([user, leave]).json(adjustment),
    )
    .await;

    // --- trades (the example's ids are strings, as some clients send them) ---
    let parties = json!({
        "requesting_user": user.to_string(),
        "accepting_user_id": other.to_string(),
        "approving_user_id": admin.to_string(),
    });
    let trade_body = t.example("create_trade", parties);
    let trade = t
        .create("create_trade", call().json(trade_body.clone()))
        .await;
    t.run("list_trade_users", at([trade])).await;
    let accept = json!({ "accepting_user_id": admin });
    t.run("update_trade", at([trade]).json(accept)).await;
    t.run("replace_trade", at([trade]).json(trade_body)).await;

    // --- labels and filters --------------------------------------------------
    let label = json!({ "label": "Conformance", "color": "#000000", "text_color": "#ffffff" });
    let label_id = t.create("create_label", call().json(label.clone())).await;
    t.run("get_label", at([label_id])).await;
    let relabel = merge(label, json!({ "label": "Conformance 2" }));
    t.run("update_label", at([label_id]).json(relabel)).await;
    let filter = json!({ "label": "Conformance" });
    let filter_id = t.create("create_filter", call().json(filter)).await;
    t.run("get_filter", at([filter_id])).await;
    let refilter = json!({ "label": "Conformance 2" });
    t.run("update_filter", at([filter_id]).json(refilter)).await;

    // --- a new user, what they belong to, and their qualifiers ---------------
    let recruit = id(&t.run_example("create_user", call(), json!({})).await["id"]);
    let accruals = json!({
        "accrual_profile": { "id": accrual_profile },
        "accrual_track": { "id": accrual_track },
    });
    t.run_example("update_user", at([recruit]), accruals).await;
    t.run("get_user", at([recruit])).await;
    for (noun, a, b) in [
        ("titles", title_a, title_b),
        ("filters", filter_a, filter_b),
        ("groups", group_a, group_b),
    ] {
        let ids = json!({ "ids": [a, b] });
        let replace = format!("replace_user_{noun}");
        t.run_example(&replace, at([recruit]), ids).await;
        t.run(&format!("list_user_{noun}"), at([recruit])).await;
    }
    let qualifier = json!({ "id": qual_a });
    t.run("add_user_qualifier", at([recruit]).json(qualifier))
        .await;
    let ranked = json!({ "ids": [{ "id": qual_a, "ranking": 1 }, { "id": qual_b, "ranking": 2 }] });
    t.run("replace_user_qualifiers", at([recruit]).json(ranked))
        .await;
    t.run("list_user_qualifiers", at([recruit])).await;
    t.run("remove_user_qualifier", at([recruit, qual_b])).await;

    // --- certifications and the recruit's certification records --------------
    let cert = json!({ "name": "Conformance cert", "cert_id": "CONF", "created_by": admin });
    let cert_id = t.create("create_certification", call().json(cert)).await;
    t.run("get_certification", at([cert_id])).await;
    let rename = json!({ "name": "Conformance cert 2" });
    t.run("update_certification", at([cert_id]).json(rename))
        .await;
    let give = json!({ "id": cert_id });
    let record = t
        .create("add_user_certification", at([recruit]).json(give))
        .await;
    t.run("get_user_certification", at([recruit, record])).await;
    let expiry = json!({ "expires": "2026-06-30" });
    t.run(
        "update_user_certification",
        at([recruit, record]).json(expiry),
    )
    .await;
    let pdf = b"%PDF-1.4\n% conformance\n";
    let upload = at([recruit, record]).file("card.pdf", pdf);
    t.run("upload_user_certification_file", upload).await;
    t.run("list_user_certifications", at([recruit])).await;
    t.run("remove_user_certification", at([recruit, record]))
        .await;
    t.run("remove_user_certifications", at([recruit])).await;

    // --- signup board, availability, announcements, alerts, bulletin board ---
    let event = json!({
        "admin_id": admin,
        "title": "Conformance drill",
        "start": "2025-07-10 08:00:00",
        "end": "2025-07-10 12:00:00",
        "employees_needed": 2,
        "work_type_id": work_type,
    });
    let event_id = t
        .create("create_signup_event", call().json(event.clone()))
        .await;
    t.run("get_signup_event", at([event_id])).await;
    let retitled = merge(event, json!({ "title": "Conformance drill 2" }));
    t.run("replace_signup_event", at([event_id]).json(retitled))
        .await;
    let signup = json!({ "user_id": user });
    t.run("add_signup_event_user", at([event_id]).json(signup))
        .await;
    t.run("list_signup_event_users", at([event_id])).await;
    t.run("remove_signup_event_user", at([event_id, user]))
        .await;
    let ids = json!({ "user_id": user, "admin_id": admin, "unavailability_reason_id": reason });
    t.run_example("create_availability_period", call(), ids)
        .await;
    let news = json!({ "title": "Conformance", "body": "<p>Conformance test</p>" });
    let news_id = t.create("create_announcement", call().json(news)).await;
    let edit = json!({ "body": "<p>Conformance test, edited</p>" });
    t.run("update_announcement", at([news_id]).json(edit)).await;
    let sender = json!({ "user_id": user.to_string() });
    t.run_example("send_ready_alert", call(), sender).await;
    let author = json!({ "admin_id": admin });
    t.run_example("replace_bulletin_board", call(), author)
        .await;

    // --- qualifiers: create (the answer has no id), delete, restore ----------
    let name = "Conformance qualifier";
    let new = json!({ "name": name, "shortcode": "CNF" });
    t.run("create_qualifier", call().json(new)).await;
    let qualifiers = t.run("list_qualifiers", call()).await;
    let created = qualifiers
        .as_array()
        .and_then(|all| all.iter().find(|q| q["name"] == name))
        .map_or(0, |q| id(&q["id"]));
    t.run("delete_qualifier", at([created])).await;
    let undelete = json!({ "undelete": 1 });
    t.run("restore_qualifier", at([created]).json(undelete))
        .await;

    // --- deletes, last --------------------------------------------------------
    for (op, record) in [
        ("delete_shift", shift),
        ("delete_assignment", engine),
        ("delete_visual_cycle", cycle_id),
        ("delete_time_off", time_off),
        ("delete_trade", trade),
        ("delete_label", label_id),
        ("delete_filter", filter_id),
        ("delete_certification", cert_id),
        ("delete_announcement", news_id),
    ] {
        t.run(op, at([record])).await;
    }
}
