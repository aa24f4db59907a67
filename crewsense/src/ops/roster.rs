//! Who is on duty and how units are staffed, from the schedule around an instant or
//! a range: thin fetches over [`crate::roster`] and [`crate::staffing`].

use chrono::Days;
use crewsense_gen::types::ScheduleDay;
use crewsense_gen::wire::DateMap;

use crate::paginate::Period;
use crate::roster::{self, Roster};
use crate::staffing::{self, ShortInterval, Staffing};
use crate::time::{Date, DateRange, LocalDateTime};
use crate::{Client, Error};

impl Client {
    /// Who is on duty at `at`, a local date-time in the organisation's time, and who
    /// is away; see [`crate::roster`].
    ///
    /// Reads the schedule of the day of `at` and the day before (a 24-hour shift from
    /// 08:00 is still on the next morning), and the [`directory`](Self::directory)
    /// for the employee ids.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// let roster = client.roster_at("2025-06-03 07:30:00".parse().expect("a time")).await?;
    /// for crew in &roster.crews {
    ///     let names: Vec<_> = crew.on_duty.iter().filter_map(|d| d.person.name.as_deref()).collect();
    ///     println!("{}: {}", crew.assignment.name.as_deref().unwrap_or("?"), names.join(", "));
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn roster_at(&self, at: LocalDateTime) -> Result<Roster, Error> {
        let (schedule, directory) =
            futures::future::try_join(self.schedule(around(at)), self.directory()).await?;
        let mut roster = roster::roster_at(&schedule, at);
        roster.fill_employee_ids(&directory);
        Ok(roster)
    }

    /// How every assignment whose period covers `at` is staffed against its minimums;
    /// see [`crate::staffing`]. Reads the schedule of the day of `at` and the day
    /// before.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// let now = "2025-06-03 07:30:00".parse().expect("a time");
    /// for unit in client.staffing_at(now).await?.iter().filter(|s| s.short) {
    ///     println!("{:?} is short: {}", unit.assignment.name, unit.shortfall());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn staffing_at(&self, at: LocalDateTime) -> Result<Vec<Staffing>, Error> {
        let schedule = self.schedule(around(at)).await?;
        Ok(staffing::staffing_at(&schedule, at))
    }

    /// The stretches in which the assignment occurrences of `days` are short, and why;
    /// see [`staffing::short_intervals`]. Reads the schedule of `days` and a day on
    /// each side, a month per request.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// use crewsense::time::DateRange;
    ///
    /// let week = DateRange::week("2025-06-01".parse().expect("a date"));
    /// for short in client.staffing(week).await? {
    ///     println!("{:?} {} to {}: {}", short.assignment.name, short.from, short.to, short.missing);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn staffing(&self, days: impl Into<DateRange>) -> Result<Vec<ShortInterval>, Error> {
        let days = days.into();
        let read = DateRange::new(before(days.start()), after(days.end()));
        let schedule: DateMap<ScheduleDay> = DateMap(
            self.schedule_days(read, Period::Month)
                .collect()
                .await?
                .into_iter()
                .collect(),
        );
        Ok(staffing::short_intervals(&schedule, days))
    }
}

/// The day of `at` and the day before.
fn around(at: LocalDateTime) -> DateRange {
    let day = at.date();
    DateRange::new(before(day), after(day))
}

fn before(date: Date) -> Date {
    Date(date.0.checked_sub_days(Days::new(1)).unwrap_or(date.0))
}

fn after(date: Date) -> Date {
    Date(date.0.checked_add_days(Days::new(1)).unwrap_or(date.0))
}
