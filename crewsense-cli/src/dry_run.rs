//! `crewsense api ... --dry-run`: the request an operation would send, built by the
//! generated command itself (path, query and the body read from `--body`) and caught
//! by a transport that keeps it instead of sending it. No token is fetched, so none
//! can be shown.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use clap::ArgMatches;
use crewsense::Client;
use crewsense_gen::hooks::{BoxFuture, Inner, Transport};
use serde::Serialize;
use serde_json::Value;

use crate::api::{Printer, command_name};
use crate::failure::Failure;
use crate::generated_cli::{Cli, CliCommand};
use crate::output::{Format, Output};
use crate::tasks::stdout;

/// The request that would have been sent.
#[derive(Debug, Serialize)]
struct Request {
    method: String,
    url: String,
    /// The JSON body, if there is one.
    body: Option<Value>,
}

/// A transport that keeps the request and answers `204 No Content` itself.
#[derive(Default)]
struct Catch(Mutex<Option<Request>>);

impl Transport for Catch {
    fn send<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        request: reqwest::Request,
        _info: &'a progenitor_client::OperationInfo,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        let body = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .filter(|bytes| !bytes.is_empty())
            .map(|bytes| {
                serde_json::from_slice(bytes)
                    .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into()))
            });
        let caught = Request {
            method: request.method().to_string(),
            url: request.url().to_string(),
            body,
        };
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(caught);
        Box::pin(async {
            let mut answer = http::Response::new(Vec::<u8>::new());
            *answer.status_mut() = http::StatusCode::NO_CONTENT;
            Ok(reqwest::Response::from(answer))
        })
    }
}

/// Builds `operation`'s request from `matches` against `client`'s base URL, and
/// prints it: as JSON (`method`, `url`, `body`) in JSON formats, else as text.
pub async fn run(
    client: &Client,
    operation: CliCommand,
    matches: &ArgMatches,
    output: &Output,
) -> Result<(), Failure> {
    // The client below never connects, but reqwest wants a TLS provider to build it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let catch = Arc::new(Catch::default());
    let inner = Inner::new().with_transport(catch.clone());
    let api =
        crewsense_gen::Client::new_with_client(client.base_url(), reqwest::Client::new(), inner);
    let name = command_name(operation);
    let result = Cli::new(api, Printer::new(None))
        .execute(operation, matches)
        .await;
    let caught = catch
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    let Some(request) = caught else {
        // The command stopped before it built a request: a bad body file or flag.
        let problem = result
            .err()
            .map_or_else(String::new, |e| format!(": {e:#}"));
        return Err(Failure::usage(format!(
            "{name}: no request was built{problem}"
        )));
    };
    let mut out = stdout();
    match output.format {
        Format::Json | Format::Ndjson => output.write_json(&mut out, &request),
        Format::Table | Format::Csv => {
            writeln!(out, "{} {}", request.method, request.url)?;
            if let Some(body) = &request.body {
                serde_json::to_writer_pretty(&mut out, body).map_err(std::io::Error::from)?;
                writeln!(out)?;
            }
            out.flush()?;
            eprintln!("crewsense: a dry run: nothing was sent");
            Ok(())
        }
    }
}
