//! Memory of a long-running sandbox: the resident set size of a `crewsense-sandbox`
//! process after 10,000 and after 200,000 `GET /v1/users/1001`.
//!
//! Starts the binary, fetches a token, sends the requests [`IN_FLIGHT`] at a time over
//! keep-alive connections, and at each checkpoint reads the process's `VmRSS` (now)
//! and `VmHWM` (peak) from `/proc/<pid>/status`. Every answer must be a 200.
//!
//! Run with `cargo bench -p crewsense-sandbox --bench request_log`;
//! `REQUEST_LOG_CAPACITY=N` starts the sandbox with `--request-log-capacity N`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use futures::StreamExt;
use serde_json::Value;

/// The request counts at which the process's memory is read.
const CHECKPOINTS: [usize; 5] = [10_000, 50_000, 100_000, 150_000, 200_000];
/// Requests under way at once.
const IN_FLIGHT: usize = 4;

/// Kills the sandbox when the bench ends, however it ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// `(VmRSS, VmHWM)` of process `pid`, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("its status");
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("a {name} line in kB"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn start() -> (Process, Value) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_crewsense-sandbox"));
    if let Ok(capacity) = std::env::var("REQUEST_LOG_CAPACITY") {
        command.args(["--request-log-capacity", &capacity]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .expect("the sandbox starts");
    let stdout = child.stdout.take().expect("its stdout");
    let process = Process(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("its first line");
    let info = serde_json::from_str(&line).expect("one JSON line");
    (process, info)
}

#[tokio::main]
async fn main() {
    let (process, info) = start();
    let pid = process.0.id();
    let field = |name: &str| info[name].as_str().expect(name).to_owned();
    let client = reqwest::Client::new();
    let form = [
        ("client_id", field("client_id")),
        ("client_secret", field("client_secret")),
        ("grant_type", "client_credentials".to_owned()),
    ];
    let token: Value = client
        .post(field("token_url"))
        .form(&form)
        .send()
        .await
        .expect("a token")
        .json()
        .await
        .expect("a token answer");
    let token = token["access_token"].as_str().expect("access_token");
    let url = format!("{}/users/1001", field("base_url"));

    let (rss, hwm) = memory_kib(pid);
    println!("| requests | VmRSS (KiB) | VmHWM (KiB) |");
    println!("| ---: | ---: | ---: |");
    println!("| 0 | {rss} | {hwm} |");
    let mut sent = 0;
    for checkpoint in CHECKPOINTS {
        futures::stream::iter(sent..checkpoint)
            .map(|_| async {
                let response = client
                    .get(&url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .expect("an answer");
                assert_eq!(response.status(), 200);
                response.bytes().await.expect("its body");
            })
            .buffer_unordered(IN_FLIGHT)
            .collect::<()>()
            .await;
        sent = checkpoint;
        let (rss, hwm) = memory_kib(pid);
        println!("| {sent} | {rss} | {hwm} |");
    }
}
