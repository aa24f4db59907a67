//! Figures measured in a child process, so that they cover the client alone: the
//! bench binary runs itself again with an environment variable that names what to
//! do, the sandbox serving from the parent, and the child prints its figures as
//! numbers on one line.
//!
//! Shared by the benches in `tests/benches/`: include it with
//! `#[path = "shared/child.rs"] mod child;`.

use std::process::Command;

use crewsense::Client;
use crewsense::time::DateRange;
use crewsense_sandbox::Sandbox;
use tokio::runtime::Runtime;

/// What carries the sandbox's base URL to a child.
const BASE_URL: &str = "BENCH_CHILD_BASE_URL";
/// What carries an access token to a child.
const TOKEN: &str = "BENCH_CHILD_TOKEN";

/// Runs this binary again with `var` set to `mode`, for `sandbox` (its base URL and
/// a token of its own); the numbers of the line the child printed.
pub fn figures(var: &str, mode: &str, sandbox: &Sandbox) -> Vec<u64> {
    let out = Command::new(std::env::current_exe().expect("this binary"))
        .env(var, mode)
        .env(BASE_URL, sandbox.base_url())
        .env(TOKEN, sandbox.issue_token())
        .output()
        .expect("run a child");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(|v| v.parse().expect("a number"))
        .collect()
}

/// In a child: a single-threaded runtime and a client of the parent's sandbox, after
/// one call for a day of schedule (the connection and the first allocations), so
/// that the peak RSS from here on is the baseline.
pub fn client() -> (Runtime, Client) {
    let var = |name: &str| std::env::var(name).expect(name);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = Client::builder()
        .static_token(var(TOKEN))
        .base_url(var(BASE_URL))
        .build()
        .expect("client");
    let day = DateRange::day("2025-01-01".parse().expect("a date"));
    rt.block_on(client.schedule(day)).expect("a day");
    (rt, client)
}

/// The middle value (the upper middle of an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
