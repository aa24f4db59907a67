//! The API's three date formats: dates, zone-less local date-times and timestamps,
//! and the date-times the API may send in either of the last two.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{ParseError, newtype_from};

/// A calendar date, `YYYY-MM-DD`.
///
/// Also read from `YYYY-MM-DD 00:00:00`, which some endpoints send for a date field.
///
/// ```
/// use crewsense_gen::wire::Date;
/// let d: Date = "2025-06-01 00:00:00".parse().unwrap();
/// assert_eq!(d.to_string(), "2025-06-01");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

/// A date and time without a zone, `YYYY-MM-DD hh:mm:ss`, meaning the organisation's
/// local time.
///
/// ```
/// use crewsense_gen::wire::LocalDateTime;
/// let t: LocalDateTime = "2015-03-15 19:33:59".parse().unwrap();
/// assert_eq!(t.to_string(), "2015-03-15 19:33:59");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime(pub NaiveDateTime);

/// An instant with its UTC offset, `YYYY-MM-DDThh:mm:ss±hh:mm` (`±hhmm` and `Z` are
/// read too).
///
/// The API renders "no value" as the Unix epoch in the organisation's zone
/// (`1969-12-31T16:00:00-08:00`); [`Timestamp::value`] reads that as `None`.
///
/// ```
/// use crewsense_gen::wire::Timestamp;
/// let t: Timestamp = "2015-03-21T19:45:33-0600".parse().unwrap();
/// assert_eq!(t.to_string(), "2015-03-21T19:45:33-06:00");
/// let unset: Timestamp = "1969-12-31T16:00:00-08:00".parse().unwrap();
/// assert!(unset.value().is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp(pub DateTime<FixedOffset>);

/// A date and time sent either way: local (`YYYY-MM-DD hh:mm:ss`, as
/// [`LocalDateTime`]) or with its offset (`YYYY-MM-DDThh:mm:ss±hh:mm`, as
/// [`Timestamp`]). It encodes in the form it was read in.
///
/// The reference contradicts itself on a few fields (callback contact and response
/// times, some creation dates): its conventions give them the offset form, its
/// examples the local one.
///
/// ```
/// use crewsense_gen::wire::LocalOrTimestamp;
/// let local: LocalOrTimestamp = "2016-11-22 12:52:21".parse().unwrap();
/// let offset: LocalOrTimestamp = "2016-11-22T12:52:21-08:00".parse().unwrap();
/// assert_eq!(local.local(), offset.local());
/// assert!(local.instant().is_none());
/// assert_eq!(offset.to_string(), "2016-11-22T12:52:21-08:00");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LocalOrTimestamp {
    /// Sent without a zone: the organisation's local time.
    Local(LocalDateTime),
    /// Sent with its UTC offset.
    Timestamp(Timestamp),
}

const DATE: &str = "%Y-%m-%d";
const LOCAL: &str = "%Y-%m-%d %H:%M:%S";

impl Date {
    /// The date as a chrono value.
    pub fn get(self) -> NaiveDate {
        self.0
    }
}

impl LocalDateTime {
    /// The date and time as a chrono value.
    pub fn get(self) -> NaiveDateTime {
        self.0
    }

    /// Midnight at the start of `date`.
    pub fn start_of(date: Date) -> Self {
        Self(date.0.and_time(NaiveTime::MIN))
    }

    /// The calendar date of this date-time.
    pub fn date(self) -> Date {
        Date(self.0.date())
    }
}

impl Timestamp {
    /// The instant, or `None` when the API sent its "no value" placeholder (the Unix epoch).
    pub fn value(self) -> Option<DateTime<FixedOffset>> {
        (self.0.timestamp() != 0).then_some(self.0)
    }

    /// Whether this is the API's "no value" placeholder (the Unix epoch).
    pub fn is_unset(self) -> bool {
        self.value().is_none()
    }
}

impl LocalOrTimestamp {
    /// The date and time on the organisation's clock, as sent (an offset is dropped).
    pub fn local(self) -> NaiveDateTime {
        match self {
            Self::Local(t) => t.0,
            Self::Timestamp(t) => t.0.naive_local(),
        }
    }

    /// The instant, when it was sent with an offset (and is not the API's "no value"
    /// placeholder, see [`Timestamp::value`]).
    pub fn instant(self) -> Option<DateTime<FixedOffset>> {
        match self {
            Self::Local(_) => None,
            Self::Timestamp(t) => t.value(),
        }
    }
}

impl From<LocalDateTime> for LocalOrTimestamp {
    fn from(value: LocalDateTime) -> Self {
        Self::Local(value)
    }
}

impl From<Timestamp> for LocalOrTimestamp {
    fn from(value: Timestamp) -> Self {
        Self::Timestamp(value)
    }
}

newtype_from!(Date, NaiveDate);
newtype_from!(LocalDateTime, NaiveDateTime);
newtype_from!(Timestamp, DateTime<FixedOffset>);

// Fast paths for the exact forms the API sends on every record. chrono's
// `parse_from_str` interprets its format string on every call, which made date parsing
// about a fifth of decoding a `/schedule` answer (see BENCHMARKS.md). These read only
// `YYYY-MM-DD` and `YYYY-MM-DD hh:mm:ss` with every digit present and return `None`
// for anything else (other widths, a leap second, an invalid day), which then goes to
// chrono as before: what is accepted, and what it reads as, is unchanged.

/// Two or four ASCII digits as a number.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Exactly `YYYY-MM-DD`.
fn canonical_date(b: &[u8]) -> Option<NaiveDate> {
    match b {
        [y @ .., b'-', m1, m2, b'-', d1, d2] if y.len() == 4 => NaiveDate::from_ymd_opt(
            i32::try_from(digits(y)?).ok()?,
            digits(&[*m1, *m2])?,
            digits(&[*d1, *d2])?,
        ),
        _ => None,
    }
}

/// Exactly `YYYY-MM-DD hh:mm:ss`.
fn canonical_local(b: &[u8]) -> Option<NaiveDateTime> {
    match b {
        [date @ .., b' ', h1, h2, b':', m1, m2, b':', s1, s2] if date.len() == 10 => {
            let time = NaiveTime::from_hms_opt(
                digits(&[*h1, *h2])?,
                digits(&[*m1, *m2])?,
                digits(&[*s1, *s2])?,
            )?;
            Some(canonical_date(date)?.and_time(time))
        }
        _ => None,
    }
}

impl FromStr for Date {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let day = s.strip_suffix(" 00:00:00").unwrap_or(s);
        if let Some(date) = canonical_date(day.as_bytes()) {
            return Ok(Date(date));
        }
        NaiveDate::parse_from_str(day, DATE)
            .map(Date)
            .map_err(|_| ParseError::new("a date YYYY-MM-DD", s))
    }
}

impl FromStr for LocalDateTime {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(t) = canonical_local(s.as_bytes()) {
            return Ok(LocalDateTime(t));
        }
        NaiveDateTime::parse_from_str(s, LOCAL)
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
            .map(LocalDateTime)
            .map_err(|_| ParseError::new("a local date-time YYYY-MM-DD hh:mm:ss", s))
    }
}

impl FromStr for Timestamp {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // `%z` reads both `-06:00` and `-0600`; RFC 3339 adds `Z`.
        DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z")
            .or_else(|_| DateTime::parse_from_rfc3339(s))
            .map(Timestamp)
            .map_err(|_| ParseError::new("a timestamp YYYY-MM-DDThh:mm:ss±hh:mm", s))
    }
}

impl FromStr for LocalOrTimestamp {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // No text reads as both: a space or a `T` follows the date.
        s.parse()
            .map(Self::Local)
            .or_else(|_| s.parse().map(Self::Timestamp))
            .map_err(|_| {
                ParseError::new(
                    "a date-time YYYY-MM-DD hh:mm:ss or YYYY-MM-DDThh:mm:ss±hh:mm",
                    s,
                )
            })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.format(DATE), f)
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.format(LOCAL), f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.format("%Y-%m-%dT%H:%M:%S%:z"), f)
    }
}

impl fmt::Display for LocalOrTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local(t) => fmt::Display::fmt(t, f),
            Self::Timestamp(t) => fmt::Display::fmt(t, f),
        }
    }
}

/// Reads any `FromStr` type from a JSON string.
struct StrVisitor<T>(&'static str, std::marker::PhantomData<T>);

impl<T: FromStr<Err = ParseError>> Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }
}

macro_rules! text_serde {
    ($ty:ident, $what:literal) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(StrVisitor($what, std::marker::PhantomData))
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    };
}

text_serde!(Date, "a date string YYYY-MM-DD");
text_serde!(
    LocalDateTime,
    "a local date-time string YYYY-MM-DD hh:mm:ss"
);
text_serde!(Timestamp, "a timestamp string YYYY-MM-DDThh:mm:ss±hh:mm");
text_serde!(
    LocalOrTimestamp,
    "a date-time string YYYY-MM-DD hh:mm:ss or YYYY-MM-DDThh:mm:ss±hh:mm"
);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn dates_accept_a_midnight_time_part() {
        let plain: Date = serde_json::from_str("\"2025-06-01\"").unwrap();
        let timed: Date = serde_json::from_str("\"2025-06-01 00:00:00\"").unwrap();
        assert_eq!(plain, timed);
        assert!("2025-06-01 08:00:00".parse::<Date>().is_err());
        assert!("2025-13-01".parse::<Date>().is_err());
        assert!(serde_json::from_str::<Date>("20250601").is_err());
    }

    #[test]
    fn local_date_times_round_trip_in_24_hour_form() {
        let t: LocalDateTime = "2015-03-15 19:33:59".parse().unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2015-03-15 19:33:59\""
        );
        let short: LocalDateTime = "2015-03-15 07:00".parse().unwrap();
        assert_eq!(short.to_string(), "2015-03-15 07:00:00");
        assert!("2015-03-15T19:33:59".parse::<LocalDateTime>().is_err());
    }

    #[test]
    fn timestamps_accept_offsets_with_and_without_colon() {
        let a: Timestamp = "2015-03-21T19:45:33-06:00".parse().unwrap();
        let b: Timestamp = "2015-03-21T19:45:33-0600".parse().unwrap();
        let z: Timestamp = "2015-03-22T01:45:33Z".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.0, z.0);
        assert_eq!(a.to_string(), "2015-03-21T19:45:33-06:00");
        assert!("2015-03-21 19:45:33".parse::<Timestamp>().is_err());
    }

    #[test]
    fn a_local_or_timestamp_reads_both_forms_and_keeps_the_one_it_read() {
        let local: LocalOrTimestamp = serde_json::from_str("\"2016-11-22 12:52:21\"").unwrap();
        let offset: LocalOrTimestamp =
            serde_json::from_str("\"2016-11-22T12:52:21-0800\"").unwrap();
        assert_eq!(
            local,
            LocalOrTimestamp::Local("2016-11-22 12:52:21".parse().unwrap())
        );
        assert_eq!(local.local(), offset.local());
        assert_eq!(local.instant(), None);
        assert_eq!(offset.instant().map(|t| t.timestamp()), Some(1_479_847_941));
        assert_eq!(
            serde_json::to_string(&local).unwrap(),
            "\"2016-11-22 12:52:21\""
        );
        assert_eq!(
            serde_json::to_string(&offset).unwrap(),
            "\"2016-11-22T12:52:21-08:00\""
        );
        let unset: LocalOrTimestamp = "1969-12-31T16:00:00-08:00".parse().unwrap();
        assert_eq!(unset.instant(), None);
        assert!("2016-11-22".parse::<LocalOrTimestamp>().is_err());
        assert!("22/11/2016 12:52".parse::<LocalOrTimestamp>().is_err());
    }

    /// The canonical-form fast paths read exactly what chrono reads, and leave
    /// everything else to it.
    #[test]
    fn fast_paths_agree_with_chrono() {
        let chrono_date = |s: &str| {
            let day = s.strip_suffix(" 00:00:00").unwrap_or(s);
            NaiveDate::parse_from_str(day, DATE).ok().map(Date)
        };
        let chrono_local = |s: &str| {
            NaiveDateTime::parse_from_str(s, LOCAL)
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
                .ok()
                .map(LocalDateTime)
        };
        let dates = [
            "2025-06-01",
            "2024-02-29",
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-06-00",
            "0000-01-01",
            "9999-12-31",
            "2025-6-01",
            "2025-06-1",
            "12025-06-01",
            "2025/06/01",
            "2025-06-01 ",
            " 2025-06-01",
            "2025-06-01 00:00:00",
            "2025-0a-01",
            "+2025-06-01",
            "",
        ];
        for s in dates {
            assert_eq!(s.parse::<Date>().ok(), chrono_date(s), "{s:?}");
        }
        let times = [
            "2015-03-15 19:33:59",
            "2015-03-15 00:00:00",
            "2015-03-15 23:59:59",
            "2016-12-31 23:59:60",
            "2015-03-15 24:00:00",
            "2015-03-15 19:60:00",
            "2015-02-29 10:00:00",
            "2015-03-15 7:00:00",
            "2015-03-15 07:00",
            "2015-03-15T19:33:59",
            "2015-03-15 19:33:59 ",
            "2015-03-15  19:33:59",
            "2015-3-15 19:33:59",
            "2015-03-15 19:33:5x",
            "2015-03-15 19:33:59.5",
        ];
        for s in times {
            assert_eq!(s.parse::<LocalDateTime>().ok(), chrono_local(s), "{s:?}");
        }
        // Exhaustively over a leap year and a common one, at a few times of day.
        let mut day = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        while day.year() < 2025 {
            let text = day.format(DATE).to_string();
            assert_eq!(text.parse::<Date>().ok(), chrono_date(&text), "{text}");
            for time in ["00:00:00", "08:30:05", "23:59:59"] {
                let text = format!("{text} {time}");
                assert_eq!(
                    text.parse::<LocalDateTime>().ok(),
                    chrono_local(&text),
                    "{text}"
                );
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn the_epoch_placeholder_is_no_value_in_any_zone() {
        for s in [
            "1969-12-31T16:00:00-08:00",
            "1969-12-31T19:00:00-0500",
            "1970-01-01T00:00:00+00:00",
        ] {
            let t: Timestamp = s.parse().unwrap();
            assert!(t.is_unset(), "{s}");
        }
        let real: Timestamp = "1969-12-31T16:00:01-08:00".parse().unwrap();
        assert!(real.value().is_some());
    }
}
