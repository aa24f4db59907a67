//! The API's date formats, and ranges of days turned into query windows.
//!
//! [`Date`] (`YYYY-MM-DD`), [`LocalDateTime`] (`YYYY-MM-DD hh:mm:ss`) and
//! [`Timestamp`] (`YYYY-MM-DDThh:mm:ss±hh:mm`) read every variant the API sends and
//! convert to and from chrono with `From` and `get()`. [`LocalOrTimestamp`] is either
//! of the last two, for the few fields the reference documents in one form and shows
//! in the other.
//!
//! A [`LocalDateTime`] carries no zone: it is wall-clock time in the organisation's
//! time zone. To place one on the timeline, resolve it with a chrono `TimeZone` (for
//! example a `chrono_tz::Tz`), which also tells you when the time is skipped or
//! repeated by a daylight-saving change:
//!
//! ```
//! use chrono::{FixedOffset, TimeZone};
//! use crewsense::time::LocalDateTime;
//!
//! let start: LocalDateTime = "2025-06-01 07:00:00".parse().unwrap();
//! let pacific = FixedOffset::west_opt(7 * 3600).unwrap();
//! let instant = pacific.from_local_datetime(&start.get()).single().unwrap();
//! assert_eq!(instant.to_rfc3339(), "2025-06-01T07:00:00-07:00");
//! ```

use std::ops::Range;

use chrono::{Datelike, Days, Months, NaiveDate};

pub use crewsense_gen::wire::{Date, LocalDateTime, LocalOrTimestamp, Timestamp};

/// A run of whole days: from [`start`](Self::start) up to, not including,
/// [`end`](Self::end).
///
/// The API's date-time windows are half-open too (`/schedule`'s `end` is exclusive),
/// so [`window`](Self::window) maps a range to them directly.
///
/// ```
/// use crewsense::time::DateRange;
///
/// let june = DateRange::month(2025, 6).unwrap();
/// assert_eq!(june.num_days(), 30);
/// let (start, end) = june.window();
/// assert_eq!(start.to_string(), "2025-06-01 00:00:00");
/// assert_eq!(end.to_string(), "2025-07-01 00:00:00");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    start: Date,
    end: Date,
}

impl DateRange {
    /// The days from `start` up to, not including, `end`; empty if `end` is not after
    /// `start`.
    pub fn new(start: Date, end: Date) -> Self {
        Self {
            start,
            end: end.max(start),
        }
    }

    /// The one day `date`.
    pub fn day(date: Date) -> Self {
        Self::days_from(date, 1)
    }

    /// Seven days, starting at `first`.
    pub fn week(first: Date) -> Self {
        Self::days_from(first, 7)
    }

    /// The calendar month `month` (1 to 12) of `year`, or `None` if there is no such
    /// month.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| Self::month_of(Date(first)))
    }

    /// The calendar month that contains `date`.
    pub fn month_of(date: Date) -> Self {
        let first = date.0.with_day(1).unwrap_or(date.0);
        let end = first
            .checked_add_months(Months::new(1))
            .unwrap_or(NaiveDate::MAX);
        Self::new(Date(first), Date(end))
    }

    /// `count` days from `start`, cut short at chrono's last representable date.
    fn days_from(start: Date, count: u64) -> Self {
        let end = start
            .0
            .checked_add_days(Days::new(count))
            .unwrap_or(NaiveDate::MAX);
        Self::new(start, Date(end))
    }

    /// The first day.
    pub fn start(&self) -> Date {
        self.start
    }

    /// The day after the last one (exclusive).
    pub fn end(&self) -> Date {
        self.end
    }

    /// How many days the range holds.
    pub fn num_days(&self) -> u64 {
        self.start
            .0
            .signed_duration_since(self.end.0)
            .num_days()
            .unsigned_abs()
    }

    /// Whether the range holds no day.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `date` is one of the range's days.
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date < self.end
    }

    /// The days, in order.
    pub fn dates(&self) -> impl Iterator<Item = Date> + use<> {
        let (start, end) = (self.start.0, self.end.0);
        start.iter_days().take_while(move |d| *d < end).map(Date)
    }

    /// The range as a query window of local date-times: midnight of the first day to
    /// midnight after the last day, end exclusive.
    pub fn window(&self) -> (LocalDateTime, LocalDateTime) {
        (
            LocalDateTime::start_of(self.start),
            LocalDateTime::start_of(self.end),
        )
    }
}

impl From<Range<Date>> for DateRange {
    fn from(range: Range<Date>) -> Self {
        Self::new(range.start, range.end)
    }
}

impl From<Date> for DateRange {
    fn from(date: Date) -> Self {
        Self::day(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn days_weeks_and_months_have_exclusive_ends() {
        let day = DateRange::day(date("2024-02-29"));
        assert_eq!(
            (day.start(), day.end(), day.num_days()),
            (date("2024-02-29"), date("2024-03-01"), 1)
        );

        let week = DateRange::week(date("2025-12-29"));
        assert_eq!(week.end(), date("2026-01-05"));
        assert_eq!(
            week.dates().map(|d| d.to_string()).last().unwrap(),
            "2026-01-04"
        );
        assert_eq!(week.dates().count(), 7);

        let feb = DateRange::month_of(date("2024-02-17"));
        assert_eq!(
            (feb.start(), feb.end(), feb.num_days()),
            (date("2024-02-01"), date("2024-03-01"), 29)
        );
        assert_eq!(
            DateRange::month(2025, 12).unwrap().end(),
            date("2026-01-01")
        );
        assert!(DateRange::month(2025, 13).is_none());
    }

    #[test]
    fn ranges_from_dates_are_half_open_and_never_negative() {
        let range = DateRange::from(date("2025-06-01")..date("2025-06-03"));
        assert!(range.contains(date("2025-06-02")));
        assert!(!range.contains(date("2025-06-03")));
        let (start, end) = range.window();
        assert_eq!(
            (start.to_string().as_str(), end.to_string().as_str()),
            ("2025-06-01 00:00:00", "2025-06-03 00:00:00")
        );

        let backwards = DateRange::from(date("2025-06-03")..date("2025-06-01"));
        assert!(backwards.is_empty());
        assert_eq!(backwards.dates().count(), 0);
        assert_eq!(
            DateRange::from(date("2025-06-03")),
            DateRange::day(date("2025-06-03"))
        );
    }

    #[test]
    fn ranges_stop_at_the_last_representable_date() {
        let last = DateRange::week(Date(NaiveDate::MAX));
        assert!(last.is_empty());
    }
}
