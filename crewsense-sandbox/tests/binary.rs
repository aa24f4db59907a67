//! The binary prints one JSON line with its URLs and credentials, then serves.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The binary, running until dropped, and the JSON line it printed.
struct Running {
    child: Child,
    info: Value,
}

impl Running {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crewsense-sandbox"))
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let info = serde_json::from_str(&line).expect("one JSON line");
        Self { child, info }
    }

    fn text(&self, key: &str) -> &str {
        self.info[key].as_str().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

#[test]
fn prints_one_json_line_and_serves() {
    let running = Running::start(&[
        "--seed",
        "3",
        "--token-ttl",
        "60",
        "--request-log-capacity",
        "10",
    ]);
    let base = running.text("base_url");
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/v1"));
    assert!(running.text("token_url").ends_with("/oauth/access_token"));
    assert!(running.info["client_id"].is_string() && running.info["client_secret"].is_string());
}

#[tokio::test]
async fn a_running_sandbox_rotates_its_credentials_on_its_control_endpoint() {
    let running = Running::start(&[]);
    let (id, old) = (running.text("client_id"), running.text("client_secret"));
    let token_url = running.text("token_url");
    let rotate_url = token_url.replace("/oauth/access_token", "/sandbox/rotate_credentials");
    let company_url = format!("{}/company", running.text("base_url"));
    let http = reqwest::Client::new();
    let post = async |url: &str, form: &[(&str, &str)]| {
        let answer = http.post(url).form(form).send().await.unwrap();
        let status = answer.status().as_u16();
        (status, answer.json::<Value>().await.unwrap())
    };
    let token = async |secret: &str| {
        let form = [
            ("client_id", id),
            ("client_secret", secret),
            ("grant_type", "client_credentials"),
        ];
        let (status, body) = post(token_url, &form).await;
        (status, body["access_token"].as_str().map(str::to_owned))
    };
    let company = async |token: &str| {
        let answer = http.get(&company_url).bearer_auth(token).send().await;
        answer.unwrap().status().as_u16()
    };

    let (wrong, _) = post(
        &rotate_url,
        &[("client_id", id), ("client_secret", "wrong")],
    )
    .await;
    assert_eq!(wrong, 401);
    let (_, before) = token(old).await;
    let before = before.expect("the first secret buys a token");

    let (status, rotated) = post(&rotate_url, &[("client_id", id), ("client_secret", old)]).await;
    assert_eq!(status, 200, "{rotated}");
    assert_eq!(rotated["client_id"], id);
    assert_eq!(rotated["tokens_revoked"], false);
    let new = rotated["client_secret"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(token(old).await, (401, None));
    assert_eq!(token(new).await.0, 200);
    assert_eq!(
        company(&before).await,
        200,
        "tokens outlive a plain rotation"
    );

    let revoking = [
        ("client_id", id),
        ("client_secret", new),
        ("revoke_tokens", "true"),
    ];
    let (status, rotated) = post(&rotate_url, &revoking).await;
    assert_eq!(
        (status, &rotated["tokens_revoked"]),
        (200, &Value::Bool(true))
    );
    assert_eq!(company(&before).await, 401);
    let newer = rotated["client_secret"].as_str().unwrap();
    assert_eq!(token(new).await.0, 401);
    let (_, after) = token(newer).await;
    assert_eq!(company(&after.unwrap()).await, 200);
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

#[tokio::test]
async fn serves_the_department_captured_in_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let users = r#"[{"user_id": "41", "first_name": "Robin", "last_name": "Ash"}]"#;
    std::fs::write(dir.path().join("users.json"), users).unwrap();
    let manifest = r#"[{"file": "users.json", "method": "GET", "path": "/users",
        "direction": "response", "status": 200, "note": null}]"#;
    std::fs::write(dir.path().join("manifest.json"), manifest).unwrap();
    let running = Running::start(&["--department", dir.path().to_str().unwrap()]);
    let http = reqwest::Client::new();
    let form = [
        ("client_id", running.text("client_id")),
        ("client_secret", running.text("client_secret")),
        ("grant_type", "client_credentials"),
    ];
    let token: Value = http
        .post(running.text("token_url"))
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let users: Value = http
        .get(format!("{}/users", running.text("base_url")))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(users[0]["full_name"], "Robin Ash");
    assert_eq!(users.as_array().map(Vec::len), Some(1));
}

#[test]
fn a_department_directory_without_a_manifest_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_crewsense-sandbox"))
        .args(["--department", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("manifest.json"), "{stderr}");
}
