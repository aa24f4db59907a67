//! Work periods: runs of days, each with the hours above which time worked is
//! overtime.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use chrono::{Days, NaiveDate, TimeDelta};

use crate::time::{Date, DateRange};

/// The longest work period, in days: a year.
pub const MAX_PERIOD_DAYS: u32 = 366;

/// The work periods departments use most, named `days/hours` as payroll people say
/// them (`"28/212"`).
///
/// ```
/// use crewsense::hours::Preset;
///
/// let preset: Preset = "7/53".parse().unwrap();
/// assert_eq!(preset, Preset::Fire7Days);
/// assert_eq!((preset.days(), preset.threshold_hours()), (7, 53.0));
/// assert_eq!(Preset::Fire28Days.to_string(), "28/212");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Preset {
    /// 28 days, overtime above 212 hours: fire protection under the US FLSA
    /// section 7(k).
    Fire28Days,
    /// 7 days, overtime above 53 hours: section 7(k) scaled to one week.
    Fire7Days,
    /// 7 days, overtime above 40 hours: the standard week of day staff.
    FortyHourWeek,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 3] = [Preset::Fire28Days, Preset::Fire7Days, Preset::FortyHourWeek];

    /// The period's length in days.
    pub fn days(self) -> u32 {
        match self {
            Preset::Fire28Days => 28,
            Preset::Fire7Days | Preset::FortyHourWeek => 7,
        }
    }

    /// The hours above which time worked in a period is overtime.
    pub fn threshold_hours(self) -> f64 {
        match self {
            Preset::Fire28Days => 212.0,
            Preset::Fire7Days => 53.0,
            Preset::FortyHourWeek => 40.0,
        }
    }

    /// The periods of this preset that start on `anchor` (and every `days()` days
    /// before and after it).
    pub fn anchored(self, anchor: Date) -> WorkPeriod {
        WorkPeriod {
            days: self.days(),
            anchor,
            threshold_hours: self.threshold_hours(),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.days(), self.threshold_hours())
    }
}

impl FromStr for Preset {
    type Err = WorkPeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Preset::ALL
            .into_iter()
            .find(|p| p.to_string() == s.trim())
            .ok_or_else(|| WorkPeriodError::UnknownPreset(s.chars().take(32).collect()))
    }
}

/// Why a work period cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkPeriodError {
    /// The length is not 1 to [`MAX_PERIOD_DAYS`] days.
    #[error("a work period lasts 1 to {MAX_PERIOD_DAYS} days, not {0}")]
    Days(u32),
    /// The threshold is negative or not a number.
    #[error("an overtime threshold is a number of hours of 0 or more, not {0}")]
    Threshold(f64),
    /// The text names no [`Preset`].
    #[error("`{0}` is not a work period preset (28/212, 7/53 or 7/40)")]
    UnknownPreset(String),
}

/// Work periods of `days` days, one of which starts on `anchor`, with overtime above
/// `threshold_hours` in each.
///
/// The periods tile the calendar: every date belongs to exactly one, also dates
/// before the anchor.
///
/// ```
/// use crewsense::hours::WorkPeriod;
/// use crewsense::time::Date;
///
/// let anchor: Date = "2025-01-05".parse().unwrap();
/// let fortnight = WorkPeriod::new(14, anchor, 86.0).unwrap();
/// let period = fortnight.containing("2025-01-02".parse().unwrap()).unwrap();
/// assert_eq!(period.start().to_string(), "2024-12-22");
/// assert_eq!(period.end(), anchor);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkPeriod {
    days: u32,
    anchor: Date,
    threshold_hours: f64,
}

impl WorkPeriod {
    /// Periods of `days` days (1 to [`MAX_PERIOD_DAYS`]) starting on `anchor`, with
    /// overtime above `threshold_hours` (0 or more).
    pub fn new(days: u32, anchor: Date, threshold_hours: f64) -> Result<Self, WorkPeriodError> {
        if !(1..=MAX_PERIOD_DAYS).contains(&days) {
            return Err(WorkPeriodError::Days(days));
        }
        if !(threshold_hours.is_finite() && threshold_hours >= 0.0) {
            return Err(WorkPeriodError::Threshold(threshold_hours));
        }
        Ok(Self {
            days,
            anchor,
            threshold_hours,
        })
    }

    /// The length of each period, in days.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// The date one of the periods starts on.
    pub fn anchor(&self) -> Date {
        self.anchor
    }

    /// The hours above which time worked in a period is overtime.
    pub fn threshold_hours(&self) -> f64 {
        self.threshold_hours
    }

    /// The period that holds `date`, or `None` if it would reach past the dates
    /// chrono can represent.
    pub fn containing(&self, date: Date) -> Option<DateRange> {
        self.nth(self.index_of(date))
    }

    /// The periods that share at least one day with `range`, in order.
    pub fn periods(&self, range: DateRange) -> impl Iterator<Item = DateRange> + use<> {
        let this = *self;
        self.indices(range)
            .into_iter()
            .flatten()
            .filter_map(move |i| this.nth(i))
    }

    /// The indices of the periods that share a day with `range` (the period that
    /// starts on the anchor is 0); `None` for an empty range.
    pub(super) fn indices(&self, range: DateRange) -> Option<RangeInclusive<i64>> {
        let last = range.end().0.pred_opt().filter(|_| !range.is_empty())?;
        Some(self.index_of(range.start())..=self.index_of(Date(last)))
    }

    /// The index of the period that holds `date`.
    pub(super) fn index_of(&self, date: Date) -> i64 {
        // Dates span less than 2^40 days, so this neither overflows nor divides by 0.
        let since = date.0.signed_duration_since(self.anchor.0).num_days();
        since.div_euclid(i64::from(self.days.max(1)))
    }

    /// Period `index`, or `None` past chrono's dates.
    pub(super) fn nth(&self, index: i64) -> Option<DateRange> {
        let offset = index.checked_mul(i64::from(self.days))?;
        let start = self
            .anchor
            .0
            .checked_add_signed(TimeDelta::try_days(offset)?)?;
        let end = start.checked_add_days(Days::new(u64::from(self.days)))?;
        Some(DateRange::new(Date(start), Date(end)))
    }
}

/// The day before `date` (itself at chrono's first date).
pub(super) fn day_before(date: Date) -> Date {
    Date(date.0.pred_opt().unwrap_or(NaiveDate::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn periods_tile_the_calendar_before_and_after_the_anchor() {
        let weeks = Preset::FortyHourWeek.anchored(date("2025-06-02"));
        let before = weeks.containing(date("2025-06-01")).unwrap();
        assert_eq!(
            (before.start(), before.end()),
            (date("2025-05-26"), date("2025-06-02"))
        );
        let on = weeks.containing(date("2025-06-02")).unwrap();
        assert_eq!(on.start(), date("2025-06-02"));
        let range = DateRange::new(date("2025-06-01"), date("2025-06-10"));
        let all: Vec<_> = weeks.periods(range).map(|p| p.start()).collect();
        assert_eq!(
            all,
            [date("2025-05-26"), date("2025-06-02"), date("2025-06-09")]
        );
        assert_eq!(
            weeks
                .periods(DateRange::new(range.end(), range.end()))
                .count(),
            0
        );
    }

    #[test]
    fn presets_read_and_write_as_days_over_hours() {
        for preset in Preset::ALL {
            assert_eq!(preset.to_string().parse::<Preset>(), Ok(preset));
        }
        assert_eq!(Preset::FortyHourWeek.to_string(), "7/40");
        assert!(matches!(
            "14/86".parse::<Preset>(),
            Err(WorkPeriodError::UnknownPreset(_))
        ));
    }

    #[test]
    fn lengths_and_thresholds_out_of_bounds_are_refused() {
        let anchor = date("2025-01-01");
        assert_eq!(
            WorkPeriod::new(0, anchor, 40.0),
            Err(WorkPeriodError::Days(0))
        );
        assert_eq!(
            WorkPeriod::new(367, anchor, 40.0),
            Err(WorkPeriodError::Days(367))
        );
        assert!(WorkPeriod::new(7, anchor, f64::NAN).is_err());
        assert!(WorkPeriod::new(7, anchor, -1.0).is_err());
        assert!(WorkPeriod::new(366, anchor, 0.0).is_ok());
    }

    #[test]
    fn periods_at_the_ends_of_the_calendar_are_none_not_a_panic() {
        let far = WorkPeriod::new(366, Date(NaiveDate::MIN), 1.0).unwrap();
        assert!(far.containing(Date(NaiveDate::MAX)).is_none());
        assert_eq!(day_before(Date(NaiveDate::MIN)), Date(NaiveDate::MIN));
    }
}
