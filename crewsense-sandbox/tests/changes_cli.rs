//! Two terminals on one `crewsense-sandbox` process: `crewsense changes` watches two
//! weeks of schedule, a shift is added with `crewsense api create-shift`, and the
//! watcher prints exactly that change; Ctrl-C ends it with exit status 0. Then the
//! same watcher on a profile while the sandbox's credentials rotate and
//! `crewsense auth login` rewrites the profile: it goes on without a word.
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
    let tests: [(&str, fn()); 2] = [
        (
            "a_shift_added_with_crewsense_api_is_the_one_change_crewsense_changes_prints",
            a_shift_added_with_crewsense_api_is_the_one_change_crewsense_changes_prints,
        ),
        (
            "a_watcher_on_a_profile_goes_on_while_the_credentials_rotate_and_auth_login_rewrites_it",
            a_watcher_on_a_profile_goes_on_while_the_credentials_rotate_and_auth_login_rewrites_it,
        ),
    ];
    for (name, test) in tests {
        test();
        println!("test {name} ... ok");
    }
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

    /// One of the sandbox's first line's values (credentials updated on rotation).
    fn text(&self, key: &str) -> String {
        self.info[key].as_str().unwrap().to_owned()
    }

    /// `crewsense` with this sandbox's credentials in the environment.
    fn crewsense(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.env(AS_CLI, "1")
            .env("CREWSENSE_CLIENT_ID", self.text("client_id"))
            .env("CREWSENSE_CLIENT_SECRET", self.text("client_secret"))
            .env("CREWSENSE_BASE_URL", self.text("base_url"))
            .args(args);
        cmd
    }

    /// `crewsense --profile p`, its credentials in a profile under `home`, none in
    /// the environment.
    fn on_profile(&self, home: &std::path::Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.env(AS_CLI, "1")
            .env_remove("CREWSENSE_CLIENT_ID")
            .env_remove("CREWSENSE_CLIENT_SECRET")
            .env_remove("CREWSENSE_BASE_URL")
            .env("XDG_CONFIG_HOME", home)
            .env("HOME", home)
            .args(["--profile", "p"])
            .args(args);
        cmd
    }

    /// `POST /sandbox/{what}` with the current credentials; the answer's JSON, if any.
    fn control(&self, what: &str) -> Value {
        let root = self.text("token_url").replace("/oauth/access_token", "");
        let body = json!({
            "client_id": self.text("client_id"),
            "client_secret": self.text("client_secret"),
        });
        let answer = tokio::runtime::Runtime::new().unwrap().block_on(async {
            let answer = reqwest::Client::new()
                .post(format!("{root}/sandbox/{what}"))
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            assert!(answer.status().is_success(), "{what}: {}", answer.status());
            answer.bytes().await.unwrap()
        });
        serde_json::from_slice(&answer).unwrap_or(Value::Null)
    }

    /// Runs `crewsense args` to the end, with `stdin`; its stdout as JSON.
    fn json(&self, args: &[&str], stdin: &str) -> Value {
        let output = run(self.crewsense(args), stdin);
        assert!(
            output.status.success(),
            "crewsense {args:?}: {:?}",
            output.status
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

/// Runs `cmd` to the end with `stdin`.
fn run(mut cmd: Command, stdin: &str) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `crewsense changes` over two weeks of June 2025, polling every 100 ms, started
/// from `cmd`; returns once it says it is watching (its baseline is read).
fn watch(mut cmd: Command) -> Watcher {
    cmd.args([
        "changes",
        "--from",
        "2025-06-02",
        "--to",
        "2025-06-16",
        "--every",
        "100ms",
    ]);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (out, err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let watcher = Watcher {
        process: Running(child),
        out: lines(out),
        err: lines(err),
    };
    let said = watcher
        .err
        .recv_timeout(STEP)
        .expect("the watcher's first line");
    assert!(said.contains("watching 2025-06-02 to 2025-06-16"), "{said}");
    watcher
}

/// A running `crewsense changes` and its output lines.
struct Watcher {
    process: Running,
    out: Receiver<String>,
    err: Receiver<String>,
}

impl Watcher {
    /// The next change it prints.
    fn change(&self) -> Value {
        let line = self.out.recv_timeout(STEP).expect("a change line");
        serde_json::from_str(&line).unwrap()
    }

    /// Ctrl-C: exit status 0, and nothing more printed on stdout or stderr.
    fn interrupt(mut self) {
        let pid = self.process.0.id().to_string();
        let signalled = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(signalled.success());
        let status = self.process.0.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{status:?}");
        let rest: Vec<String> = self.out.iter().collect();
        assert!(rest.is_empty(), "more than the expected changes: {rest:?}");
        let errors: Vec<String> = self.err.iter().collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}

/// Adds, with `crewsense api create-shift`, a shift like a seeded one on June 10
/// from `start` to `end`; returns its id, assignment id and user id.
fn add_shift(sandbox: &Sandbox, start: &str, end: &str) -> (Value, Value, Value) {
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
    let (assignment, shift) = day["days"]["2025-06-10"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|a| Some((a["id"].clone(), a["shifts"].as_array()?.first()?.clone())))
        .expect("a shift on June 10");
    let body = json!({
        "assignment_id": assignment,
        "user_id": shift["user"]["id"],
        "work_type_id": shift["work_type"]["id"],
        "date": "2025-06-10",
        "start": start,
        "end": end,
    });
    let created = sandbox.json(&["api", "create-shift", "--body", "-"], &body.to_string());
    (
        created["id"].clone(),
        assignment,
        shift["user"]["id"].clone(),
    )
}

fn a_shift_added_with_crewsense_api_is_the_one_change_crewsense_changes_prints() {
    let sandbox = Sandbox::start();
    let watcher = watch(sandbox.crewsense(&[]));

    // From another terminal.
    let (id, assignment, user) = add_shift(&sandbox, "2025-06-10 10:00:00", "2025-06-10 14:00:00");
    assert!(id.is_u64(), "the new shift's id: {id}");

    let change = watcher.change();
    assert_eq!(change["change"], "shift_added", "{change}");
    assert_eq!(change["id"], id, "{change}");
    assert_eq!(change["date"], "2025-06-10", "{change}");
    assert_eq!(change["baseline"], false, "{change}");
    assert!(change["before"].is_null(), "{change}");
    let after = &change["after"];
    assert_eq!(after["user_id"], user, "{change}");
    assert_eq!(after["assignment_id"], assignment, "{change}");
    assert_eq!(
        (after["start"].as_str(), after["end"].as_str()),
        (Some("2025-06-10 10:00:00"), Some("2025-06-10 14:00:00"))
    );
    watcher.interrupt();
}

fn a_watcher_on_a_profile_goes_on_while_the_credentials_rotate_and_auth_login_rewrites_it() {
    let mut sandbox = Sandbox::start();
    let home = std::env::temp_dir().join(format!("crewsense-rotation-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let login = |sandbox: &Sandbox| {
        let mut cmd = sandbox.on_profile(&home, &["auth", "login"]);
        cmd.args(["--client-id", sandbox.text("client_id").as_str()])
            .args(["--base-url", sandbox.text("base_url").as_str()]);
        let output = run(cmd, &format!("{}\n", sandbox.text("client_secret")));
        assert!(output.status.success(), "auth login: {output:?}");
    };
    login(&sandbox);
    let watcher = watch(sandbox.on_profile(&home, &[]));

    // The department rotates the secret; the token the watcher holds stays valid
    // while `auth login` rewrites the profile with the new secret.
    let rotated = sandbox.control("rotate_credentials");
    sandbox.info["client_secret"] = rotated["client_secret"].clone();
    login(&sandbox);
    // Every token expires: the watcher's next poll is refused, and it asks for a
    // token with what the profile holds now.
    sandbox.control("expire_tokens");

    // It still sees what changes.
    let (id, ..) = add_shift(&sandbox, "2025-06-10 15:00:00", "2025-06-10 19:00:00");
    let change = watcher.change();
    assert_eq!(
        (&change["change"], &change["id"]),
        (&json!("shift_added"), &id),
        "{change}"
    );
    watcher.interrupt();
    std::fs::remove_dir_all(&home).unwrap();
}
