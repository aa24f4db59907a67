//! The binary prints one JSON line with its URLs and credentials, then serves.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn prints_one_json_line_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crewsense-sandbox"))
        .args([
            "--seed",
            "3",
            "--token-ttl",
            "60",
            "--request-log-capacity",
            "10",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: serde_json::Value = serde_json::from_str(&line).expect("one JSON line");
    child.kill().ok();
    child.wait().ok();
    let base = info["base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/v1"));
    assert!(
        info["token_url"]
            .as_str()
            .unwrap()
            .ends_with("/oauth/access_token")
    );
    assert!(info["client_id"].is_string() && info["client_secret"].is_string());
}

#[test]
fn rejects_a_request_log_capacity_that_is_not_a_count() {
    let status = Command::new(env!("CARGO_BIN_EXE_crewsense-sandbox"))
        .args(["--request-log-capacity", "-1"])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

#[test]
fn rejects_unknown_arguments() {
    let status = Command::new(env!("CARGO_BIN_EXE_crewsense-sandbox"))
        .arg("--bogus")
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}
