//! The task commands, written on the facade: schedule, time off, payroll, users and
//! the credentials check.

use std::io::{self, BufWriter, Write};

use chrono::Datelike;
use crewsense::Client;
use crewsense::paginate::Period;
use crewsense::time::{DateRange, LocalDateTime};
use crewsense::types::PayrollEntry;
use crewsense::wire::Id;
use futures::TryStreamExt;

use crate::failure::Failure;
use crate::output::{Format, Output, Row, Sink};
use crate::progress;
use crate::rows::{self, PayrollRow, ScheduleRow, TimeOffRow, TimeOffTotals, UserRow};

/// Buffered stdout; every sink flushes it after each page.
pub(crate) fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

/// How many calendar months `range` touches: the schedule's and time off's pages.
fn months(range: DateRange) -> u64 {
    let (start, end) = (range.start().get(), range.end().get());
    if range.is_empty() {
        return 0;
    }
    let last = end.pred_opt().unwrap_or(end);
    let index = |d: chrono::NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    u64::try_from(index(last) - index(start) + 1).unwrap_or(0)
}

/// `crewsense schedule`: one row per person on a shift, a month per request.
pub async fn schedule(client: &Client, range: DateRange, output: &Output) -> Result<(), Failure> {
    let employees = rows::employee_ids(&client.users().await?);
    let mut sink = Sink::new::<ScheduleRow>(stdout(), output)?;
    let bar = progress::pages(Some(months(range)));
    let mut pages = client.schedule_days(range, Period::Month).pages();
    while let Some(page) = pages.try_next().await? {
        for (date, day) in &page.items {
            for row in rows::schedule_rows(*date, day, &employees) {
                sink.push(&row)?;
            }
        }
        sink.flush()?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    sink.finish()
}

/// What `crewsense time-off` prints.
#[derive(Debug, Clone, Copy)]
pub enum TimeOffView {
    /// Every entry.
    Entries,
    /// Totals per type, and per person too if `by_user`.
    Summary {
        /// Also per person.
        by_user: bool,
    },
}

/// `crewsense time-off`: the entries of `range` (of one user), or their totals.
pub async fn time_off(
    client: &Client,
    range: DateRange,
    user: Option<u64>,
    view: TimeOffView,
    output: &Output,
) -> Result<(), Failure> {
    let bar = progress::pages(Some(months(range)));
    let mut pages = client.time_offs(range).pages();
    let mine = |row: &TimeOffRow| user.is_none() || row.user_id == user;
    match view {
        TimeOffView::Entries => {
            let mut sink = Sink::new::<TimeOffRow>(stdout(), output)?;
            while let Some(page) = pages.try_next().await? {
                for row in page.items.iter().map(TimeOffRow::from).filter(mine) {
                    sink.push(&row)?;
                }
                sink.flush()?;
                bar.inc(1);
            }
            bar.finish_and_clear();
            sink.finish()
        }
        TimeOffView::Summary { by_user } => {
            let mut totals = TimeOffTotals::new(by_user);
            while let Some(page) = pages.try_next().await? {
                page.items
                    .iter()
                    .map(TimeOffRow::from)
                    .filter(mine)
                    .for_each(|row| totals.add(row));
                bar.inc(1);
            }
            bar.finish_and_clear();
            write_all(totals.into_rows(), output)
        }
    }
}

/// `crewsense payroll`: the payroll entries of `range` (of one user).
pub async fn payroll(
    client: &Client,
    range: DateRange,
    user: Option<u64>,
    output: &Output,
) -> Result<(), Failure> {
    let (start, end): (LocalDateTime, LocalDateTime) = range.window();
    let entries: Vec<PayrollEntry> = client
        .call(async |api| {
            let request = api.list_payroll_entries().start(start).end(end);
            match user {
                Some(user) => request.user_id(Id(user)).send().await,
                None => request.send().await,
            }
        })
        .await?;
    write_all(entries.iter().map(PayrollRow::from), output)
}

/// `crewsense users`: every user, or the one with `employee_id`.
pub async fn users(
    client: &Client,
    employee_id: Option<&str>,
    output: &Output,
) -> Result<(), Failure> {
    let users = match employee_id {
        Some(id) => client.user_by_employee_id(id).await?.into_iter().collect(),
        None => client.users().await?,
    };
    write_all(users.iter().map(UserRow::from), output)
}

/// `crewsense auth check`: obtains a token and says how long it is valid, never
/// what it is.
pub async fn auth_check(client: &Client, output: &Output) -> Result<(), Failure> {
    output.no_fields("auth check")?;
    let left = client.authenticate().await?;
    let mut out = stdout();
    match output.format {
        Format::Json | Format::Ndjson => {
            let seconds = left.map(|d| d.as_secs());
            let answer = serde_json::json!({ "valid": true, "expires_in_seconds": seconds });
            return output.write_json(&mut out, &answer);
        }
        Format::Table | Format::Csv => match left {
            Some(left) => {
                let s = left.as_secs();
                writeln!(
                    out,
                    "The credentials are valid: the access token expires in {}h {:02}m ({s} s).",
                    s / 3600,
                    s / 60 % 60
                )?;
            }
            None => writeln!(
                out,
                "A static access token is configured; its lifetime is unknown."
            )?,
        },
    }
    Ok(out.flush()?)
}

/// Writes rows that are all at hand.
pub fn write_all<R: Row>(rows: impl Iterator<Item = R>, output: &Output) -> Result<(), Failure> {
    let mut sink = Sink::new::<R>(stdout(), output)?;
    for row in rows {
        sink.push(&row)?;
    }
    sink.finish()
}
