//! The `crewsense` binary against a sandbox on loopback: the task commands in every
//! format compared with what the facade returns, `crewsense api` for every HTTP
//! method, the credentials file, the exit statuses, and the secret never printed.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use crewsense::Client;
use crewsense::paginate::Period;
use crewsense::time::{Date, DateRange};
use crewsense_sandbox::Sandbox;
use serde_json::Value;

/// A sandbox running on its own runtime while the binary runs, and a private
/// config directory.
struct Env {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    config: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = runtime.block_on(Sandbox::start()).unwrap();
        Env {
            runtime,
            sandbox,
            config: tempfile::tempdir().unwrap(),
        }
    }

    /// The binary with no credentials at all, and the config dir of this test.
    fn bare(&self) -> Command {
        let mut cmd = Command::cargo_bin("crewsense").unwrap();
        cmd.env_remove("CREWSENSE_CLIENT_ID")
            .env_remove("CREWSENSE_CLIENT_SECRET")
            .env_remove("CREWSENSE_BASE_URL")
            .env("XDG_CONFIG_HOME", self.config.path())
            .env("HOME", self.config.path());
        cmd
    }

    /// The binary with this sandbox's credentials in the environment.
    fn cmd(&self) -> Command {
        let mut cmd = self.bare();
        cmd.env("CREWSENSE_CLIENT_ID", self.sandbox.client_id())
            .env("CREWSENSE_CLIENT_SECRET", self.sandbox.client_secret())
            .env("CREWSENSE_BASE_URL", self.sandbox.base_url());
        cmd
    }

    /// Runs the binary with `args`, expecting success, and returns stdout.
    fn stdout(&self, args: &[&str]) -> String {
        let output = self.cmd().args(args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn client(&self) -> Client {
        Client::builder()
            .client_credentials(self.sandbox.client_id(), self.sandbox.client_secret())
            .base_url(self.sandbox.base_url())
            .build()
            .unwrap()
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    fn credentials_file(&self) -> PathBuf {
        self.config
            .path()
            .join("crewsense")
            .join("credentials.toml")
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

const WEEK: [&str; 4] = ["--from", "2025-06-02", "--to", "2025-06-09"];
const UPLOAD: &str = "POST /users/{user_id}/certifications/{id}/file";

fn csv_records(text: &str) -> Vec<serde_json::Map<String, Value>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), Value::String(v.to_owned())))
                .collect()
        })
        .collect()
}

fn json_rows(text: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(text).unwrap()
}

fn ndjson_rows(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A JSON value as the text a CSV cell holds.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map_or(n.to_string(), |f| f.to_string()),
        other => other.to_string(),
    }
}

/// JSON rows as CSV would write them, to compare the two formats.
fn as_cells(rows: &[Value]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.as_object().unwrap().values().map(cell).collect())
        .collect()
}

fn csv_cells(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

/// The same rows in every format: CSV has the JSON keys as header and the same
/// cells, NDJSON the same objects, the table the header and every name.
fn assert_formats_agree(env: &Env, args: &[&str]) -> Vec<Value> {
    let with = |format: &str| {
        let mut all = args.to_vec();
        all.extend(["--format", format]);
        env.stdout(&all)
    };
    let json = json_rows(&with("json"));
    assert_eq!(ndjson_rows(&with("ndjson")), json, "{args:?}: ndjson");
    let (headers, cells) = csv_cells(&with("csv"));
    if let Some(first) = json.first() {
        let keys: Vec<String> = first.as_object().unwrap().keys().cloned().collect();
        let mut sorted_headers = headers.clone();
        sorted_headers.sort();
        assert_eq!(sorted_headers, keys, "{args:?}: csv header");
    }
    // serde_json's map is sorted by key: sort the CSV columns the same way.
    let mut order: Vec<usize> = (0..headers.len()).collect();
    order.sort_by_key(|&i| headers[i].clone());
    let cells: Vec<Vec<String>> = cells
        .iter()
        .map(|row| order.iter().map(|&i| row[i].clone()).collect())
        .collect();
    assert_eq!(cells, as_cells(&json), "{args:?}: csv cells");
    let table = with("table");
    for header in &headers {
        assert!(
            table.contains(header.as_str()),
            "{args:?}: table lacks {header}"
        );
    }
    json
}

#[test]
fn schedule_rows_are_the_people_on_the_facades_shifts_in_every_format() {
    let env = Env::new();
    let rows = assert_formats_agree(&env, &[&["schedule"][..], &WEEK].concat());
    let days = env
        .block_on(
            env.client()
                .schedule_days(
                    DateRange::new(date("2025-06-02"), date("2025-06-09")),
                    Period::Week,
                )
                .collect(),
        )
        .unwrap();
    let expected: Vec<(String, u64, String)> = days
        .iter()
        .flat_map(|(date, day)| {
            day.assignments.iter().flatten().flat_map(move |a| {
                a.shifts.iter().flatten().filter_map(move |s| {
                    let user = s.user.as_ref()?;
                    Some((date.to_string(), user.id?.get(), s.start?.to_string()))
                })
            })
        })
        .collect();
    let got: Vec<(String, u64, String)> = rows
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_owned(),
                r["user_id"].as_u64().unwrap(),
                r["start"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(got, expected);
    assert!(rows.iter().all(|r| r["employee_id"].is_string()));
}

#[test]
fn time_off_entries_and_totals_match_the_facades_time_off() {
    let env = Env::new();
    let args = ["time-off", "--from", "2025-01-01", "--to", "2025-07-01"];
    let rows = assert_formats_agree(&env, &args);
    let entries = env
        .block_on(
            env.client()
                .time_offs(DateRange::new(date("2025-01-01"), date("2025-07-01")))
                .collect(),
        )
        .unwrap();
    let ids: Vec<u64> = rows.iter().map(|r| r["id"].as_u64().unwrap()).collect();
    let expected: Vec<u64> = entries.iter().map(|e| e.id.unwrap().get()).collect();
    assert!(!expected.is_empty());
    assert_eq!(ids, expected);

    let user = rows[0]["user_id"].as_u64().unwrap();
    let mine = json_rows(&env.stdout(&[&args[..], &["--user", &user.to_string()]].concat()));
    assert!(mine.iter().all(|r| r["user_id"].as_u64() == Some(user)));
    assert_eq!(
        mine.len(),
        rows.iter()
            .filter(|r| r["user_id"].as_u64() == Some(user))
            .count()
    );

    let hours: f64 = rows
        .iter()
        .map(|r| r["hours"].as_f64().unwrap_or(0.0))
        .sum();
    for extra in [&["--summary"][..], &["--summary", "--by-user"]] {
        let totals = assert_formats_agree(&env, &[&args[..], extra].concat());
        let count: u64 = totals.iter().map(|t| t["entries"].as_u64().unwrap()).sum();
        let sum: f64 = totals.iter().map(|t| t["hours"].as_f64().unwrap()).sum();
        assert_eq!(count as usize, rows.len(), "{extra:?}");
        assert!((sum - hours).abs() < 1e-6, "{extra:?}");
    }
    let types: BTreeSet<&str> = rows
        .iter()
        .filter_map(|r| r["time_off_type"].as_str())
        .collect();
    let summary = json_rows(&env.stdout(&[&args[..], &["--summary"]].concat()));
    assert_eq!(summary.len(), types.len());
}

#[test]
fn payroll_rows_match_the_facades_payroll_entries() {
    let env = Env::new();
    let args = ["payroll", "--from", "2025-06-01", "--to", "2025-06-08"];
    let rows = assert_formats_agree(&env, &args);
    let (start, end) = DateRange::new(date("2025-06-01"), date("2025-06-08")).window();
    let entries = env
        .block_on(env.client().call(async |api| {
            api.list_payroll_entries()
                .start(start)
                .end(end)
                .send()
                .await
        }))
        .unwrap();
    let got: Vec<(Option<&str>, Option<f64>)> = rows
        .iter()
        .map(|r| (r["employee_id"].as_str(), r["hours"].as_f64()))
        .collect();
    let expected: Vec<(Option<&str>, Option<f64>)> = entries
        .iter()
        .map(|e| (e.employee_id.as_deref(), e.total_hours.map(|h| h.get())))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(got, expected);
}

#[test]
fn users_match_the_facades_users_and_one_is_found_by_employee_id() {
    let env = Env::new();
    let rows = assert_formats_agree(&env, &["users"]);
    let users = env.block_on(env.client().users()).unwrap();
    let ids: Vec<u64> = rows
        .iter()
        .map(|r| r["user_id"].as_u64().unwrap())
        .collect();
    let expected: Vec<u64> = users.iter().map(|u| u.user_id.unwrap().get()).collect();
    assert_eq!(ids, expected);

    let one = json_rows(&env.stdout(&["users", "--employee-id", "E0100"]));
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["employee_id"], "E0100");
}

#[test]
fn ndjson_writes_one_object_per_line_for_a_quarter_of_schedule() {
    let env = Env::new();
    let text = env.stdout(&[
        "schedule",
        "--from",
        "2025-01-01",
        "--to",
        "2025-04-01",
        "--format",
        "ndjson",
    ]);
    let dates: BTreeSet<String> = ndjson_rows(&text)
        .iter()
        .map(|r| r["date"].as_str().unwrap()[..7].to_owned())
        .collect();
    assert_eq!(
        dates,
        BTreeSet::from(["2025-01".into(), "2025-02".into(), "2025-03".into()])
    );
}

#[test]
fn the_embedded_sandbox_answers_without_any_credentials_as_the_seeded_department() {
    let env = Env::new();
    let output = env
        .bare()
        .args(["--sandbox", "schedule"])
        .args(WEEK)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        env.sandbox.total_requests(),
        0,
        "no credentials: nothing went to the test's own sandbox"
    );
    let embedded = csv_records(&String::from_utf8(output.stdout).unwrap());

    // The test's sandbox has the same seed, so it must give the same rows.
    let seeded =
        csv_records(&env.stdout(&[&["schedule"][..], &WEEK, &["--format", "csv"]].concat()));
    assert!(!seeded.is_empty());
    assert_eq!(embedded, seeded);
    assert!(embedded.iter().all(|r| {
        let day = r["date"].as_str().unwrap();
        ("2025-06-02".."2025-06-09").contains(&day)
    }));
}

#[test]
fn auth_check_says_how_long_the_token_lasts_and_never_shows_it() {
    let env = Env::new();
    let answer: Value =
        serde_json::from_str(&env.stdout(&["auth", "check", "--format", "json"])).unwrap();
    assert_eq!(answer["valid"], true);
    assert!(answer["expires_in_seconds"].as_u64().unwrap() > 3600);
    let text = env.stdout(&["auth", "check", "--format", "table"]);
    assert!(text.contains("expires in"), "{text}");
    for token in env.sandbox.tokens_seen() {
        assert!(!text.contains(&token));
    }
}

#[test]
fn api_get_operations_print_the_json_answer() {
    let env = Env::new();
    let users: Value = serde_json::from_str(&env.stdout(&["api", "list-users"])).unwrap();
    assert_eq!(
        users.as_array().unwrap().len(),
        env.block_on(env.client().users()).unwrap().len()
    );
    let user: Value =
        serde_json::from_str(&env.stdout(&["api", "get-user", "--user-id", "1001"])).unwrap();
    assert_eq!(user["user_id"], 1001);
}

#[test]
fn api_post_put_patch_and_delete_send_their_bodies_and_flags() {
    let env = Env::new();
    let body = env.config.path().join("label.json");
    std::fs::write(
        &body,
        r##"{"label":"Hazmat","color":"#ff0000","text_color":"#ffffff"}"##,
    )
    .unwrap();
    let created: Value = serde_json::from_str(&env.stdout(&[
        "api",
        "create-label",
        "--body",
        body.to_str().unwrap(),
    ]))
    .unwrap();
    let id = created["id"].to_string();
    let label: Value =
        serde_json::from_str(&env.stdout(&["api", "get-label", "--id", &id])).unwrap();
    assert_eq!(label["label"], "Hazmat");

    env.stdout(&["api", "delete-label", "--id", &id, "--yes"]);
    let gone = env
        .cmd()
        .args(["api", "get-label", "--id", &id])
        .output()
        .unwrap();
    assert_eq!(gone.status.code(), Some(1), "{}", stderr(&gone));

    let user = r#"{"username":"ttester","first_name":"Terry","last_name":"Tester","mail":"terry@example.test"}"#;
    let output = env
        .cmd()
        .args(["api", "create-user", "--body", "-"])
        .write_stdin(user)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let users = env.block_on(env.client().users()).unwrap();
    let terry = users
        .iter()
        .find(|u| u.username.as_deref() == Some("ttester"))
        .unwrap();
    let terry_id = terry.user_id.unwrap().to_string();

    env.stdout(&[
        "api",
        "update-user",
        "--user-id",
        &terry_id,
        "--first-name",
        "Tracy",
    ]);
    let updated = env
        .block_on(env.client().user(terry.user_id.unwrap().into()))
        .unwrap();
    assert_eq!(updated.first_name.as_deref(), Some("Tracy"));
}

#[test]
fn api_uploads_a_certification_file_as_multipart() {
    let env = Env::new();
    let records: Value = serde_json::from_str(&env.stdout(&[
        "api",
        "list-user-certifications",
        "--user-id",
        "1001",
    ]))
    .unwrap();
    let id = records[0]["id"].to_string();
    let file = env.config.path().join("cpr-card.pdf");
    std::fs::write(&file, b"%PDF-1.4 twelve bytes").unwrap();
    let answer: Value = serde_json::from_str(&env.stdout(&[
        "api",
        "upload-user-certification-file",
        "--user-id",
        "1001",
        "--id",
        &id,
        "--file",
        file.to_str().unwrap(),
    ]))
    .unwrap();
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("cpr-card.pdf (21 bytes)"),
        "{answer}"
    );
    let stored: Value = serde_json::from_str(&env.stdout(&[
        "api",
        "get-user-certification",
        "--user-id",
        "1001",
        "--id",
        &id,
    ]))
    .unwrap();
    assert_eq!(stored["file"]["content_type"], "application/pdf");
    assert_eq!(stored["file"]["size"], 21);

    let huge = env.config.path().join("disk-image.pdf");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(crewsense::defaults::CERTIFICATION_FILE_LIMIT + 1))
        .unwrap();
    let uploads_before = env.sandbox.requests(UPLOAD);
    let too_large = env
        .cmd()
        .args([
            "api",
            "upload-user-certification-file",
            "--user-id",
            "1001",
            "--id",
            &id,
        ])
        .args(["--file", huge.to_str().unwrap()])
        .output()
        .unwrap();
    assert_exit(too_large, 2, "limit");
    assert_eq!(
        env.sandbox.requests(UPLOAD),
        uploads_before,
        "nothing was sent"
    );

    let missing = env
        .cmd()
        .args([
            "api",
            "upload-user-certification-file",
            "--user-id",
            "1001",
            "--id",
            &id,
        ])
        .args(["--file", "/nonexistent/card.pdf"])
        .output()
        .unwrap();
    assert_exit(missing, 2, "/nonexistent/card.pdf");
    let unknown = env
        .cmd()
        .args([
            "api",
            "upload-user-certification-file",
            "--user-id",
            "1001",
            "--id",
            "1",
        ])
        .args(["--file", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_exit(unknown, 1, "404");
}

#[test]
fn api_all_follows_every_page_of_a_paged_operation() {
    let env = Env::new();
    let all = json_rows(&env.stdout(&["api", "list-announcements", "--all"]));
    let expected = env
        .block_on(env.client().announcements().collect())
        .unwrap();
    assert_eq!(all.len(), expected.len());
    let first_page: Value =
        serde_json::from_str(&env.stdout(&["api", "list-announcements"])).unwrap();
    assert!(first_page["data"].as_array().unwrap().len() < all.len());
}

/// The operationIds of the spec, in kebab case.
fn operations() -> Vec<String> {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/crewsense.yaml"
    ))
    .unwrap();
    spec.lines()
        .filter_map(|l| l.trim().strip_prefix("operationId:"))
        .map(|id| id.trim().replace('_', "-"))
        .collect()
}

#[test]
fn every_operation_of_the_spec_has_an_api_command_with_help() {
    let names = operations();
    assert_eq!(names.len(), 135);
    // In process: 135 binaries would take seconds and test the same parser.
    for name in &names {
        let error = crewsense_cli::command()
            .try_get_matches_from(["crewsense", "api", name, "--help"])
            .unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::DisplayHelp, "{name}");
        let help = error.render().to_string();
        assert!(
            help.contains(&format!("Usage: crewsense api {name}")),
            "{name}: {help}"
        );
    }
    let env = Env::new();
    let output = env
        .bare()
        .args(["api", "get-user", "--help"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(
        help.contains("--user-id <user-id>") && !help.contains('\u{1b}'),
        "{help}"
    );
}

fn assert_exit(output: Output, code: i32, expected: &str) {
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(code), "{text}");
    assert!(text.contains(expected), "{text}");
    assert_eq!(text.trim_end().lines().count(), 1, "one line: {text}");
    assert!(
        !text.contains("panicked") && !text.contains("backtrace"),
        "{text}"
    );
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let env = Env::new();
    let bad_date = env
        .cmd()
        .args(["schedule", "--from", "2025-13-01", "--to", "2025-06-09"])
        .output()
        .unwrap();
    assert_exit(bad_date, 2, "2025-13-01");
    let backwards = env
        .cmd()
        .args(["schedule", "--from", "2025-06-09", "--to", "2025-06-02"])
        .output()
        .unwrap();
    assert_exit(backwards, 2, "must be after");
    let lonely = env
        .cmd()
        .args([
            "time-off",
            "--from",
            "2025-06-01",
            "--to",
            "2025-06-02",
            "--by-user",
        ])
        .output()
        .unwrap();
    assert_exit(lonely, 2, "--summary");
    let unknown = env.cmd().args(["api", "frobnicate"]).output().unwrap();
    assert_exit(unknown, 2, "frobnicate");
    let missing = env
        .cmd()
        .args(["api", "create-label", "--body", "/nonexistent/label.json"])
        .output()
        .unwrap();
    assert_exit(missing, 2, "/nonexistent/label.json");
    let not_json = env
        .cmd()
        .args(["api", "create-label", "--body", "-"])
        .write_stdin("label: Hazmat")
        .output()
        .unwrap();
    assert_exit(not_json, 2, "failed to parse");
    let no_credentials = env.bare().args(["users"]).output().unwrap();
    assert_exit(no_credentials, 2, "CREWSENSE_CLIENT_ID");
}

#[test]
fn api_and_network_errors_exit_1() {
    let env = Env::new();
    let not_found = env
        .cmd()
        .args(["api", "get-user", "--user-id", "999999"])
        .output()
        .unwrap();
    assert_exit(not_found, 1, "404");
    let nobody = env
        .cmd()
        .env("CREWSENSE_BASE_URL", "http://127.0.0.1:9/v1")
        .args(["users"])
        .output()
        .unwrap();
    assert_exit(nobody, 1, "token endpoint");
}

#[test]
fn a_wrong_secret_exits_3_and_is_never_printed() {
    let env = Env::new();
    let secret = "wrong-secret-d41d8cd98f00b204";
    let output = env
        .cmd()
        .env("CREWSENSE_CLIENT_SECRET", secret)
        .args(["users"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains(secret));
    assert!(!stderr(&output).contains(secret));
    assert_exit(output, 3, "refused");
}

#[test]
fn auth_login_stores_a_private_profile_that_later_commands_use() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let secret = env.sandbox.client_secret();
    let output = env
        .bare()
        .args([
            "--profile",
            "station1",
            "auth",
            "login",
            "--client-id",
            env.sandbox.client_id(),
        ])
        .args(["--base-url", env.sandbox.base_url()])
        .write_stdin(format!("{secret}\n"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        !stderr(&output).contains(&secret)
            && !String::from_utf8_lossy(&output.stdout).contains(&secret)
    );
    let path = env.credentials_file();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let users = env
        .bare()
        .args(["--profile", "station1", "users", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(users.status.code(), Some(0), "{}", stderr(&users));
    assert!(!String::from_utf8_lossy(&users.stdout).contains(&secret));

    let missing = env
        .bare()
        .args(["--profile", "station2", "users"])
        .output()
        .unwrap();
    assert_exit(missing, 2, "station2");
}

#[test]
fn auth_login_replaces_a_profile_atomically_and_the_next_command_uses_the_rotated_secret() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let env = Env::new();
    let login = |profile: &str, secret: &str| {
        let output = env
            .bare()
            .args(["--profile", profile, "auth", "login"])
            .args(["--client-id", env.sandbox.client_id()])
            .args(["--base-url", env.sandbox.base_url()])
            .write_stdin(format!("{secret}\n"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    };
    let users = || {
        env.bare()
            .args(["--profile", "p", "users", "--format", "json"])
            .output()
            .unwrap()
    };
    let old = env.sandbox.client_secret();
    login("p", &old);
    login("other", &old);
    let first = users();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(stderr(&first), "");
    let path = env.credentials_file();
    let replaced = std::fs::metadata(&path).unwrap().ino();

    // Rotated: the stored secret is refused (asked again, refused again) ...
    let new = env.sandbox.rotate_credentials();
    assert_exit(users(), 3, "refused");
    // ... until `auth login` replaces the file: a new file renamed over the old one,
    // private from the start, keeping the other profiles and leaving nothing beside.
    login("p", &new);
    let metadata = std::fs::metadata(&path).unwrap();
    assert_ne!(
        metadata.ino(),
        replaced,
        "replaced by a rename, not rewritten"
    );
    assert_eq!(metadata.permissions().mode() & 0o777, 0o600);
    let entries: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["credentials.toml"]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[profiles.other]"), "{text}");
    assert_eq!(
        (text.matches(&old).count(), text.matches(&new).count()),
        (1, 1)
    );

    let second = users();
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(stderr(&second), "");
    assert_eq!(first.stdout, second.stdout);
    assert!(!String::from_utf8_lossy(&second.stdout).contains(&new));
}

#[test]
fn a_credentials_file_others_can_read_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let secret = "s3cr3t-in-a-readable-file";
    let path = env.credentials_file();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        format!("[profiles.default]\nclient_id = \"x\"\nclient_secret = \"{secret}\"\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = env.bare().args(["users"]).output().unwrap();
    assert!(!stderr(&output).contains(secret));
    assert_exit(output, 3, "chmod 600");
}

#[test]
fn a_broken_credentials_file_is_reported_without_quoting_it() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let secret = "s3cr3t-on-a-broken-line";
    let path = env.credentials_file();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        format!("[profiles.default]\nclient_secret = {secret}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let output = env.bare().args(["users"]).output().unwrap();
    assert!(!stderr(&output).contains(secret));
    assert_exit(output, 2, "line 2");
}

/// The command tree, one line per command and flag (without `--help`).
fn tree(cmd: &clap::Command, path: &str, out: &mut String) {
    let root = path.is_empty();
    let path = if root {
        cmd.get_name().to_owned()
    } else {
        format!("{path} {}", cmd.get_name())
    };
    out.push_str(&path);
    out.push('\n');
    let mut args: Vec<String> = cmd
        .get_arguments()
        // Global flags are listed once, at the root.
        .filter(|a| (root || !a.is_global_set()) && !a.is_hide_set())
        .filter_map(|a| {
            let long = a.get_long().filter(|l| !["help", "version"].contains(l))?;
            let value = if a.get_num_args().is_some_and(|n| n.takes_values()) {
                " <value>"
            } else {
                ""
            };
            let required = if a.is_required_set() {
                " (required)"
            } else {
                ""
            };
            Some(format!("    --{long}{value}{required}\n"))
        })
        .collect();
    args.sort();
    out.extend(args);
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        tree(sub, &path, out);
    }
}

#[test]
fn the_command_tree_matches_its_snapshot() {
    let mut cmd = crewsense_cli::command();
    cmd.build();
    let mut out = String::new();
    tree(&cmd, "", &mut out);
    insta::assert_snapshot!(out);
}

/// The keys of every row are exactly `columns`.
fn assert_columns(rows: &[Value], columns: &[&str]) {
    let mut expected: Vec<&str> = columns.to_vec();
    expected.sort_unstable();
    for row in rows {
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, expected);
    }
}

#[test]
fn roster_rows_are_the_people_of_the_facades_roster_in_every_format() {
    let env = Env::new();
    let rows = assert_formats_agree(&env, &["roster", "--at", "2025-06-03 07:30"]);
    assert_columns(
        &rows,
        &[
            "assignment",
            "assignment_id",
            "user_id",
            "name",
            "employee_id",
            "start",
            "end",
            "work_type",
            "qualifiers",
        ],
    );
    let roster = env
        .block_on(
            env.client()
                .roster_at("2025-06-03 07:30:00".parse().unwrap()),
        )
        .unwrap();
    let expected: Vec<(String, u64, String, String)> = roster
        .crews
        .iter()
        .flat_map(|c| {
            c.on_duty.iter().map(|d| {
                let codes: Vec<String> = d.qualifiers.iter().map(|q| q.label()).collect();
                let employee = d.person.employee_id.clone().unwrap();
                let user = d.person.user_id.unwrap().get();
                (
                    c.assignment.name.clone().unwrap(),
                    user,
                    employee,
                    codes.join(" "),
                )
            })
        })
        .collect();
    let got: Vec<(String, u64, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["assignment"].as_str().unwrap().to_owned(),
                r["user_id"].as_u64().unwrap(),
                r["employee_id"].as_str().unwrap().to_owned(),
                r["qualifiers"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(expected.len() >= 18, "a platoon on duty");
    assert_eq!(got, expected);
    // The crews of the 24-hour shifts that started the day before.
    assert!(rows.iter().all(|r| r["start"] == "2025-06-02 08:00:00"));
}

#[test]
fn staffing_lists_the_short_intervals_of_a_range_and_the_short_units_at_an_instant() {
    let env = Env::new();
    let week = ["staffing", "--from", "2025-06-01", "--to", "2025-06-08"];
    let rows = assert_formats_agree(&env, &week);
    assert_columns(
        &rows,
        &[
            "assignment",
            "assignment_id",
            "from",
            "to",
            "minimum",
            "on_duty",
            "unfilled_seats",
            "missing",
        ],
    );
    let short = env
        .block_on(
            env.client()
                .staffing(DateRange::new(date("2025-06-01"), date("2025-06-08"))),
        )
        .unwrap();
    let expected: Vec<(String, String, u64, String)> = short
        .iter()
        .map(|s| {
            let name = s.assignment.name.clone().unwrap();
            (
                name,
                s.from.to_string(),
                s.unfilled_seats,
                s.missing.to_string(),
            )
        })
        .collect();
    let got: Vec<(String, String, u64, String)> = rows
        .iter()
        .map(|r| {
            (
                r["assignment"].as_str().unwrap().to_owned(),
                r["from"].as_str().unwrap().to_owned(),
                r["unfilled_seats"].as_u64().unwrap(),
                r["missing"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(expected.len() >= 4);
    assert_eq!(got, expected);

    let at = ["staffing", "--at", "2025-06-05 12:00"];
    let columns = [
        "assignment",
        "assignment_id",
        "minimum",
        "on_duty",
        "seats",
        "unfilled_seats",
        "short",
        "missing",
    ];
    let all = assert_formats_agree(&env, &[&at[..], &["--all"]].concat());
    assert_columns(&all, &columns);
    let units = env
        .block_on(
            env.client()
                .staffing_at("2025-06-05 12:00:00".parse().unwrap()),
        )
        .unwrap();
    assert_eq!(all.len(), units.len());
    let only_short = json_rows(&env.stdout(&at));
    let short_names: Vec<&str> = units
        .iter()
        .filter(|u| u.short)
        .map(|u| u.assignment.name.as_deref().unwrap())
        .collect();
    let listed: Vec<&str> = only_short
        .iter()
        .map(|r| r["assignment"].as_str().unwrap())
        .collect();
    assert_eq!(listed, short_names);
    let e1 = only_short.iter().find(|r| r["assignment"] == "E1").unwrap();
    assert_eq!(
        (
            &e1["on_duty"],
            &e1["seats"],
            &e1["unfilled_seats"],
            &e1["short"]
        ),
        (
            &Value::from(3),
            &Value::from(3),
            &Value::from(1),
            &Value::from(true)
        )
    );
    assert_eq!(e1["missing"], "unfilled: ENG");
}

#[test]
fn users_find_answers_the_one_user_and_exits_4_for_nobody_and_5_for_several() {
    let env = Env::new();
    let users = env.block_on(env.client().users()).unwrap();
    let user = &users[3];
    let (first, last) = (
        user.first_name.clone().unwrap(),
        user.last_name.clone().unwrap(),
    );
    for query in [
        format!("{}, {}", last.to_uppercase(), first),
        user.emails.as_ref().unwrap()[0].to_uppercase(),
        user.user_id.unwrap().to_string(),
    ] {
        let found = json_rows(&env.stdout(&["users", "--find", &query]));
        assert_eq!(found.len(), 1, "{query}");
        assert_eq!(
            found[0]["user_id"].as_u64(),
            user.user_id.map(|id| id.get())
        );
    }
    let nobody = env
        .cmd()
        .args(["users", "--find", "Nobody Atall"])
        .output()
        .unwrap();
    assert!(nobody.stdout.is_empty());
    assert_exit(nobody, 4, "no user matches");

    let twin = crewsense::types::CreateUserRequest {
        first_name: first.clone(),
        last_name: last.clone(),
        mail: "twin@sandboxvalleyfire.example".to_owned(),
        username: "twin".to_owned(),
        employee_id: Some("E9999".to_owned()),
        date_of_birth: None,
        date_of_hire: None,
        full_name: None,
        password: None,
        phone: None,
        phone_numbers: None,
        role: None,
    };
    env.block_on(
        env.client()
            .call(async |api| api.create_user().body(twin.clone()).send().await),
    )
    .unwrap();
    let several = env
        .cmd()
        .args(["users", "--find", &format!("{first} {last}")])
        .output()
        .unwrap();
    let text = stderr(&several);
    assert_eq!(several.status.code(), Some(5), "{text}");
    assert!(several.stdout.is_empty());
    assert!(text.contains("2 users match"), "{text}");
    let employee = user.employee_id.as_deref().unwrap();
    assert!(text.contains(employee) && text.contains("E9999"), "{text}");
}

#[test]
fn at_now_takes_the_zone_of_tz_then_the_profile_then_the_environment() {
    let env = Env::new();
    let roster_now = |cmd: &mut Command, tz: &[&str]| {
        cmd.args(["roster", "--at", "now"])
            .args(tz)
            .output()
            .unwrap()
    };
    let flagged = roster_now(
        env.cmd().env("TZ", "Not/AZone"),
        &["--tz", "America/Phoenix"],
    );
    assert_eq!(flagged.status.code(), Some(0), "{}", stderr(&flagged));
    assert!(serde_json::from_slice::<Vec<Value>>(&flagged.stdout).is_ok());
    assert_exit(
        roster_now(&mut env.cmd(), &["--tz", "Mars/Olympus"]),
        2,
        "Mars/Olympus",
    );
    assert_exit(
        roster_now(env.cmd().env("TZ", "Not/AZone"), &[]),
        2,
        "TZ `Not/AZone`",
    );
    let bad_at = env
        .cmd()
        .args(["roster", "--at", "tomorrow"])
        .output()
        .unwrap();
    assert_exit(bad_at, 2, "tomorrow");

    let login = |zone: &str| {
        env.bare()
            .args(["--profile", "station1", "auth", "login"])
            .args(["--client-id", env.sandbox.client_id()])
            .args(["--base-url", env.sandbox.base_url(), "--timezone", zone])
            .write_stdin(format!("{}\n", env.sandbox.client_secret()))
            .output()
            .unwrap()
    };
    assert_exit(login("Somewhere/Else"), 2, "Somewhere/Else");
    assert_eq!(login("America/Phoenix").status.code(), Some(0));
    let config = env.credentials_file().with_file_name("config.toml");
    let text = std::fs::read_to_string(config).unwrap();
    assert!(text.contains("timezone = \"America/Phoenix\""), "{text}");
    let profiled = roster_now(
        env.bare()
            .env("TZ", "Not/AZone")
            .args(["--profile", "station1"]),
        &[],
    );
    assert_eq!(profiled.status.code(), Some(0), "{}", stderr(&profiled));
}

/// The seconds of `[start, end)` inside `[from, to)`.
fn seconds_inside(
    (start, end): (chrono::NaiveDateTime, chrono::NaiveDateTime),
    (from, to): (chrono::NaiveDateTime, chrono::NaiveDateTime),
) -> i64 {
    (end.min(to) - start.max(from)).num_seconds().max(0)
}

#[test]
fn hours_has_one_row_per_person_summing_to_the_shifts_in_the_window_without_breaks() {
    let env = Env::new();
    let text = env.stdout(&[
        "hours",
        "--from",
        "2025-01-05",
        "--to",
        "2025-02-02",
        "--period",
        "28/212",
        "--format",
        "json",
    ]);
    let rows = json_rows(&text);

    // The window's shifts, from the day before it (a 24-hour shift reaches in).
    let window = (
        date("2025-01-05").get().and_time(chrono::NaiveTime::MIN),
        date("2025-02-02").get().and_time(chrono::NaiveTime::MIN),
    );
    let schedule = env
        .block_on(
            env.client()
                .schedule(date("2025-01-04")..date("2025-02-02")),
        )
        .unwrap();
    let mut expected: std::collections::BTreeMap<u64, i64> = Default::default();
    for (_, day) in schedule.iter() {
        for shift in day
            .assignments
            .iter()
            .flatten()
            .flat_map(|a| a.shifts.iter().flatten())
        {
            let span = (shift.start.unwrap().get(), shift.end.unwrap().get());
            let worked = seconds_inside(span, window);
            if worked == 0 {
                continue;
            }
            let rest = match (shift.break_start, shift.break_end) {
                (Some(s), Some(e)) => seconds_inside((s.get(), e.get()), window),
                _ => 0,
            };
            let user = shift.user.as_ref().unwrap().id.unwrap().get();
            *expected.entry(user).or_default() += worked - rest;
        }
    }

    let users: Vec<u64> = rows
        .iter()
        .map(|r| r["user_id"].as_u64().unwrap())
        .collect();
    assert_eq!(
        users,
        expected.keys().copied().collect::<Vec<_>>(),
        "one row per person"
    );
    let total: f64 = rows.iter().map(|r| r["hours"].as_f64().unwrap()).sum();
    let shifts: i64 = expected.values().sum();
    assert!(
        (total - shifts as f64 / 3600.0).abs() < 1e-6,
        "{total} vs {shifts} s"
    );
    for row in &rows {
        assert_eq!(
            (row["period_start"].as_str(), row["period_end"].as_str()),
            (Some("2025-01-05"), Some("2025-02-02"))
        );
        assert_eq!(row["partial"], false);
        let hours = row["hours"].as_f64().unwrap();
        assert_eq!(
            row["over_threshold"].as_f64(),
            Some((hours - 212.0).max(0.0))
        );
    }
    assert!(
        rows.iter()
            .any(|r| r["over_threshold"].as_f64() > Some(0.0))
    );
}

#[test]
fn hours_periods_follow_the_anchor_and_a_cut_period_has_no_overtime() {
    let env = Env::new();
    let rows = csv_records(&env.stdout(&[
        "hours",
        "--from",
        "2025-06-01",
        "--to",
        "2025-06-20",
        "--period-days",
        "7",
        "--threshold",
        "40",
        "--anchor",
        "2025-06-04",
        "--user",
        "1001",
        "--format",
        "csv",
    ]));
    let periods: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            let cell = |name: &str| r[name].as_str().unwrap();
            (
                cell("period_start"),
                cell("partial"),
                cell("over_threshold"),
            )
        })
        .map(|(start, partial, over)| {
            (
                start,
                partial,
                if over.is_empty() { "none" } else { "some" },
            )
        })
        .collect();
    let expected = [
        ("2025-05-28", "true", "none"),
        ("2025-06-04", "false", "some"),
        ("2025-06-11", "false", "some"),
        ("2025-06-18", "true", "none"),
    ];
    // User 1001 works in every period of the seeded year's June.
    assert_eq!(periods, expected);
    assert!(rows.iter().all(|r| r["user_id"] == "1001"));
}

#[test]
fn hours_and_changes_refuse_what_they_cannot_do_with_exit_2() {
    let env = Env::new();
    let range = ["--from", "2025-06-01", "--to", "2025-06-15"];
    let unknown = env
        .cmd()
        .arg("hours")
        .args(range)
        .args(["--period", "14/86"])
        .output()
        .unwrap();
    assert_exit(unknown, 2, "14/86");
    let both = env
        .cmd()
        .arg("hours")
        .args(range)
        .args([
            "--period",
            "7/40",
            "--period-days",
            "7",
            "--threshold",
            "40",
        ])
        .output()
        .unwrap();
    assert_exit(both, 2, "--period");
    let zero = env
        .cmd()
        .arg("hours")
        .args(range)
        .args(["--period-days", "0", "--threshold", "40"])
        .output()
        .unwrap();
    assert_exit(zero, 2, "1 to 366 days");
    let never = env
        .cmd()
        .arg("changes")
        .args(range)
        .args(["--every", "0s"])
        .output()
        .unwrap();
    assert_exit(never, 2, "more than zero");
    let table = env
        .cmd()
        .arg("changes")
        .args(range)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert_exit(table, 2, "ndjson");
}

/// One `--debug` line: level, target, the message (`METHOD URL` for an attempt) and
/// the `key=value` fields after it.
#[derive(Debug)]
struct DebugLine {
    level: String,
    target: String,
    message: String,
    fields: std::collections::BTreeMap<String, String>,
}

impl DebugLine {
    fn parse(line: &str) -> Self {
        let (level, rest) = line.split_once(' ').unwrap_or_else(|| panic!("{line}"));
        let (target, rest) = rest.split_once(": ").unwrap_or_else(|| panic!("{line}"));
        let words: Vec<&str> = rest.split(' ').collect();
        let at = words
            .iter()
            .position(|w| w.contains('='))
            .unwrap_or(words.len());
        let fields = words[at..]
            .iter()
            .map(|w| {
                let (k, v) = w.split_once('=').unwrap_or_else(|| panic!("{line}"));
                (k.to_owned(), v.trim_matches('"').to_owned())
            })
            .collect();
        Self {
            level: level.to_owned(),
            target: target.to_owned(),
            message: words[..at].join(" "),
            fields,
        }
    }

    fn number(&self, key: &str) -> f64 {
        self.fields[key]
            .parse()
            .unwrap_or_else(|_| panic!("{key} in {self:?}"))
    }
}

#[test]
fn debug_writes_a_line_per_http_attempt_and_token_fetch_on_stderr_and_stdout_stays_json() {
    let env = Env::new();
    env.sandbox
        .fail_next("GET /users", 1, crewsense_sandbox::Fault::Status(503));

    let output = env
        .cmd()
        .env_remove("CREWSENSE_LOG")
        .args(["--debug", "users", "--format", "json"])
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let users = json_rows(&String::from_utf8(output.stdout.clone()).unwrap());
    assert_eq!(
        users.len(),
        env.block_on(env.client().users()).unwrap().len()
    );
    let text = stderr(&output);
    let lines: Vec<DebugLine> = text.lines().map(DebugLine::parse).collect();
    let base = env.sandbox.base_url();
    let origin = base.trim_end_matches("/v1");
    let attempts: Vec<_> = lines
        .iter()
        .filter(|l| l.target == "crewsense::http")
        .collect();
    let summary: Vec<_> = attempts
        .iter()
        .map(|l| {
            (
                l.message.as_str(),
                l.fields["status"].as_str(),
                l.fields["attempt"].as_str(),
            )
        })
        .collect();
    let (token_url, users_url) = (
        format!("POST {origin}/oauth/access_token"),
        format!("GET {base}/users"),
    );
    assert_eq!(
        summary,
        [
            (token_url.as_str(), "200", "1"),
            (users_url.as_str(), "503", "1"),
            (users_url.as_str(), "200", "2"),
        ],
        "{text}"
    );
    for attempt in &attempts {
        assert_eq!(attempt.level, "DEBUG");
        assert!(attempt.number("duration_ms") >= 0.0);
        assert!(attempt.number("bytes") > 0.0, "{attempt:?}");
    }
    assert_eq!(attempts[1].number("wait_ms"), 0.0);
    assert!(attempts[2].number("wait_ms") >= 0.0);
    let tokens: Vec<_> = lines
        .iter()
        .filter(|l| l.target == "crewsense::token")
        .collect();
    assert_eq!(tokens.len(), 1, "{text}");
    assert_eq!(tokens[0].fields["outcome"], "ok");
    assert_eq!(tokens[0].fields["lifetime_s"], "86400");
    assert_eq!(
        lines.len(),
        attempts.len() + tokens.len(),
        "nothing else: {text}"
    );
    assert!(!text.contains(&env.sandbox.client_secret()));
    for token in env.sandbox.tokens_seen() {
        assert!(!text.contains(&token));
    }

    let quiet = env
        .cmd()
        .args(["users", "--format", "json"])
        .output()
        .unwrap();
    assert!(quiet.stderr.is_empty(), "{}", stderr(&quiet));
    let wrong = env
        .cmd()
        .env("CREWSENSE_LOG", "crewsense=loud")
        .args(["users"])
        .output()
        .unwrap();
    assert_exit(wrong, 2, "CREWSENSE_LOG=crewsense=loud is not a filter");
}
