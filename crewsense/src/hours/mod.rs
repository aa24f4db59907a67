//! Hours worked per person and work period, and the hours over the period's
//! overtime threshold: what payroll computes for fire departments under the US FLSA
//! section 7(k) (212 hours in 28 days, 53 in 7) and for day staff (40 in 7).
//!
//! [`Client::hours`] reads the schedule of a range through the paging stream and
//! hands out one [`PeriodHours`] per work period that overlaps the range, as soon
//! as the days that can change it have been read: memory holds the pages in flight
//! and the periods still open, whatever the length of the range. [`Tally`] is the
//! same computation as a pure fold over decoded days.
//!
//! What counts, for each shift and each window (the days of a period inside the
//! range): `overlap([start, end), window) - overlap([break_start, break_end), window)`.
//! So a shift that crosses a period boundary is split where it crosses, a break counts
//! nowhere, and a shift that started the day before the range (a 24-hour shift from
//! 08:00) counts for its part inside it. Time off counts the same way, per type,
//! apart from time worked. A person appears in the periods they have a shift in.
//!
//! ```no_run
//! # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
//! use crewsense::hours::Preset;
//! use crewsense::time::{Date, DateRange};
//! use futures::TryStreamExt;
//!
//! let start: Date = "2025-01-05".parse().expect("a date");
//! let year = DateRange::from(start.."2026-01-04".parse().expect("a date"));
//! let mut periods = client.hours(year, Preset::Fire28Days.anchored(start));
//! while let Some(period) = periods.try_next().await? {
//!     for person in &period.people {
//!         if let Some(over) = person.over_threshold.filter(|h| *h > 0.0) {
//!             println!("{} {:?}: {over} h over", period.period.start(), person.name);
//!         }
//!     }
//! }
//! # Ok(()) }
//! ```

mod period;
mod tally;

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, Stream, StreamExt};

use crate::paginate::{Items, Period};
use crate::time::{Date, DateRange};
use crate::types::ScheduleDay;
use crate::{Client, Error};

pub use period::{MAX_PERIOD_DAYS, Preset, WorkPeriod, WorkPeriodError};
pub use tally::{PeriodHours, PersonHours, Tally, TimeOffHours};

impl Client {
    /// The hours worked in `range` per person and work period of `period`, one
    /// [`PeriodHours`] per period that shares a day with `range`, in order.
    ///
    /// The schedule is read from the day before `range` (for the shifts that start
    /// there and reach into it) one week per request, up to
    /// [`CONCURRENCY`](crate::defaults::CONCURRENCY) weeks at once
    /// ([`Client::schedule_days`]); each day is counted and dropped as it comes, and
    /// each period comes out as soon as it is complete. Weeks rather than months keep
    /// what is in flight to about a month of schedule, so a year needs little more
    /// memory than a month (see `BENCHMARKS.md`). A period that the range cuts
    /// is [`partial`](PeriodHours::partial), without overtime. The stream ends after
    /// the last period, or with the first error.
    pub fn hours(&self, range: impl Into<DateRange>, period: WorkPeriod) -> Hours {
        let range = range.into();
        let tally = Tally::new(range, period);
        if range.is_empty() {
            return Hours(Box::pin(stream::iter(tally.finish().into_iter().map(Ok))));
        }
        let read = DateRange::new(period::day_before(range.start()), range.end());
        let state = Reading {
            days: self.schedule_days(read, Period::Week).items(),
            tally: Some(tally),
            ready: VecDeque::new(),
        };
        Hours(Box::pin(stream::unfold(state, Reading::next_period)))
    }
}

/// The stream of [`Client::hours`]: one [`PeriodHours`] per work period.
pub struct Hours(Pin<Box<dyn Stream<Item = Result<PeriodHours, Error>> + Send>>);

impl Stream for Hours {
    type Item = Result<PeriodHours, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hours")
    }
}

/// The days being read and the periods they complete.
struct Reading {
    days: Items<(Date, ScheduleDay)>,
    /// `None` once the days have ended (or failed).
    tally: Option<Tally>,
    ready: VecDeque<PeriodHours>,
}

impl Reading {
    async fn next_period(mut self) -> Option<(Result<PeriodHours, Error>, Self)> {
        loop {
            if let Some(period) = self.ready.pop_front() {
                return Some((Ok(period), self));
            }
            let tally = self.tally.as_mut()?;
            match self.days.next().await {
                Some(Ok((date, day))) => self.ready.extend(tally.add_day(date, &day)),
                Some(Err(error)) => {
                    self.tally = None;
                    return Some((Err(error), self));
                }
                None => {
                    let done = self.tally.take().map(Tally::finish).unwrap_or_default();
                    self.ready.extend(done);
                }
            }
        }
    }
}
