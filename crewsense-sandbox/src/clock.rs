//! The sandbox's notion of time and the API's three date formats.
//!
//! The organisation lives in a fixed UTC offset (`-07:00`, like America/Phoenix,
//! which has no daylight saving time), so local date-times and timestamps convert
//! without a time zone database. "Today" is a fixed anchor date, so that the seed
//! data and every date-dependent rule are deterministic; the sandbox clock starts
//! at the anchor and runs forward with wall time while the server is up.

use std::fmt;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Serialize, Serializer};

/// The organisation's UTC offset in seconds.
pub(crate) const ORG_OFFSET_SECS: i64 = -7 * 3600;

/// The sandbox's "now" when the server starts: 2025-06-16 09:00:00 local time.
pub(crate) fn anchor() -> NaiveDateTime {
    date(2025, 6, 16).and_time(hms(9, 0, 0))
}

/// Builds a date; panics only on an impossible literal.
pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date literal")
}

/// Builds a time of day; panics only on an impossible literal.
pub(crate) fn hms(h: u32, m: u32, s: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, s).expect("valid time literal")
}

/// A clock that starts at [`anchor`] (or another local date-time) and advances
/// with wall time.
#[derive(Debug)]
pub(crate) struct Clock {
    started: Instant,
    anchor: NaiveDateTime,
}

impl Clock {
    pub(crate) fn new() -> Self {
        Self::starting_at(anchor())
    }

    /// A clock whose "now" is `anchor` when it is made.
    pub(crate) fn starting_at(anchor: NaiveDateTime) -> Self {
        Self {
            started: Instant::now(),
            anchor,
        }
    }

    /// The current local date-time of the organisation.
    pub(crate) fn now(&self) -> NaiveDateTime {
        let elapsed = Duration::from_std(self.started.elapsed()).unwrap_or_default();
        self.anchor + elapsed
    }

    /// The current local date of the organisation.
    pub(crate) fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

/// `YYYY-MM-DD`.
pub(crate) fn fmt_date(d: NaiveDate) -> String {
    Day(d).to_string()
}

/// `YYYY-MM-DD hh:mm:ss`, the local date-time format.
pub(crate) fn fmt_local(dt: NaiveDateTime) -> String {
    Local(dt).to_string()
}

/// A date written `YYYY-MM-DD`, without an intermediate `String` when serialised
/// (the schedule writes thousands; chrono's `format` parses its pattern each time).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Day(pub(crate) NaiveDate);

/// A local date-time written `YYYY-MM-DD hh:mm:ss`, like [`Day`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Local(pub(crate) NaiveDateTime);

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }
}

impl fmt::Display for Local {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0.time();
        write!(
            f,
            "{} {:02}:{:02}:{:02}",
            Day(self.0.date()),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for Local {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// `YYYY-MM-DDThh:mm:ss-07:00`, a timestamp with the organisation's offset.
pub(crate) fn fmt_ts(dt: NaiveDateTime) -> String {
    format!("{}{}", dt.format("%Y-%m-%dT%H:%M:%S"), offset(true))
}

/// `YYYY-MM-DDThh:mm:ss-0700`, the colon-less variant some endpoints send.
pub(crate) fn fmt_ts_compact(dt: NaiveDateTime) -> String {
    format!("{}{}", dt.format("%Y-%m-%dT%H:%M:%S"), offset(false))
}

/// The Unix epoch rendered in the organisation's zone: production's "no value".
pub(crate) fn epoch_placeholder() -> String {
    fmt_ts(date(1969, 12, 31).and_time(hms(17, 0, 0)))
}

fn offset(colon: bool) -> String {
    let secs = ORG_OFFSET_SECS.abs();
    let sign = if ORG_OFFSET_SECS < 0 { '-' } else { '+' };
    let (h, m) = (secs / 3600, secs % 3600 / 60);
    if colon {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}")
    }
}

/// Parses a local date-time: `YYYY-MM-DD hh:mm[:ss]` (a `T` separator and a bare
/// date, meaning midnight, are accepted too).
pub(crate) fn parse_local(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| parse_date(s).map(|d| d.and_time(NaiveTime::MIN)))
}

/// Parses a date: `YYYY-MM-DD`, optionally followed by ` 00:00:00`.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = s.strip_suffix(" 00:00:00").unwrap_or(s);
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The hours from one local date-time to another, written as a JSON number: an
/// integer when whole, a fraction otherwise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hours(pub(crate) NaiveDateTime, pub(crate) NaiveDateTime);

/// [`Hours`] from `start` to `end`.
pub(crate) fn hours(start: NaiveDateTime, end: NaiveDateTime) -> Hours {
    Hours(start, end)
}

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let minutes = (self.1 - self.0).num_minutes();
        if minutes % 60 == 0 {
            serializer.serialize_i64(minutes / 60)
        } else {
            serializer.serialize_f64(minutes as f64 / 60.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let dt = date(2025, 6, 1).and_time(hms(8, 0, 0));
        assert_eq!(fmt_local(dt), "2025-06-01 08:00:00");
        assert_eq!(fmt_ts(dt), "2025-06-01T08:00:00-07:00");
        assert_eq!(fmt_ts_compact(dt), "2025-06-01T08:00:00-0700");
        assert_eq!(parse_local("2025-06-01 08:00:00"), Some(dt));
        assert_eq!(parse_local("2025-06-01 08:00"), Some(dt));
        assert_eq!(parse_date("2025-06-01 00:00:00"), Some(dt.date()));
        assert_eq!(epoch_placeholder(), "1969-12-31T17:00:00-07:00");
        assert_eq!(
            serde_json::json!(hours(dt, dt + Duration::minutes(90))),
            serde_json::json!(1.5)
        );
    }
}
