//! What changed in the schedule since the last look, for syncs into other systems
//! (HR, a payroll bureau, a staffing dashboard's database).
//!
//! [`Client::schedule_changes`] watches a [`Window`] of days. The first look reads
//! it: that is the baseline. Each later look asks again with the validators of the
//! last answer ([`crate::poll`]) and learns "unchanged" from a `304` at the cost of
//! no body; otherwise it compares the new answer with the previous one, day by day
//! ([`diff_day`]), and reports the shifts added, removed and changed and the time
//! off added and removed as a [`ChangeSet`]. A server that sends no validators is
//! read in full at every look and compared, which the change set says once
//! ([`ChangeSet::without_validators`]).
//!
//! The window is read one calendar month per request, each with its own
//! validators, so a long window re-reads only the months that changed. A
//! [sliding](Window::sliding) window (`today .. today + 14 days`) keeps working
//! across midnight: the days that leave it are no longer compared, and the days that
//! enter it come with everything on them as added.
//!
//! ```no_run
//! # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
//! use std::time::Duration;
//!
//! use crewsense::changes::{ShiftChange, Window};
//! use crewsense::time::Date;
//! use futures::TryStreamExt;
//!
//! let today = || Date(chrono::Local::now().date_naive());
//! let mut changes = client
//!     .schedule_changes(Window::sliding(14, today))
//!     .every(Duration::from_secs(60))
//!     .stream();
//! while let Some(set) = changes.try_next().await? {
//!     for day in &set.days {
//!         for change in &day.shifts {
//!             if let ShiftChange::Added(added) = change {
//!                 println!("{}: shift {:?} added", day.date, added.shift.id);
//!             }
//!         }
//!     }
//! }
//! # Ok(()) }
//! ```

mod diff;

use std::collections::BTreeMap;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::try_join_all;
use futures::stream::{self, Stream};

use crate::paginate::{Period, periods};
use crate::poll::{Polled, Validator};
use crate::time::{Date, DateRange};
use crate::types::ScheduleDay;
use crate::{Client, Error};

pub use diff::{DayChanges, PlacedShift, ShiftChange, ShiftField, TimeOffChange, diff_day};

/// How long a [`ScheduleChanges`] stream waits between two looks, unless set.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(60);

/// The days a [`ScheduleChanges`] watches: a fixed range, or the days from today on.
#[derive(Clone)]
pub struct Window(Kind);

#[derive(Clone)]
enum Kind {
    Fixed(DateRange),
    Sliding {
        days: u32,
        today: Arc<dyn Fn() -> Date + Send + Sync>,
    },
}

impl Window {
    /// Always the days of `range`.
    pub fn fixed(range: DateRange) -> Self {
        Window(Kind::Fixed(range))
    }

    /// The `days` days from `today()` on, as `today()` says at each look.
    ///
    /// Local dates are in the organisation's time zone, so `today` is the caller's:
    /// `chrono::Local`'s date where the machine runs in that zone, or the date in
    /// the organisation's IANA zone with `chrono-tz`.
    pub fn sliding(days: u32, today: impl Fn() -> Date + Send + Sync + 'static) -> Self {
        Window(Kind::Sliding {
            days,
            today: Arc::new(today),
        })
    }

    /// The days the window holds now.
    pub fn now(&self) -> DateRange {
        match &self.0 {
            Kind::Fixed(range) => *range,
            Kind::Sliding { days, today } => {
                let first = today();
                let end = first
                    .0
                    .checked_add_days(chrono::Days::new(u64::from(*days)))
                    .unwrap_or(chrono::NaiveDate::MAX);
                DateRange::new(first, Date(end))
            }
        }
    }
}

impl From<DateRange> for Window {
    fn from(range: DateRange) -> Self {
        Window::fixed(range)
    }
}

impl fmt::Debug for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Fixed(range) => f.debug_tuple("Fixed").field(range).finish(),
            Kind::Sliding { days, .. } => f.debug_struct("Sliding").field("days", days).finish(),
        }
    }
}

/// What one look found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChangeSet {
    /// The days this look covered.
    pub window: DateRange,
    /// Whether this is the first look: everything on the window is in it as added.
    pub baseline: bool,
    /// The days with changes, in date order.
    pub days: Vec<DayChanges>,
    /// The days that entered the window since the last look (all of them for the
    /// baseline); whatever is on them is in `days` as added.
    pub entered: Vec<Date>,
    /// The days that left the window since the last look; what is on them is no
    /// longer compared, and is not reported as removed.
    pub left: Vec<Date>,
    /// Whether the server has just been seen answering without validators: from
    /// now on each look reads the window in full and compares it. Said once.
    pub without_validators: bool,
}

impl ChangeSet {
    /// Whether the look found nothing to report: no change, no day in or out of
    /// the window, nothing said.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
            && self.entered.is_empty()
            && self.left.is_empty()
            && !self.without_validators
    }
}

/// The schedule as the last look saw it.
#[derive(Debug)]
struct Seen {
    window: DateRange,
    /// Each month of the window with the validators of its answer.
    months: Vec<(DateRange, Validator)>,
    days: BTreeMap<Date, ScheduleDay>,
}

/// A watch on the schedule of a [`Window`], from [`Client::schedule_changes`]:
/// [`look`](Self::look) once, or turn it into a [`stream`](Self::stream) that looks
/// every [`every`](Self::every).
pub struct ScheduleChanges {
    client: Client,
    window: Window,
    every: Duration,
    seen: Option<Seen>,
    /// Whether a look has said that the server sends no validators.
    said_without_validators: bool,
}

impl Client {
    /// A watch on the schedule of `window` (a [`DateRange`] or a [`Window`]); see
    /// [`crate::changes`].
    pub fn schedule_changes(&self, window: impl Into<Window>) -> ScheduleChanges {
        ScheduleChanges {
            client: self.clone(),
            window: window.into(),
            every: DEFAULT_EVERY,
            seen: None,
            said_without_validators: false,
        }
    }
}

impl ScheduleChanges {
    /// How long the [`stream`](Self::stream) waits after a look before the next one
    /// (default [`DEFAULT_EVERY`]).
    pub fn every(mut self, interval: Duration) -> Self {
        self.every = interval;
        self
    }

    /// Looks now: the baseline the first time, then what changed since the last
    /// look (possibly nothing: see [`ChangeSet::is_empty`]). After an error the
    /// watch is as it was, and the next look compares with the same last answer.
    pub async fn look(&mut self) -> Result<ChangeSet, Error> {
        let window = self.window.now();
        let months: Vec<DateRange> = periods(window, Period::Month)
            .filter(|m| !m.is_empty())
            .collect();
        let answers = try_join_all(months.iter().map(|month| {
            let sent = self
                .seen
                .as_ref()
                .and_then(|seen| seen.months.iter().find(|(m, _)| m == month))
                .map(|(_, validator)| validator.clone())
                .unwrap_or_default();
            let client = &self.client;
            async move {
                let polled = client.schedule_if_changed(*month, &sent).await?;
                Ok::<_, Error>((*month, sent, polled))
            }
        }))
        .await?;

        let previous = self.seen_window();
        let mut before = self
            .seen
            .take()
            .map_or_else(BTreeMap::new, |seen| seen.days);
        let mut set = ChangeSet {
            window,
            baseline: previous.is_none(),
            days: Vec::new(),
            entered: window
                .dates()
                .filter(|d| !previous.is_some_and(|p| p.contains(*d)))
                .collect(),
            left: previous
                .iter()
                .flat_map(DateRange::dates)
                .filter(|d| !window.contains(*d))
                .collect(),
            without_validators: false,
        };
        let mut now = BTreeMap::new();
        let mut validators = Vec::with_capacity(answers.len());
        let empty = ScheduleDay::default();
        for (month, sent, polled) in answers {
            match polled {
                Polled::Unchanged => {
                    // The same answer as last time: the same days, nothing to compare.
                    let rest = before.split_off(&month.end());
                    now.append(&mut before.split_off(&month.start()));
                    before.extend(rest);
                    validators.push((month, sent));
                }
                Polled::Changed { value, validator } => {
                    if validator.is_empty() && !self.said_without_validators {
                        self.said_without_validators = true;
                        set.without_validators = true;
                        tracing::warn!(
                            "the server sends no validators for /schedule: each look reads the window in full and compares it"
                        );
                    }
                    let mut days: BTreeMap<Date, ScheduleDay> = value
                        .into_iter()
                        .filter(|(date, _)| month.contains(*date))
                        .collect();
                    for date in month.dates() {
                        let was = before.get(&date).unwrap_or(&empty);
                        let is = days.entry(date).or_default();
                        let changes = diff_day(date, was, is);
                        if !changes.is_empty() {
                            set.days.push(changes);
                        }
                    }
                    now.append(&mut days);
                    validators.push((month, validator));
                }
            }
        }
        set.days.sort_by_key(|d| d.date);
        self.seen = Some(Seen {
            window,
            months: validators,
            days: now,
        });
        Ok(set)
    }

    fn seen_window(&self) -> Option<DateRange> {
        self.seen.as_ref().map(|s| s.window)
    }

    /// The change sets: the baseline at once, then, every [`every`](Self::every),
    /// each look that found something ([`ChangeSet::is_empty`] is false). An error
    /// is yielded and the looks go on; drop the stream to stop.
    pub fn stream(self) -> Changes {
        let looks = stream::unfold((self, true), |(mut watch, first)| async move {
            let mut wait = !first;
            loop {
                if wait {
                    tokio::time::sleep(watch.every).await;
                }
                wait = true;
                match watch.look().await {
                    Ok(set) if set.is_empty() => continue,
                    result => return Some((result, (watch, false))),
                }
            }
        });
        Changes(Box::pin(looks))
    }
}

impl fmt::Debug for ScheduleChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScheduleChanges")
            .field("window", &self.window)
            .field("every", &self.every)
            .field("seen", &self.seen_window())
            .finish_non_exhaustive()
    }
}

/// The stream of [`ScheduleChanges::stream`].
pub struct Changes(Pin<Box<dyn Stream<Item = Result<ChangeSet, Error>> + Send>>);

impl Stream for Changes {
    type Item = Result<ChangeSet, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Changes")
    }
}
