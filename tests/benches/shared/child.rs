//! Figures measured in a child process, so that they cover the client alone: the
//! bench binary runs itself again with an environment variable that names what to
//! do, and the child prints its figures as numbers on one line.
//!
//! Shared by the benches in `tests/benches/`: include it with
//! `#[path = "shared/child.rs"] mod child;`.

use std::process::Command;

/// Runs this binary again with `var` set to `mode` and the variables `env`; the
/// numbers of the line it printed.
pub fn figures(var: &str, mode: &str, env: &[(&str, &str)]) -> Vec<u64> {
    let out = Command::new(std::env::current_exe().expect("this binary"))
        .env(var, mode)
        .envs(env.iter().copied())
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

/// The middle value (the upper middle of an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
