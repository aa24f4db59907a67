//! The `crewsense` binary as scripts use it: quiet closed pipes, one-line table rows
//! that fit the width, `--fields`, `--jq`, completions and the man page, profile
//! preferences, and deliberate writes (`--dry-run`, `--yes`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crewsense_sandbox::Sandbox;
use serde_json::Value;

struct Env {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    config: tempfile::TempDir,
}

const DAY: [&str; 4] = ["--from", "2025-06-02", "--to", "2025-06-03"];
const YEAR: [&str; 4] = ["--from", "2025-01-01", "--to", "2026-01-01"];

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

    fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_crewsense"));
        cmd.env("CREWSENSE_CLIENT_ID", self.sandbox.client_id())
            .env("CREWSENSE_CLIENT_SECRET", self.sandbox.client_secret())
            .env("CREWSENSE_BASE_URL", self.sandbox.base_url())
            .env_remove("CREWSENSE_PROFILE")
            .env_remove("COLUMNS")
            .env("XDG_CONFIG_HOME", self.config.path())
            .env("HOME", self.config.path());
        cmd
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        self.cmd().args(args).output().unwrap()
    }

    fn stdout(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", err(&output));
        String::from_utf8(output.stdout).unwrap()
    }

    fn config_file(&self) -> std::path::PathBuf {
        self.config.path().join("crewsense").join("config.toml")
    }
}

fn err(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `args`, reads `lines` lines of stdout and closes it; the exit status and
/// stderr.
fn close_after(env: &Env, args: &[&str], lines: usize) -> (Option<i32>, String) {
    let mut child = env
        .cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..lines {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
    }
    drop(reader);
    let output = child.wait_with_output().unwrap();
    (output.status.code(), err(&output))
}

#[test]
fn every_format_exits_0_quietly_when_its_reader_closes_after_one_line_or_a_page() {
    let env = Env::new();
    for format in ["csv", "json", "ndjson", "table"] {
        // A year is twelve pages; one line, and then a page's worth of lines.
        for lines in [1, 40] {
            let args = [&["schedule"][..], &YEAR, &["--format", format]].concat();
            assert_eq!(
                close_after(&env, &args, lines),
                (Some(0), String::new()),
                "{format}"
            );
        }
    }
    let pages = ["api", "list-announcements", "--all", "--format", "ndjson"];
    assert_eq!(close_after(&env, &pages, 1), (Some(0), String::new()));
    let users = ["api", "list-users"];
    assert_eq!(close_after(&env, &users, 1), (Some(0), String::new()));
}

#[test]
fn a_table_has_one_line_per_row_cut_to_the_width_with_dates_whole() {
    let env = Env::new();
    let json: Vec<Value> = serde_json::from_str(
        &env.stdout(&[&["schedule"][..], &DAY, &["--format", "json"]].concat()),
    )
    .unwrap();
    for width in ["60", "100", "200"] {
        let output = env
            .cmd()
            .env("COLUMNS", width)
            .args([&["schedule"][..], &DAY, &["--format", "table"]].concat())
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), json.len() + 1, "{width}: {text}");
        assert!(lines[0].starts_with("date"), "{text}");
        for (line, row) in lines[1..].iter().zip(&json) {
            for key in ["date", "start", "end"] {
                assert!(line.contains(row[key].as_str().unwrap()), "{width}: {line}");
            }
            assert!(line.contains(&row["user_id"].to_string()), "{line}");
        }
        if width == "200" {
            assert!(!text.contains('…'), "{text}");
        } else {
            assert!(text.contains('…'), "{width}: {text}");
        }
        assert!(!text.contains('│') && !text.contains('+'), "{text}");
    }
}

#[test]
fn fields_choose_and_order_the_columns_of_every_task_command_in_every_format() {
    let env = Env::new();
    let commands: [(&[&str], &str); 7] = [
        (
            &["schedule", "--from", "2025-06-02", "--to", "2025-06-03"],
            "name,date",
        ),
        (
            &["time-off", "--from", "2025-06-01", "--to", "2025-07-01"],
            "name,hours",
        ),
        (
            &["payroll", "--from", "2025-06-01", "--to", "2025-06-08"],
            "hours,name",
        ),
        (&["users"], "name,user_id"),
        (&["roster", "--at", "2025-06-03 07:30"], "name,assignment"),
        (
            &["staffing", "--at", "2025-06-03 07:30", "--all"],
            "minimum,assignment",
        ),
        (
            &["hours", "--from", "2025-06-01", "--to", "2025-06-29"],
            "name,hours",
        ),
    ];
    for (args, fields) in commands {
        let names: Vec<&str> = fields.split(',').collect();
        let with =
            |format: &str| env.stdout(&[args, &["--fields", fields, "--format", format]].concat());
        let csv = with("csv");
        assert_eq!(csv.lines().next(), Some(fields), "{args:?}");
        let table = with("table");
        assert!(
            table.lines().next().unwrap().starts_with(names[0]),
            "{table}"
        );
        let rows: Vec<Value> = serde_json::from_str(&with("json")).unwrap();
        assert!(!rows.is_empty(), "{args:?}");
        for row in &rows {
            let keys: Vec<&str> = row
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut sorted = names.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "{args:?}");
        }
        // Key order is the order asked for.
        let first = with("ndjson");
        let line = first.lines().next().unwrap();
        assert!(line.starts_with(&format!("{{\"{}\":", names[0])), "{line}");
        let jq = env.stdout(&[args, &["--fields", fields, "--jq", "length"]].concat());
        assert_eq!(jq.trim(), rows.len().to_string(), "{args:?}");
        let bad = env.run(&[args, &["--fields", "nosuch"]].concat());
        assert_eq!(bad.status.code(), Some(2));
        assert!(err(&bad).contains(names[0]), "{}", err(&bad));
    }
}

#[test]
fn jq_filters_the_json_of_task_commands_and_api_and_a_bad_one_says_where() {
    let env = Env::new();
    let users: Vec<Value> = serde_json::from_str(&env.stdout(&["api", "list-users"])).unwrap();
    let names = env.stdout(&["api", "list-users", "--jq", ".[].first_name"]);
    let expected: Vec<&str> = users
        .iter()
        .map(|u| u["first_name"].as_str().unwrap())
        .collect();
    assert_eq!(names.lines().collect::<Vec<_>>(), expected);
    let ids = env.stdout(&["users", "--jq", "map(.user_id) | length"]);
    assert_eq!(ids.trim(), users.len().to_string());
    let each = env.stdout(&["users", "--format", "ndjson", "--jq", ".name"]);
    assert_eq!(each.lines().count(), users.len());
    let bad = env.run(&["users", "--jq", ".[] | select(.name =="]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(err(&bad).contains("column"), "{}", err(&bad));
    let table = env.run(&["users", "--jq", ".", "--format", "table"]);
    assert_eq!(table.status.code(), Some(2));
}

#[test]
fn completion_scripts_load_in_bash_and_the_man_page_renders() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = env.stdout(&["completions", shell]);
        assert!(script.contains("schedule"), "{shell}");
    }
    let dir = tempfile::tempdir().unwrap();
    let bash = dir.path().join("crewsense.bash");
    std::fs::write(&bash, env.stdout(&["completions", "bash"])).unwrap();
    let checked = Command::new("bash").arg("-n").arg(&bash).output().unwrap();
    assert!(checked.status.success(), "{}", err(&checked));

    let page = dir.path().join("crewsense.1");
    std::fs::write(&page, env.stdout(&["man"])).unwrap();
    let man = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("MAN_KEEP_FORMATTING", "0")
        .output()
        .expect("`man` is not installed: install man-db and groff-base (.ci/run does)");
    let text = String::from_utf8_lossy(&man.stdout);
    assert!(man.status.success(), "{}", err(&man));
    for command in ["schedule", "completions", "api"] {
        assert!(text.contains(command), "{text}");
    }
}

#[test]
fn profile_preferences_apply_and_flags_win_over_them() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_file().parent().unwrap()).unwrap();
    std::fs::write(
        env.config_file(),
        "default_profile = \"station1\"\n\
         [profiles.station1]\nformat = \"csv\"\n\
         [profiles.other]\nformat = \"ndjson\"\n",
    )
    .unwrap();
    let csv = env.stdout(&["users"]);
    assert!(csv.starts_with("user_id,employee_id,name"), "{csv}");
    let json = env.stdout(&["users", "--format", "json"]);
    assert!(json.starts_with('['), "{json}");
    let by_env = env
        .cmd()
        .env("CREWSENSE_PROFILE", "other")
        // A named profile's credentials come from credentials.toml; the sandbox
        // needs none.
        .args(["--sandbox", "users"])
        .output()
        .unwrap();
    let first = String::from_utf8(by_env.stdout).unwrap();
    assert!(first.starts_with("{\"user_id\""), "{first}");
    let by_flag = env.stdout(&[
        "--sandbox",
        "--profile",
        "station1",
        "users",
        "--format",
        "ndjson",
    ]);
    assert!(by_flag.starts_with('{'), "{by_flag}");

    std::fs::write(env.config_file(), "[profiles.default]\nformat = \"xml\"\n").unwrap();
    let bad = env.run(&["users"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(err(&bad).contains("config.toml line 2"), "{}", err(&bad));
}

#[test]
fn dry_run_prints_the_write_and_sends_nothing() {
    let env = Env::new();
    let body = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        body.path(),
        r##"{"label":"Dry Label","color":"#ff0000","text_color":"#ffffff"}"##,
    )
    .unwrap();
    let before = env.sandbox.request_log().len();
    let printed: Value = serde_json::from_str(&env.stdout(&[
        "api",
        "create-label",
        "--body",
        body.path().to_str().unwrap(),
        "--dry-run",
    ]))
    .unwrap();
    assert_eq!(printed["method"], "POST");
    assert!(
        printed["url"]
            .as_str()
            .unwrap()
            .starts_with(env.sandbox.base_url())
    );
    assert_eq!(printed["body"]["label"], "Dry Label");
    let deleted: Value =
        serde_json::from_str(&env.stdout(&["api", "delete-label", "--id", "1", "--dry-run"]))
            .unwrap();
    assert_eq!(deleted["method"], "DELETE");
    assert_eq!(deleted["body"], Value::Null);
    let _ = &env.runtime;
    assert_eq!(
        env.sandbox.request_log().len(),
        before,
        "a dry run sent a request"
    );
}

#[test]
fn a_delete_without_yes_off_a_terminal_is_refused() {
    let env = Env::new();
    let before = env.sandbox.request_log().len();
    let refused = env.run(&["api", "delete-label", "--id", "1"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(err(&refused).contains("--yes"), "{}", err(&refused));
    let batch = env.run(&["api", "finalize-assignments", "--body", "-"]);
    assert_eq!(batch.status.code(), Some(2), "{}", err(&batch));
    assert_eq!(env.sandbox.request_log().len(), before);
}
