//! What `doctor` found, and how it is printed: a summary table and lists as text, or
//! the whole report as one JSON document.

use std::io::{self, Write};

use serde::Serialize;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The API's base URL.
    pub base_url: String,
    /// The window of date-ranged operations: the first day and the day after the last.
    pub window: Window,
    /// The credentials.
    pub token: TokenCheck,
    /// This machine's clock against the server's, if an answer had a `Date`.
    pub clock: Option<ClockCheck>,
    /// Every `GET` operation, in the catalogue's order.
    pub operations: Vec<OperationReport>,
    /// The capture written with `--capture`.
    pub capture: Option<CaptureSummary>,
}

/// The window of date-ranged operations.
#[derive(Debug, Serialize)]
pub struct Window {
    /// The first day.
    pub from: String,
    /// The day after the last.
    pub to: String,
}

/// The token request.
#[derive(Debug, Serialize)]
pub struct TokenCheck {
    /// How long the token is valid, in seconds (none for a static token).
    pub lifetime_s: Option<u64>,
    /// How long the token request took, in milliseconds.
    pub latency_ms: f64,
}

/// The clocks.
#[derive(Debug, Serialize)]
pub struct ClockCheck {
    /// The server's clock minus this machine's, in seconds (a `Date` header counts
    /// whole seconds).
    pub skew_s: i64,
    /// Whether the skew is larger than the margin by which the client renews tokens
    /// before they expire, so that a token could be used after it expired.
    pub breaks_token_expiry: bool,
}

/// How an operation went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It answered with a success.
    Ok,
    /// It answered with an error status, or not at all.
    Failed,
    /// It was not sent: no earlier answer gave the id it needs.
    Skipped,
}

/// One operation.
#[derive(Debug, Serialize)]
pub struct OperationReport {
    /// Its `operationId`.
    pub operation: &'static str,
    /// Its path template.
    pub path: &'static str,
    /// How it went.
    pub outcome: Outcome,
    /// The answer's status.
    pub status: Option<u16>,
    /// From request to the end of the answer, in milliseconds.
    pub latency_ms: Option<f64>,
    /// The size of the answer's body.
    pub bytes: Option<usize>,
    /// Why it failed or was skipped.
    pub error: Option<String>,
    /// The values strict decoding could not read.
    pub degraded: Vec<DegradedField>,
    /// The members the spec does not know.
    pub unknown: Vec<UnknownField>,
}

/// A value that strict decoding could not read.
#[derive(Debug, Serialize)]
pub struct DegradedField {
    /// Where it was.
    pub path: String,
    /// What the spec expects there.
    pub expected: String,
    /// What came (the start of it).
    pub found: String,
}

/// A member the spec does not know.
#[derive(Debug, Serialize)]
pub struct UnknownField {
    /// Where it is (`[]` any item, `*` any member of a map).
    pub path: String,
    /// Its JSON type.
    pub json_type: &'static str,
    /// How many times it came.
    pub count: usize,
}

/// What `--capture` wrote.
#[derive(Debug, Serialize)]
pub struct CaptureSummary {
    /// The folder.
    pub dir: String,
    /// How many answers it holds.
    pub files: usize,
    /// Their bytes, manifest and scrub report included.
    pub bytes: u64,
    /// How many values were replaced by pseudonyms.
    pub scrubbed_values: usize,
}

impl Report {
    /// The operations that failed.
    pub fn failed(&self) -> impl Iterator<Item = &OperationReport> {
        self.operations
            .iter()
            .filter(|op| op.outcome == Outcome::Failed)
    }

    /// Writes the report as text: a header, a table of operations, then the
    /// degraded values, the unknown members, the failures and the skipped operations.
    pub fn write_text(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "API       {}", self.base_url)?;
        let lifetime = self
            .token
            .lifetime_s
            .map_or_else(|| "static".to_owned(), |s| format!("valid {s} s"));
        writeln!(
            out,
            "token     {lifetime}, fetched in {:.0} ms",
            self.token.latency_ms
        )?;
        match &self.clock {
            Some(clock) if clock.breaks_token_expiry => writeln!(
                out,
                "clock     {:+} s against the server: larger than the token renewal margin, tokens may be used after they expire",
                clock.skew_s
            )?,
            Some(clock) => writeln!(out, "clock     {:+} s against the server", clock.skew_s)?,
            None => writeln!(out, "clock     the server sent no Date header")?,
        }
        writeln!(
            out,
            "window    {} to {} (exclusive)",
            self.window.from, self.window.to
        )?;
        writeln!(out)?;
        let rows: Vec<[String; 7]> = self
            .operations
            .iter()
            .map(|op| {
                [
                    op.operation.to_owned(),
                    match op.outcome {
                        Outcome::Ok => "ok",
                        Outcome::Failed => "FAILED",
                        Outcome::Skipped => "skipped",
                    }
                    .to_owned(),
                    op.status.map_or_else(String::new, |s| s.to_string()),
                    op.latency_ms
                        .map_or_else(String::new, |ms| format!("{ms:.0}")),
                    op.bytes.map_or_else(String::new, |b| b.to_string()),
                    op.degraded.len().to_string(),
                    op.unknown.len().to_string(),
                ]
            })
            .collect();
        let header = [
            "OPERATION",
            "OUTCOME",
            "STATUS",
            "MS",
            "BYTES",
            "DEGRADED",
            "UNKNOWN",
        ]
        .map(str::to_owned);
        write_table(out, &header, &rows)?;
        let ok = self
            .operations
            .iter()
            .filter(|op| op.outcome == Outcome::Ok)
            .count();
        writeln!(
            out,
            "\n{ok} of {} GET operations answered",
            self.operations.len()
        )?;
        for op in &self.operations {
            for field in &op.degraded {
                writeln!(
                    out,
                    "degraded  {}: {}: expected {}, found {}",
                    op.operation, field.path, field.expected, field.found
                )?;
            }
        }
        for op in &self.operations {
            for field in &op.unknown {
                writeln!(
                    out,
                    "unknown   {}: {} ({}, {}x)",
                    op.operation, field.path, field.json_type, field.count
                )?;
            }
        }
        for op in &self.operations {
            if let (Outcome::Failed | Outcome::Skipped, Some(error)) = (op.outcome, &op.error) {
                let word = if op.outcome == Outcome::Failed {
                    "failed "
                } else {
                    "skipped"
                };
                writeln!(out, "{word}   {} ({}): {error}", op.operation, op.path)?;
            }
        }
        if let Some(capture) = &self.capture {
            writeln!(
                out,
                "capture   {}: {} answers, {} bytes, {} values scrubbed (see scrub.json)",
                capture.dir, capture.files, capture.bytes, capture.scrubbed_values
            )?;
        }
        Ok(())
    }
}

/// Writes `rows` under `header`, each column as wide as its widest cell.
fn write_table<const N: usize>(
    out: &mut impl Write,
    header: &[String; N],
    rows: &[[String; N]],
) -> io::Result<()> {
    let mut widths = header.each_ref().map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(header).chain(rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            if i + 1 < N {
                line.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
