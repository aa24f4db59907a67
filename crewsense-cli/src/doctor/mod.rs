//! `crewsense doctor`: a read-only check of an account against the spec. It fetches a
//! token, compares the clocks, sends every `GET` operation of the catalogue (at most
//! two at a time) and reports for each its status, latency and size, the values
//! strict decoding could not read and the members the spec does not know. With
//! `--capture DIR` it writes the answers, scrubbed, as contract-test fixtures.
//!
//! It sends nothing but `GET` requests and the token request.

mod capture;
mod plan;
mod report;
mod scrub;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use crewsense::time::{Date, DateRange};
use crewsense::{Client, RawAnswer};
use crewsense_gen::catalog::Operation;
use crewsense_gen::decode::DecodeMode;
use crewsense_gen::spec_shape::{JsonType, Kind, OperationShape, Visitor, walk};
use futures::StreamExt;
use indicatif::ProgressStyle;

use crate::failure::Failure;
use crate::output::{Format, Output};
use crate::progress;

use self::capture::Capture;
use self::plan::{Ids, Need, Ready};
use self::report::{
    ClockCheck, DegradedField, OperationReport, Outcome, Report, TokenCheck, UnknownField, Window,
};

/// Requests in flight at once: gentle with production.
const IN_FLIGHT: usize = 2;

/// `doctor`'s arguments.
#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// The first day of the window of date-ranged operations (YYYY-MM-DD)
    /// [default: 7 days before --to].
    #[arg(long, value_name = "DATE")]
    pub from: Option<Date>,
    /// The day after the last day of the window (exclusive) [default: tomorrow].
    #[arg(long, value_name = "DATE")]
    pub to: Option<Date>,
    /// Write each answer, scrubbed of personal data, into DIR as contract-test
    /// fixtures (manifest.json), with scrub.json saying what was replaced.
    #[arg(long, value_name = "DIR")]
    pub capture: Option<PathBuf>,
}

/// Runs `doctor`: prints the report, and fails (exit 1) if an operation failed.
pub async fn run(client: &Client, args: &DoctorArgs, output: &Output) -> Result<(), Failure> {
    output.no_fields("doctor")?;
    let window = window(args)?;
    let started = Instant::now();
    let lifetime = client.authenticate().await?;
    let token = TokenCheck {
        lifetime_s: lifetime.map(|left| left.as_secs()),
        latency_ms: millis(started.elapsed()),
    };
    let mut capture = args.capture.as_deref().map(Capture::create).transpose()?;
    let (operations, clock) = check_operations(client, window, capture.as_mut()).await?;
    let capture = capture.map(Capture::finish).transpose()?;
    let report = Report {
        base_url: client.base_url().to_owned(),
        window: Window {
            from: window.start().to_string(),
            to: window.end().to_string(),
        },
        token,
        clock,
        operations,
        capture,
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    match output.format {
        Format::Json | Format::Ndjson => output.write_json(&mut out, &report)?,
        Format::Table | Format::Csv => report.write_text(&mut out)?,
    }
    out.flush()?;
    let failed: Vec<&str> = report.failed().map(|op| op.operation).collect();
    if failed.is_empty() {
        return Ok(());
    }
    Err(Failure::Api(format!(
        "doctor: {} of {} operations failed: {}",
        failed.len(),
        report.operations.len(),
        failed.join(", ")
    )))
}

/// The window of `--from`/`--to`, by default the last seven days.
fn window(args: &DoctorArgs) -> Result<DateRange, Failure> {
    let today = Date(chrono::Local::now().date_naive());
    let to = args.to.unwrap_or_else(|| plan::last_week(today).end());
    let from = args
        .from
        .unwrap_or_else(|| Date(to.0 - chrono::Days::new(7)));
    if to <= from {
        return Err(Failure::usage(format!(
            "--to {to} must be after --from {from} (--to is the day after the last day)"
        )));
    }
    Ok(DateRange::new(from, to))
}

/// Sends every `GET` operation, round after round as the ids they need are found,
/// and reports on each in the catalogue's order; also the clocks, from the first
/// answer with a `Date`.
async fn check_operations(
    client: &Client,
    window: DateRange,
    mut capture: Option<&mut Capture>,
) -> Result<(Vec<OperationReport>, Option<ClockCheck>), Failure> {
    let operations: Vec<&'static Operation> = plan::get_operations().collect();
    let needs: Vec<Vec<Need>> = operations.iter().map(|op| plan::needs(op)).collect();
    let wanted: Vec<Need> = needs.iter().flatten().cloned().collect();
    let mut reports: Vec<Option<OperationReport>> = operations.iter().map(|_| None).collect();
    let mut ids = Ids::default();
    let mut clock = None;
    // The pages bar (hidden off a terminal), counting operations instead.
    let bar = progress::pages(Some(operations.len() as u64));
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} operations {elapsed}") {
        bar.set_style(style);
    }
    loop {
        let mut round = Vec::new();
        for (index, op) in operations.iter().enumerate() {
            if reports[index].is_some() {
                continue;
            }
            match ids.ready(&needs[index]) {
                Ready::Yes(found) => round.push((index, found)),
                Ready::Waiting => {}
                Ready::Never(why) => {
                    ids.failed(op.id, &wanted);
                    reports[index] = Some(OperationReport::skipped(op, why));
                    bar.inc(1);
                }
            }
        }
        if round.is_empty() {
            break;
        }
        let operations = &operations;
        let mut answers = futures::stream::iter(round)
            .map(|(index, found)| async move {
                let request = plan::request(operations[index], &found, window);
                let answer = match request {
                    Ok(request) => client.fetch_raw(request).await,
                    Err(error) => Err(error),
                };
                (index, answer)
            })
            .buffer_unordered(IN_FLIGHT);
        while let Some((index, answer)) = answers.next().await {
            bar.inc(1);
            let op = operations[index];
            let report = match answer {
                Ok(answer) => {
                    if clock.is_none() {
                        clock = answer.date.map(|date| clock_check(date, answer.received));
                    }
                    examine(index, op, answer, &wanted, &mut ids, capture.as_deref_mut())?
                }
                Err(error) => {
                    ids.failed(op.id, &wanted);
                    OperationReport::failed(op, None, error.to_string())
                }
            };
            reports[index] = Some(report);
        }
    }
    bar.finish_and_clear();
    let reports = operations
        .iter()
        .zip(reports)
        .map(|(op, report)| {
            report.unwrap_or_else(|| OperationReport::skipped(op, "its ids never came".to_owned()))
        })
        .collect();
    Ok((reports, clock))
}

/// What one answer says: its ids for the operations after it, what strict decoding
/// could not read, the members the spec does not know; captured if asked.
fn examine(
    index: usize,
    op: &'static Operation,
    answer: RawAnswer,
    wanted: &[Need],
    ids: &mut Ids,
    mut capture: Option<&mut Capture>,
) -> Result<OperationReport, Failure> {
    let status = answer.status.as_u16();
    let mut report = OperationReport::failed(op, Some(&answer), String::new());
    if !answer.status.is_success() {
        ids.failed(op.id, wanted);
        report.error = Some(excerpt(&answer.body));
        return Ok(report);
    }
    let root = OperationShape::by_id(op.id).and_then(|shape| shape.response);
    let mut unknown = Unknown::default();
    // One reading finds the members the spec does not know and, for a capture,
    // scrubs the answer.
    let read = match capture.as_deref_mut() {
        Some(capture) => capture
            .scrub(op, &answer.body, root, |path, json_type| {
                unknown.found(path, json_type)
            })
            .map(Some),
        None => walk(&answer.body, root, &mut unknown).map(|()| None),
    };
    let scrubbed = match read {
        Ok(scrubbed) => scrubbed,
        Err(error) => {
            ids.failed(op.id, wanted);
            report.error = Some(format!("the answer is not JSON: {error}"));
            return Ok(report);
        }
    };
    report.unknown = unknown.fields();
    ids.learn(op.id, &answer.body, wanted);
    match (op.lenient_response)(&answer.body, op.id, DecodeMode::Lenient) {
        Ok(decoded) => {
            report.outcome = Outcome::Ok;
            report.error = None;
            report.degraded = decoded
                .degraded
                .into_iter()
                .map(|d| DegradedField {
                    path: d.path,
                    expected: d.expected,
                    found: d.found,
                })
                .collect();
        }
        Err(error) => report.error = Some(format!("the answer does not decode: {error}")),
    }
    if let (Some(capture), Some(scrubbed)) = (capture, scrubbed) {
        capture.add(index, op, status, &scrubbed)?;
    }
    Ok(report)
}

impl OperationReport {
    /// A report of `op` that failed with `error`, with what is known of its answer.
    fn failed(op: &'static Operation, answer: Option<&RawAnswer>, error: String) -> Self {
        OperationReport {
            operation: op.id,
            path: op.path,
            outcome: Outcome::Failed,
            status: answer.map(|a| a.status.as_u16()),
            latency_ms: answer.map(|a| millis(a.latency)),
            bytes: answer.map(|a| a.body.len()),
            error: Some(error),
            degraded: Vec::new(),
            unknown: Vec::new(),
        }
    }

    /// A report of `op`, not sent for the reason `why`.
    fn skipped(op: &'static Operation, why: String) -> Self {
        OperationReport {
            outcome: Outcome::Skipped,
            ..Self::failed(op, None, why)
        }
    }
}

/// The members the spec does not know, by path.
#[derive(Debug, Default)]
struct Unknown {
    found: BTreeMap<String, (&'static str, usize)>,
}

impl Unknown {
    /// One more member at `path` that the spec does not know.
    fn found(&mut self, path: &str, json_type: JsonType) {
        self.found
            .entry(path.to_owned())
            .or_insert((json_type.name(), 0))
            .1 += 1;
    }

    fn fields(self) -> Vec<UnknownField> {
        self.found
            .into_iter()
            .map(|(path, (json_type, count))| UnknownField {
                path,
                json_type,
                count,
            })
            .collect()
    }
}

impl Visitor for Unknown {
    fn unknown(&mut self, path: &str, json_type: JsonType) {
        self.found(path, json_type);
    }

    fn string(&mut self, _: &str, _: &str, _: Option<Kind>, _: &str) -> Option<&str> {
        None
    }
}

/// The server's clock against this machine's.
fn clock_check(server: SystemTime, here: SystemTime) -> ClockCheck {
    let skew_s = match server.duration_since(here) {
        Ok(ahead) => i64::try_from(ahead.as_secs()).unwrap_or(i64::MAX),
        Err(behind) => -i64::try_from(behind.duration().as_secs()).unwrap_or(i64::MAX),
    };
    ClockCheck {
        skew_s,
        breaks_token_expiry: skew_s.unsigned_abs() > crewsense::defaults::REFRESH_MARGIN.as_secs(),
    }
}

/// The start of an error answer, on one line.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}...", &line[..cut]),
        None => line,
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
