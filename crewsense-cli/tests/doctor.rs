//! `crewsense doctor` against a sandbox on loopback (every GET operation reached,
//! nothing else sent, a capture that passes the contract check and holds no personal
//! value) and against wiremock answers the sandbox never gives (an unknown member, a
//! value that does not decode, failed operations).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use crewsense_sandbox::Sandbox;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A window of the sandbox's seeded year in which every GET operation finds an id.
const WINDOW: [&str; 4] = ["--from", "2025-06-01", "--to", "2025-09-01"];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn sandbox(runtime: &tokio::runtime::Runtime) -> Sandbox {
    runtime
        .block_on(Sandbox::builder().request_log_capacity(100_000).start())
        .unwrap()
}

/// The binary with these credentials and base URL, in a private home.
fn doctor(id: &str, secret: &str, base_url: &str, home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("crewsense").unwrap();
    cmd.env("CREWSENSE_CLIENT_ID", id)
        .env("CREWSENSE_CLIENT_SECRET", secret)
        .env("CREWSENSE_BASE_URL", base_url)
        .env("XDG_CONFIG_HOME", home)
        .env("HOME", home)
        .args(["doctor", "--format", "json"]);
    cmd
}

fn run(cmd: &mut Command) -> (Output, Value) {
    let output = cmd.output().unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output, report)
}

fn get_operations() -> Vec<&'static crewsense::api::Operation> {
    crewsense::api::OPERATIONS
        .iter()
        .filter(|op| op.method == "GET")
        .collect()
}

#[test]
fn doctor_reaches_every_get_operation_of_the_sandbox_and_sends_nothing_else() {
    let runtime = runtime();
    let sandbox = sandbox(&runtime);
    let home = tempfile::tempdir().unwrap();
    let (output, report) = run(doctor(
        sandbox.client_id(),
        &sandbox.client_secret(),
        sandbox.base_url(),
        home.path(),
    )
    .args(WINDOW));
    assert_eq!(output.status.code(), Some(0), "{report:#}");

    let operations = report["operations"].as_array().unwrap();
    assert_eq!(operations.len(), get_operations().len());
    for op in operations {
        assert_eq!(op["outcome"], "ok", "{op:#}");
        assert_eq!(op["status"], 200, "{op:#}");
        assert!(op["bytes"].as_u64().is_some(), "{op:#}");
    }
    assert!(report["token"]["lifetime_s"].as_u64().unwrap() > 0);
    assert_eq!(report["clock"]["breaks_token_expiry"], false);

    let log = sandbox.request_log();
    let sent: BTreeSet<&str> = log.iter().map(|r| r.route.as_str()).collect();
    let expected: BTreeSet<String> = get_operations()
        .iter()
        .map(|op| format!("GET {}", op.path))
        .chain(["POST /oauth/access_token".to_owned()])
        .collect();
    assert_eq!(
        sent,
        expected.iter().map(String::as_str).collect(),
        "every GET operation and the token request, nothing else"
    );
    assert_eq!(
        log.len(),
        get_operations().len() + 1,
        "one request per operation"
    );
    runtime.block_on(sandbox.shutdown());
}

/// Every string of `value`, anywhere in it.
fn strings(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The one file of the capture holding `operation`'s answer.
fn captured(dir: &Path, operation: &str) -> Value {
    let suffix = format!("_{operation}_response.json");
    let file = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|name| name.ends_with(&suffix))
        .unwrap_or_else(|| panic!("no capture of {operation}"));
    read_json(&dir.join(file))
}

#[test]
fn a_capture_passes_the_contract_check_and_keeps_no_personal_value() {
    let runtime = runtime();
    let sandbox = sandbox(&runtime);
    let home = tempfile::tempdir().unwrap();
    let capture = tempfile::tempdir().unwrap();
    let (output, report) = run(doctor(
        sandbox.client_id(),
        &sandbox.client_secret(),
        sandbox.base_url(),
        home.path(),
    )
    .args(WINDOW)
    .arg("--capture")
    .arg(capture.path()));
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    let dir = capture.path();

    let spec = crewsense_tests::Spec::load();
    let checked = crewsense_tests::contract::check_dir(&spec, dir)
        .unwrap_or_else(|failures| panic!("{failures:#?}"));
    assert_eq!(checked, get_operations().len());

    // The personal values of the whole seeded department, as the API sends them.
    let client = crewsense::Client::builder()
        .client_credentials(sandbox.client_id(), sandbox.client_secret())
        .base_url(sandbox.base_url())
        .token_url(sandbox.token_url())
        .build()
        .unwrap();
    let users = runtime
        .block_on(client.send_raw(crewsense::RawRequest::new("list_users").unwrap()))
        .unwrap();
    let mut personal = BTreeSet::new();
    for user in users.as_array().unwrap() {
        for field in [
            "first_name",
            "last_name",
            "full_name",
            "username",
            "employee_id",
            "emails",
            "phone_numbers",
        ] {
            strings(&user[field], &mut personal);
        }
    }
    personal.remove("");
    assert!(personal.len() > 100, "{} personal values", personal.len());

    let mut written = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        strings(&read_json(&entry.unwrap().path()), &mut written);
    }
    let leaked: Vec<&String> = personal.intersection(&written).collect();
    assert!(
        leaked.is_empty(),
        "personal values in the capture: {leaked:?}"
    );
    let text: String = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(!text.contains(&sandbox.client_secret()), "the secret");

    // One person, one pseudonym: the names of /schedule's shifts are the users' names.
    let names: BTreeMap<u64, String> = captured(dir, "list_users")
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let id = u["user_id"].as_u64().unwrap();
            (id, u["full_name"].as_str().unwrap().to_owned())
        })
        .collect();
    let schedule = captured(dir, "get_schedule");
    let mut compared = 0;
    for day in schedule["days"].as_object().unwrap().values() {
        for assignment in day["assignments"].as_array().into_iter().flatten() {
            for shift in assignment["shifts"].as_array().into_iter().flatten() {
                let user = &shift["user"];
                let id = user["id"].as_u64().unwrap();
                assert_eq!(user["name"].as_str(), names.get(&id).map(String::as_str));
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "{compared} shifts");

    let scrub = read_json(&dir.join("scrub.json"));
    let places: BTreeSet<(&str, &str)> = scrub["scrubbed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["operation"].as_str().unwrap(),
                s["path"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        places.contains(&("list_users", "[].first_name")),
        "{places:?}"
    );
    assert!(
        places.contains(&("list_users", "[].emails[]")),
        "{places:?}"
    );
    runtime.block_on(sandbox.shutdown());
}

#[test]
fn an_unknown_member_and_a_degrading_value_are_reported_with_their_paths_and_failures_exit_1() {
    let runtime = runtime();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/access_token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "t0ken-value-never-printed",
                "token_type": "bearer",
                "expires_in": 86400
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/groups"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([
                {"id": 1, "label": "Station 1", "radio_channel": "Ops 4"},
                {"id": 2, "label": "Station 2", "radio_channel": "Ops 5"}
            ])))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([
                {"user_id": 7, "first_name": "Ann", "date_of_hire": "last spring"}
            ])))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/qualifiers"))
            .respond_with(
                ResponseTemplate::new(200).set_body_string("[{\"id\": 1, \"name\": \"Ann"),
            )
            .mount(&server)
            .await;
        server
    });
    let home = tempfile::tempdir().unwrap();
    let capture = tempfile::tempdir().unwrap();
    let (output, report) = run(doctor(
        "id",
        "a-secret",
        &format!("{}/v1", server.uri()),
        home.path(),
    )
    .arg("--capture")
    .arg(capture.path()));
    assert_eq!(output.status.code(), Some(1), "{report:#}");

    let op = |id: &str| {
        report["operations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|op| op["operation"] == id)
            .unwrap()
            .clone()
    };
    let groups = op("list_groups");
    assert_eq!(groups["outcome"], "ok");
    assert_eq!(
        groups["unknown"],
        json!([{"path": "[].radio_channel", "json_type": "string", "count": 2}])
    );
    let users = op("list_users");
    assert_eq!(users["outcome"], "ok");
    assert_eq!(users["degraded"][0]["path"], "[0].date_of_hire");
    assert_eq!(users["degraded"][0]["found"], "\"last spring\"");
    assert_eq!(users["unknown"], json!([]));

    let company = op("get_company");
    assert_eq!(company["outcome"], "failed");
    assert_eq!(company["status"], 404);
    // A success whose text is cut short is a failure, and is not captured.
    let qualifiers = op("list_qualifiers");
    assert_eq!(qualifiers["outcome"], "failed");
    let error = qualifiers["error"].as_str().unwrap();
    assert!(
        error.starts_with("the answer is not JSON: expected"),
        "{error}"
    );
    let manifest = read_json(&capture.path().join("manifest.json"));
    assert!(
        manifest
            .as_array()
            .unwrap()
            .iter()
            .all(|entry| entry["path"] != "/qualifiers"),
        "{manifest:#}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("operations failed"), "{stderr}");
    assert!(stderr.contains("get_company"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("t0ken-value") && !stderr.contains("t0ken-value"));

    // The member the spec does not know is scrubbed like any personal value.
    let groups = captured(capture.path(), "list_groups");
    let mut written = BTreeSet::new();
    strings(&groups, &mut written);
    assert!(
        !written.contains("Ops 4") && !written.contains("Station 1"),
        "{written:?}"
    );
    assert_eq!(groups[0]["id"], 1);

    let requests = runtime.block_on(server.received_requests()).unwrap();
    assert!(
        requests
            .iter()
            .all(|r| r.method.as_str() == "GET" || r.url.path() == "/oauth/access_token"),
        "only GET and the token request"
    );
}

/// `crewsense` on an embedded sandbox: `--sandbox`, or `--sandbox-department DIR`.
fn embedded(sandbox: &[&str], home: &Path, args: &[&str]) -> Value {
    let output = Command::cargo_bin("crewsense")
        .unwrap()
        .env_remove("CREWSENSE_CLIENT_ID")
        .env_remove("CREWSENSE_PROFILE")
        .env("XDG_CONFIG_HOME", home)
        .env("HOME", home)
        .args(sandbox)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_capture_of_the_seeded_sandbox_served_again_reads_the_same_rows_names_aside() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("capture");
    let dir_arg = dir.to_str().unwrap();
    let week = ["--from", "2025-06-02", "--to", "2025-06-09"];
    let mut capture = Command::cargo_bin("crewsense").unwrap();
    capture
        .env("XDG_CONFIG_HOME", home.path())
        .env("HOME", home.path())
        .args([
            "--sandbox",
            "doctor",
            "--format",
            "json",
            "--capture",
            dir_arg,
        ])
        .args(week);
    let (output, _) = run(&mut capture);
    assert!(output.status.success(), "{output:?}");

    let seeded = ["--sandbox"];
    let served = ["--sandbox-department", dir_arg];
    // What is not personal comes back as it was, row by row, in order.
    let schedule = ["schedule", "--fields", "date,user_id,start,end,hours"];
    let schedule = [&schedule[..], &week[..]].concat();
    let before = embedded(&seeded, home.path(), &schedule);
    assert!(
        before.as_array().is_some_and(|rows| rows.len() > 100),
        "{before}"
    );
    assert_eq!(embedded(&served, home.path(), &schedule), before);
    let users = ["users", "--fields", "user_id"];
    let before = embedded(&seeded, home.path(), &users);
    assert!(
        before.as_array().is_some_and(|rows| rows.len() > 10),
        "{before}"
    );
    assert_eq!(embedded(&served, home.path(), &users), before);

    // Names are pseudonyms, one per person: the schedule's name of a user is the
    // name `users` gives them, and it is not the seeded one.
    let names = |sandbox: &[&str], args: &[&str]| -> BTreeMap<u64, String> {
        let rows = embedded(sandbox, home.path(), args);
        rows.as_array()
            .unwrap()
            .iter()
            .map(|row| {
                let id = row["user_id"].as_u64().unwrap();
                (id, row["name"].as_str().unwrap_or_default().to_owned())
            })
            .collect()
    };
    let on_schedule = [&["schedule", "--fields", "user_id,name"][..], &week[..]].concat();
    let served_users = names(&served, &["users", "--fields", "user_id,name"]);
    let seeded_users = names(&seeded, &["users", "--fields", "user_id,name"]);
    for (id, name) in names(&served, &on_schedule) {
        assert_eq!(served_users.get(&id), Some(&name), "user {id}");
        assert_ne!(
            seeded_users.get(&id),
            Some(&name),
            "user {id} kept their name"
        );
    }
}
