//! `--debug` and `CREWSENSE_LOG`: the client's `tracing` events as lines on standard
//! error, one per HTTP attempt and one per token fetch, so that standard output stays
//! what a pipe reads.

use std::fmt;

use tracing::{Event, Subscriber};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

use crate::failure::Failure;

/// The environment variable that sets the filter: `target=level` directives
/// separated by commas, such as `crewsense=debug` for every event of the client.
pub const LOG_ENV: &str = "CREWSENSE_LOG";

/// What `--debug` shows unless `CREWSENSE_LOG` says otherwise: each HTTP attempt
/// (method, URL, status, duration, attempt, retry wait, bytes), each token fetch,
/// and every warning.
const DEBUG_FILTER: &str = "warn,crewsense::http=debug,crewsense::token=debug";

/// Sends the client's events to standard error when `debug` is set or
/// `CREWSENSE_LOG` names a filter; otherwise leaves them unrecorded.
pub fn init(debug: bool) -> Result<(), Failure> {
    let filter = match std::env::var(LOG_ENV) {
        Ok(filter) if !filter.trim().is_empty() => filter,
        _ if debug => DEBUG_FILTER.to_owned(),
        _ => return Ok(()),
    };
    let targets: Targets = filter
        .parse()
        .map_err(|e| Failure::usage(format!("{LOG_ENV}={filter} is not a filter: {e}")))?;
    let lines = tracing_subscriber::fmt::layer()
        .event_format(Line)
        .with_writer(std::io::stderr)
        .with_filter(targets);
    // Only the first subscriber of a process counts; there is no other here.
    let _ = tracing_subscriber::registry().with(lines).try_init();
    Ok(())
}

/// One line per event: level, target, message and fields, without span context or
/// time (`DEBUG crewsense::http: GET https://... status=200 duration_ms=41.3 ...`).
struct Line;

impl<S, N> FormatEvent<S, N> for Line
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        write!(writer, "{} {}: ", meta.level(), meta.target())?;
        ctx.format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}
