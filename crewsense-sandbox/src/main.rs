//! `crewsense-sandbox [--listen ADDR] [--seed N] [--token-ttl SECS] [--documented]
//! [--request-log-capacity N] [--department DIR]`:
//! starts the emulator (with the seeded department, or the one captured in `DIR`), prints one JSON line with its URLs and credentials, and
//! serves until killed (`POST /sandbox/rotate_credentials` rotates the secret).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use crewsense_sandbox::{Mode, Sandbox, SandboxBuilder};

const USAGE: &str = "usage: crewsense-sandbox [--listen ADDR] [--seed N] [--token-ttl SECS] \
[--documented] [--request-log-capacity N] [--department DIR]";

fn parse(args: impl Iterator<Item = String>) -> Result<SandboxBuilder, String> {
    let mut builder = Sandbox::builder();
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        builder = match flag.as_str() {
            "--listen" => builder.listen(
                value("--listen")?
                    .parse::<SocketAddr>()
                    .map_err(|e| format!("--listen: {e}"))?,
            ),
            "--seed" => builder.seed(
                value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?,
            ),
            "--token-ttl" => builder.token_ttl(Duration::from_secs(
                value("--token-ttl")?
                    .parse()
                    .map_err(|e| format!("--token-ttl: {e}"))?,
            )),
            "--documented" => builder.mode(Mode::Documented),
            "--request-log-capacity" => builder.request_log_capacity(
                value("--request-log-capacity")?
                    .parse()
                    .map_err(|e| format!("--request-log-capacity: {e}"))?,
            ),
            "--department" => builder.department(value("--department")?),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        };
    }
    Ok(builder)
}

#[tokio::main]
async fn main() -> ExitCode {
    let builder = match parse(std::env::args().skip(1)) {
        Ok(b) => b,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match builder.start().await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("crewsense-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Written by hand to keep the documented key order (serde_json sorts maps).
    let line = format!(
        "{{\"base_url\":{},\"token_url\":{},\"client_id\":{},\"client_secret\":{}}}",
        serde_json::Value::from(sandbox.base_url()),
        serde_json::Value::from(sandbox.token_url()),
        serde_json::Value::from(sandbox.client_id()),
        serde_json::Value::from(sandbox.client_secret()),
    );
    println!("{line}");
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
