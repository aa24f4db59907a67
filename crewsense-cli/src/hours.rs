//! `crewsense hours`: hours worked per person and work period, and the hours over the
//! period's overtime threshold.

use crewsense::Client;
use crewsense::hours::{PeriodHours, PersonHours, Preset, WorkPeriod};
use crewsense::ids::UserId;
use crewsense::time::{Date, DateRange};
use futures::TryStreamExt;

use crate::args::Range;
use crate::failure::Failure;
use crate::output::{Output, Sink, row};
use crate::progress;
use crate::rows::{self, EmployeeIds};
use crate::tasks::stdout;

/// `hours`' arguments.
#[derive(Debug, clap::Args)]
pub struct HoursArgs {
    /// The days.
    #[command(flatten)]
    pub range: Range,
    /// A preset work period as days/hours: 28/212 (fire protection, FLSA 7(k)),
    /// 7/53, or 7/40 (day staff) [default: 28/212].
    #[arg(long, value_name = "DAYS/HOURS", conflicts_with_all = ["period_days", "threshold"])]
    pub period: Option<Preset>,
    /// A work period of this many days (with --threshold).
    #[arg(long, value_name = "N", requires = "threshold")]
    pub period_days: Option<u32>,
    /// The overtime threshold of --period-days, in hours.
    #[arg(long, value_name = "H", requires = "period_days")]
    pub threshold: Option<f64>,
    /// A day a work period starts on [default: --from].
    #[arg(long, value_name = "DATE")]
    pub anchor: Option<Date>,
    /// Only this user's rows (the user id).
    #[arg(long, value_name = "ID")]
    pub user: Option<u64>,
}

row! {
    /// One person in one work period. `period_end` is the day after the period's
    /// last day, as `--to`.
    pub struct HoursRow {
        pub user_id: u64,
        pub name: Option<String>,
        pub employee_id: Option<String>,
        pub period_start: String,
        pub period_end: String,
        pub hours: f64,
        pub over_threshold: Option<f64>,
        pub partial: bool,
        pub time_off_hours: f64,
        pub time_off: String,
    }
}

impl HoursRow {
    fn of(period: &PeriodHours, person: &PersonHours, employees: &EmployeeIds) -> Self {
        let user_id = person.user.get().get();
        HoursRow {
            user_id,
            name: person.name.clone(),
            employee_id: employees.get(&user_id).cloned(),
            period_start: period.period.start().to_string(),
            period_end: period.period.end().to_string(),
            hours: person.hours,
            over_threshold: person.over_threshold,
            partial: period.partial,
            time_off_hours: person.time_off_hours(),
            time_off: person
                .time_off
                .iter()
                .map(|t| format!("{} {}", t.name.as_deref().unwrap_or("?"), t.hours))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// The work period that `args` ask for, anchored on `--anchor` or the range's start.
fn work_period(args: &HoursArgs, range: DateRange) -> Result<WorkPeriod, Failure> {
    let anchor = args.anchor.unwrap_or(range.start());
    match (args.period_days, args.threshold) {
        (Some(days), Some(threshold)) => {
            WorkPeriod::new(days, anchor, threshold).map_err(|e| Failure::usage(e.to_string()))
        }
        _ => Ok(args.period.unwrap_or(Preset::Fire28Days).anchored(anchor)),
    }
}

/// `crewsense hours`: one row per person and work period, written period by period.
pub async fn run(
    client: &Client,
    args: &HoursArgs,
    range: DateRange,
    output: &Output,
) -> Result<(), Failure> {
    let period = work_period(args, range)?;
    let employees = rows::employee_ids(&client.users().await?);
    let mine = |person: &&PersonHours| args.user.is_none_or(|u| person.user == UserId::new(u));
    let mut sink = Sink::new::<HoursRow>(stdout(), output)?;
    let bar = progress::pages(u64::try_from(period.periods(range).count()).ok());
    let mut periods = client.hours(range, period);
    while let Some(period) = periods.try_next().await? {
        for person in period.people.iter().filter(mine) {
            sink.push(&HoursRow::of(&period, person, &employees))?;
        }
        sink.flush()?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    sink.finish()
}
