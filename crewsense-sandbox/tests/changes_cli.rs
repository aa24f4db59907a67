//! Two terminals on one `crewsense-sandbox` process: `crewsense changes` watches two
//! weeks of schedule, a shift is added with `crewsense api create-shift`, and the
//! watcher prints exactly that change; Ctrl-C ends it with exit status 0.
//!
//! The sandbox is this package's binary. `crewsense` is this test binary run again
//! with `CREWSENSE_CLI_UNDER_TEST` set, which calls `crewsense_cli::main()`, all
//! that the `crewsense` binary's `main` does: Cargo gives a test the path of its own
//! package's binaries only. Hence no test harness.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

/// Set in the environment of the runs of this binary that are `crewsense`.
const AS_CLI: &str = "CREWSENSE_CLI_UNDER_TEST";

/// How long any one step may take before the test gives up (a hang is a failure,
/// not a wait without end).
const STEP: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    if std::env::var_os(AS_CLI).is_some() {
        return crewsense_cli::main();
    }
    a_shift_added_with_crewsense_api_is_the_one_change_crewsense_changes_prints();
    println!(
        "test a_shift_added_with_crewsense_api_is_the_one_change_crewsense_changes_prints ... ok"
    );
    ExitCode::SUCCESS
}

/// A child process that is killed if the test ends before it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The lines of `stream`, read on a thread of their own.
fn lines(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                return;
            }
        }
    });
    receive
}

/// The sandbox's URLs and credentials.
struct Sandbox {
    _process: Running,
    info: Value,
}

impl Sandbox {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crewsense-sandbox"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("the sandbox starts");
        let stdout = child.stdout.take().unwrap();
        let process = Running(child);
        let first = lines(stdout)
            .recv_timeout(STEP)
            .expect("the sandbox's line");
        let info = serde_json::from_str(&first).expect("one JSON line");
        Sandbox {
            _process: process,
            info,
        }
    }

    /// `crewsense` with this sandbox's credentials.
    fn crewsense(&self, args: &[&str]) -> Command {
        let text = |key: &str| self.info[key].as_str().unwrap().to_owned();
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.env(AS_CLI, "1")
            .env("CREWSENSE_CLIENT_ID", text("client_id"))
            .env("CREWSENSE_CLIENT_SECRET", text("client_secret"))
            .env("CREWSENSE_BASE_URL", text("base_url"))
            .args(args);
        cmd
    }

    /// Runs `crewsense args` to the end, with `stdin`; its stdout as JSON.
    fn json(&self, args: &[&str], stdin: &str) -> Value {
        let mut child = self
            .crewsense(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "crewsense {args:?}: {:?}",
            output.status
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

fn a_shift_added_with_crewsense_api_is_the_one_change_crewsense_changes_prints() {
    let sandbox = Sandbox::start();
    let mut watcher = sandbox
        .crewsense(&[
            "changes",
            "--from",
            "2025-06-02",
            "--to",
            "2025-06-16",
            "--every",
            "100ms",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (out, err) = (
        watcher.stdout.take().unwrap(),
        watcher.stderr.take().unwrap(),
    );
    let watcher = Running(watcher);
    let (out, err) = (lines(out), lines(err));
    // The baseline is read once the watcher says it is watching.
    let said = err.recv_timeout(STEP).expect("the watcher's first line");
    assert!(said.contains("watching 2025-06-02 to 2025-06-16"), "{said}");

    // From another terminal: a shift like a seeded one, on June 10.
    let day = sandbox.json(
        &[
            "api",
            "get-schedule",
            "--start",
            "2025-06-10 00:00:00",
            "--end",
            "2025-06-11 00:00:00",
        ],
        "",
    );
    let seeded = day["days"]["2025-06-10"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|a| Some((a["id"].clone(), a["shifts"].as_array()?.first()?.clone())))
        .expect("a shift on June 10");
    let (assignment, shift) = seeded;
    let body = json!({
        "assignment_id": assignment,
        "user_id": shift["user"]["id"],
        "work_type_id": shift["work_type"]["id"],
        "date": "2025-06-10",
        "start": "2025-06-10 10:00:00",
        "end": "2025-06-10 14:00:00",
    });
    let created = sandbox.json(&["api", "create-shift", "--body", "-"], &body.to_string());
    let id = created["id"].as_u64().expect("the new shift's id");

    let line = out.recv_timeout(STEP).expect("a change line");
    let change: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(change["change"], "shift_added", "{line}");
    assert_eq!(change["id"], id, "{line}");
    assert_eq!(change["date"], "2025-06-10", "{line}");
    assert_eq!(change["baseline"], false, "{line}");
    assert!(change["before"].is_null(), "{line}");
    let after = &change["after"];
    assert_eq!(
        after["user_id"].as_u64(),
        shift["user"]["id"].as_u64(),
        "{line}"
    );
    assert_eq!(
        after["assignment_id"].as_u64(),
        assignment.as_u64(),
        "{line}"
    );
    assert_eq!(
        (after["start"].as_str(), after["end"].as_str()),
        (Some("2025-06-10 10:00:00"), Some("2025-06-10 14:00:00"))
    );

    // Ctrl-C: exit status 0, and nothing else was printed.
    let mut watcher = watcher;
    let pid = watcher.0.id().to_string();
    let signalled = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(signalled.success());
    let status = watcher.0.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    let rest: Vec<String> = out.iter().collect();
    assert!(rest.is_empty(), "more than the one change: {rest:?}");
    let errors: Vec<String> = err.iter().collect();
    assert!(errors.is_empty(), "{errors:?}");
}
