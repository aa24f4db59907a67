//! `crewsense changes`: what changes in the schedule of a range, one JSON line per
//! change as it is seen, until interrupted.

use std::pin::pin;
use std::time::Duration;

use crewsense::Client;
use crewsense::changes::{ChangeSet, PlacedShift, ShiftChange, TimeOffChange};
use crewsense::time::DateRange;
use crewsense::types::ScheduleTimeOff;
use futures::StreamExt;
use serde::Serialize;

use crate::args::Range;
use crate::failure::Failure;
use crate::output::{Output, Row, Sink, json_value};
use crate::tasks::stdout;

/// `changes`' arguments.
#[derive(Debug, clap::Args)]
pub struct ChangesArgs {
    /// The days.
    #[command(flatten)]
    pub range: Range,
    /// How long to wait between two looks: 500ms, 30s, 5m, 1h (a bare number is
    /// seconds).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration)]
    pub every: Duration,
    /// Also print what the first look finds, every shift and time off as added
    /// (`"baseline": true`).
    #[arg(long)]
    pub baseline: bool,
}

/// Reads `500ms`, `30s`, `5m`, `1h` or a number of seconds; more than zero.
fn duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 500ms, 30s, 5m or 1h"))?;
    let seconds = |factor: u64| number.checked_mul(factor).map(Duration::from_secs);
    let duration = match unit {
        "ms" => Some(Duration::from_millis(number)),
        "" | "s" => seconds(1),
        "m" => seconds(60),
        "h" => seconds(3600),
        _ => return Err(format!("`{unit}` is not a unit of time (ms, s, m or h)")),
    };
    match duration {
        Some(d) if !d.is_zero() => Ok(d),
        Some(_) => Err("the time between two looks must be more than zero".to_owned()),
        None => Err(format!("`{text}` is too long")),
    }
}

/// One change as one NDJSON line.
#[derive(Debug, Serialize)]
struct Line {
    date: String,
    change: &'static str,
    id: Option<u64>,
    /// What differs, for `shift_changed`.
    fields: Vec<&'static str>,
    before: Option<Entry>,
    after: Option<Entry>,
    baseline: bool,
}

impl Row for Line {
    const COLUMNS: &'static [&'static str] = &[
        "date", "change", "id", "fields", "before", "after", "baseline",
    ];

    fn cells(&self) -> Vec<String> {
        self.values()
            .iter()
            .map(|value| match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect()
    }

    fn values(&self) -> Vec<serde_json::Value> {
        vec![
            json_value(&self.date),
            json_value(&self.change),
            json_value(&self.id),
            json_value(&self.fields),
            json_value(&self.before),
            json_value(&self.after),
            json_value(&self.baseline),
        ]
    }
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Entry {
    Shift(ShiftEntry),
    TimeOff(TimeOffEntry),
}

#[derive(Debug, Serialize)]
struct ShiftEntry {
    assignment_id: Option<u64>,
    assignment: Option<String>,
    user_id: Option<u64>,
    name: Option<String>,
    start: Option<String>,
    end: Option<String>,
    work_type: Option<String>,
    work_code: Option<String>,
    labels: Vec<String>,
    qualifiers: Vec<String>,
}

#[derive(Debug, Serialize)]
struct TimeOffEntry {
    user_id: Option<u64>,
    name: Option<String>,
    time_off_type: Option<String>,
    start: Option<String>,
    end: Option<String>,
}

fn text<T: ToString>(value: Option<T>) -> Option<String> {
    value.map(|v| v.to_string())
}

impl From<&PlacedShift> for Entry {
    fn from(placed: &PlacedShift) -> Self {
        let shift = &placed.shift;
        let user = shift.user.as_ref();
        let work_type = shift.work_type.as_ref();
        Entry::Shift(ShiftEntry {
            assignment_id: placed.assignment_id.map(|id| id.get()),
            assignment: placed.assignment.clone(),
            user_id: user.and_then(|u| u.id).map(|id| id.get()),
            name: user.and_then(|u| u.name.clone()),
            start: text(shift.start),
            end: text(shift.end),
            work_type: work_type.and_then(|w| w.name.clone()),
            work_code: work_type.and_then(|w| w.work_code.clone()),
            labels: shift
                .labels
                .iter()
                .flatten()
                .filter_map(|l| l.label.clone())
                .collect(),
            qualifiers: shift
                .qualifiers
                .iter()
                .flatten()
                .filter_map(|q| q.shortcode.clone().or_else(|| q.name.clone()))
                .collect(),
        })
    }
}

impl From<&ScheduleTimeOff> for Entry {
    fn from(entry: &ScheduleTimeOff) -> Self {
        let user = entry.user.as_ref();
        Entry::TimeOff(TimeOffEntry {
            user_id: user.and_then(|u| u.id).map(|id| id.get()),
            name: user.and_then(|u| u.name.clone()),
            time_off_type: entry.time_off_type.as_ref().and_then(|k| k.name.clone()),
            start: text(entry.start),
            end: text(entry.end),
        })
    }
}

/// The lines of a change set, day by day.
fn lines(set: &ChangeSet) -> Vec<Line> {
    let mut lines = Vec::new();
    for day in &set.days {
        let line = |change, id, before: Option<Entry>, after: Option<Entry>| Line {
            date: day.date.to_string(),
            change,
            id,
            fields: Vec::new(),
            before,
            after,
            baseline: set.baseline,
        };
        for change in &day.shifts {
            let id = change.id().map(|id| id.get());
            lines.push(match change {
                ShiftChange::Added(s) => line("shift_added", id, None, Some(s.into())),
                ShiftChange::Removed(s) => line("shift_removed", id, Some(s.into()), None),
                ShiftChange::Changed {
                    fields,
                    before,
                    after,
                } => Line {
                    fields: fields.iter().map(|f| f.as_str()).collect(),
                    ..line(
                        "shift_changed",
                        id,
                        Some(before.as_ref().into()),
                        Some(after.as_ref().into()),
                    )
                },
                _ => continue,
            });
        }
        for change in &day.time_off {
            lines.push(match change {
                TimeOffChange::Added(t) => line(
                    "time_off_added",
                    t.id.map(|id| id.get()),
                    None,
                    Some(t.into()),
                ),
                TimeOffChange::Removed(t) => line(
                    "time_off_removed",
                    t.id.map(|id| id.get()),
                    Some(t.into()),
                    None,
                ),
                _ => continue,
            });
        }
    }
    lines
}

/// What the baseline holds, for the line that says the watch has begun.
fn counts(set: &ChangeSet) -> (usize, usize) {
    set.days.iter().fold((0, 0), |(shifts, time_off), day| {
        (shifts + day.shifts.len(), time_off + day.time_off.len())
    })
}

/// `crewsense changes`: looks at `range` every `--every` and writes each change as
/// an NDJSON line, until Ctrl-C (exit 0). A failed first look is a failure; later
/// ones are reported on stderr and the looks go on, unless the credentials are
/// refused. `output` is NDJSON (with `--fields` and `--jq` applied to each line).
pub async fn run(
    client: &Client,
    args: &ChangesArgs,
    range: DateRange,
    output: &Output,
) -> Result<(), Failure> {
    let mut sink = Sink::new::<Line>(stdout(), output)?;
    let mut changes = client.schedule_changes(range).every(args.every).stream();
    let mut interrupted = pin!(tokio::signal::ctrl_c());
    let mut started = false;
    loop {
        let next = tokio::select! {
            stop = &mut interrupted => {
                stop.map_err(|e| Failure::Api(format!("could not watch for Ctrl-C: {e}")))?;
                break;
            }
            next = changes.next() => next,
        };
        let set = match next {
            Some(Ok(set)) => set,
            Some(Err(error)) => {
                let failure = Failure::from(error);
                if !started || matches!(failure, Failure::Credentials(_)) {
                    return Err(failure);
                }
                eprintln!("crewsense: {failure} (looking again in {:?})", args.every);
                continue;
            }
            None => break,
        };
        if set.without_validators {
            eprintln!(
                "crewsense: the server sends no validators, so each look reads the whole range and compares it"
            );
        }
        if set.baseline {
            started = true;
            let (shifts, time_off) = counts(&set);
            eprintln!(
                "crewsense: watching {} to {} ({shifts} shifts, {time_off} time off entries), a look every {:?}; Ctrl-C stops",
                range.start(),
                range.end(),
                args.every
            );
            if !args.baseline {
                continue;
            }
        }
        for line in lines(&set) {
            sink.push(&line)?;
        }
        sink.flush()?;
    }
    sink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_their_units_and_refuse_zero_and_nonsense() {
        assert_eq!(duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(duration("45"), Ok(Duration::from_secs(45)));
        assert_eq!(duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(duration("2h"), Ok(Duration::from_secs(7200)));
        assert!(duration("0s").is_err());
        assert!(duration("5 weeks").is_err());
        assert!(duration("m").is_err());
        assert!(duration(&format!("{}h", u64::MAX)).is_err());
    }
}
