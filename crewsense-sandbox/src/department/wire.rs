//! The answers a capture holds, decoded leniently: ids and numbers as numbers or
//! strings, flags as booleans or 0/1, lists as `null`, arrays or objects (PHP's
//! empty `{}`), `/schedule` days as a date-keyed map (production) or an array of
//! days that name their date (the reference). Only what the sandbox serves is
//! read; every other field is ignored.
//!
//! The sandbox keeps its own decoding instead of the client's generated types, so
//! that it stays a second, independent reading of the wire format.

use std::fmt;
use std::marker::PhantomData;

use chrono::{NaiveDate, NaiveDateTime};
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::clock::{parse_date, parse_local};
use crate::limits::{FIRST_YEAR, LAST_YEAR, in_years};

/// A value as an error message shows it: its JSON, cut short.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// A number, or a string holding one.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(t) => t.trim().parse().ok(),
        _ => None,
    }
}

/// Whether a value is PHP's way of writing nothing: `false`, `""`, `[]` or `{}`.
fn empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(t) => t.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// A record id: `98` or `"98"`, at most PHP's largest integer (the server's ids are
/// PHP integers), so the ids the sandbox hands out after the highest one never
/// run out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Id(pub(crate) u64);

/// PHP's `PHP_INT_MAX`.
const LARGEST_ID: u64 = i64::MAX as u64;

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let id = match &v {
            Value::Number(n) => n.as_u64(),
            Value::String(t) => t.trim().parse().ok(),
            _ => None,
        };
        id.filter(|id| *id <= LARGEST_ID).map(Id).ok_or_else(|| {
            de::Error::custom(format!(
                "expected an id (a whole number up to {LARGEST_ID}), found {}",
                shown(&v)
            ))
        })
    }
}

/// A whole number: `3`, `3.0` or `"3"`; PHP's "nothing" is 0.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Int(pub(crate) i64);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match number(&v) {
            Some(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(Int(n as i64)),
            None if empty(&v) => Ok(Int(0)),
            _ => Err(de::Error::custom(format!(
                "expected a whole number, found {}",
                shown(&v)
            ))),
        }
    }
}

/// A decimal: `72`, `72.5` or `"72.00"`; PHP's "nothing" is 0.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Num(pub(crate) f64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match number(&v).filter(|n| n.is_finite()) {
            Some(n) => Ok(Num(n)),
            None if empty(&v) => Ok(Num(0.0)),
            None => Err(de::Error::custom(format!(
                "expected a number, found {}",
                shown(&v)
            ))),
        }
    }
}

/// A flag: `true`, `1`, `"1"`, `"true"`, `"yes"`; PHP's "nothing" and their
/// opposites are `false`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Flag(pub(crate) bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match &v {
            Value::Bool(b) => Ok(Flag(*b)),
            Value::String(t) if matches!(t.as_str(), "true" | "yes") => Ok(Flag(true)),
            Value::String(t) if matches!(t.as_str(), "false" | "no") => Ok(Flag(false)),
            _ if empty(&v) => Ok(Flag(false)),
            _ => match number(&v) {
                Some(n) => Ok(Flag(n != 0.0)),
                None => Err(de::Error::custom(format!(
                    "expected a flag (true/false or 1/0), found {}",
                    shown(&v)
                ))),
            },
        }
    }
}

/// A text, or a number written as one (`work_code`, `employee_id`); PHP's
/// "nothing" is the empty text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Text(pub(crate) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match v {
            Value::String(t) => Ok(Text(t)),
            Value::Number(n) => Ok(Text(n.to_string())),
            _ if empty(&v) => Ok(Text(String::new())),
            _ => Err(de::Error::custom(format!(
                "expected a text, found {}",
                shown(&v)
            ))),
        }
    }
}

fn year_error<E: de::Error>() -> E {
    E::custom(format!(
        "a date outside the years {FIRST_YEAR} to {LAST_YEAR}"
    ))
}

/// A local date-time, `YYYY-MM-DD hh:mm:ss`, within the sandbox's years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Local(pub(crate) NaiveDateTime);

impl<'de> Deserialize<'de> for Local {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let dt = parse_local(&text)
            .ok_or_else(|| de::Error::custom(format!("{text:?} is not a local date-time")))?;
        if in_years(&dt) {
            Ok(Local(dt))
        } else {
            Err(year_error())
        }
    }
}

/// A date, `YYYY-MM-DD`, within the sandbox's years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Day(pub(crate) NaiveDate);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        day(&text)
    }
}

fn day<E: de::Error>(text: &str) -> Result<Day, E> {
    let date = parse_date(text).ok_or_else(|| E::custom(format!("{text:?} is not a date")))?;
    if in_years(&date) {
        Ok(Day(date))
    } else {
        Err(year_error())
    }
}

/// An optional date: `null`, `""` and `"0000-00-00"` (production's "no date"), and
/// anything else that is not a date (`false`, `{}`...), are none.
pub(crate) fn maybe_day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(v.as_str()
        .and_then(|t| day::<de::value::Error>(t).ok())
        .map(|d| d.0))
}

/// An optional local date-time, as leniently as [`maybe_day`].
pub(crate) fn maybe_local<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<NaiveDateTime>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(v.as_str().and_then(parse_local).filter(in_years))
}

/// An optional id: `null` and PHP's other "nothing"s are none.
pub(crate) fn maybe_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Id>, D::Error> {
    let v = Value::deserialize(d)?;
    if empty(&v) {
        return Ok(None);
    }
    Id::deserialize(v).map(Some).map_err(de::Error::custom)
}

/// An optional text: `null` and PHP's other "nothing"s are none.
pub(crate) fn maybe_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    let Text(t) = Text::deserialize(v).map_err(de::Error::custom)?;
    Ok(Some(t))
}

/// A text where `null` is the empty text.
pub(crate) fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<Text>::deserialize(d)?
        .map(|t| t.0)
        .unwrap_or_default())
}

/// A list: `null` (none), an array, or an object whose values are the items.
pub(crate) fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    struct List<T>(PhantomData<T>);

    impl<'de, T: DeserializeOwned> Visitor<'de> for List<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(items)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some((_, item)) = map.next_entry::<de::IgnoredAny, T>()? {
                items.push(item);
            }
            Ok(items)
        }
    }

    d.deserialize_any(List(PhantomData))
}

/// `{id, name}`: an accrual track or profile, a CallBack list.
#[derive(Debug, Deserialize)]
pub(crate) struct NamedRow {
    pub(crate) id: Id,
    #[serde(default, alias = "label", deserialize_with = "nullable")]
    pub(crate) name: String,
}

/// An entry of `GET /users`.
#[derive(Debug, Deserialize)]
pub(crate) struct UserRow {
    #[serde(alias = "id")]
    pub(crate) user_id: Id,
    #[serde(default)]
    pub(crate) employee_id: Option<Text>,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) username: Option<String>,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) first_name: Option<String>,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) last_name: Option<String>,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) full_name: Option<String>,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) role: Option<String>,
    #[serde(default, deserialize_with = "maybe_day")]
    pub(crate) date_of_hire: Option<NaiveDate>,
    #[serde(default, deserialize_with = "maybe_day")]
    pub(crate) date_of_birth: Option<NaiveDate>,
    #[serde(default, deserialize_with = "maybe_day")]
    pub(crate) accrual_start_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) emails: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) phone_numbers: Vec<String>,
    #[serde(default)]
    pub(crate) accrual_track: Option<NamedRow>,
    #[serde(default)]
    pub(crate) accrual_profile: Option<NamedRow>,
}

/// Where an assignment is.
#[derive(Debug, Deserialize)]
pub(crate) struct LocationRow {
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) address: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) city: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) state: String,
    #[serde(default)]
    pub(crate) zip: Text,
    #[serde(default)]
    pub(crate) latitude: Text,
    #[serde(default)]
    pub(crate) longitude: Text,
}

/// An entry of `GET /assignments`.
#[derive(Debug, Deserialize)]
pub(crate) struct AssignmentRow {
    pub(crate) id: Id,
    #[serde(default)]
    pub(crate) position: Int,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) name: String,
    pub(crate) start: Local,
    pub(crate) end: Local,
    #[serde(default)]
    pub(crate) positions_to_fill: Int,
    #[serde(default)]
    pub(crate) is_work_shift: Flag,
    #[serde(default)]
    pub(crate) self_scheduling: Flag,
    #[serde(default)]
    pub(crate) self_scheduling_requires_approval: Flag,
    #[serde(default)]
    pub(crate) crewsense_eligible: Flag,
    #[serde(default)]
    pub(crate) hide_open_slots: Flag,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) color: String,
    #[serde(default)]
    pub(crate) location: Option<LocationRow>,
}

/// An entry of `GET /qualifiers`, or a qualifier as the schedule shows it.
#[derive(Debug, Deserialize)]
pub(crate) struct QualifierRow {
    pub(crate) id: Id,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) shortcode: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) color: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) text_color: String,
    #[serde(default, deserialize_with = "maybe_id")]
    pub(crate) modified_by: Option<Id>,
    #[serde(default, deserialize_with = "maybe_local")]
    pub(crate) modified_on: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "maybe_id")]
    pub(crate) target_solutions_credential_id: Option<Id>,
    #[serde(default, deserialize_with = "maybe_id")]
    pub(crate) title_id: Option<Id>,
    /// How many of it an assignment needs (only in `qualifiers_needed`).
    #[serde(default)]
    pub(crate) minimum_staffing: Int,
}

/// An entry of `GET /work_types`.
#[derive(Debug, Deserialize)]
pub(crate) struct WorkTypeRow {
    pub(crate) id: Id,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) label: String,
    #[serde(default)]
    pub(crate) work_code: Option<Text>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) primary_color: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) secondary_color: String,
    #[serde(default)]
    pub(crate) excludes_from_callback: Flag,
    #[serde(default)]
    pub(crate) position: Int,
}

/// An entry of `GET /work_subtypes`, or a subtype as the schedule shows it.
#[derive(Debug, Deserialize)]
pub(crate) struct SubtypeRow {
    pub(crate) id: Id,
    #[serde(default, deserialize_with = "maybe_id")]
    pub(crate) work_type_id: Option<Id>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) label: String,
    #[serde(default)]
    pub(crate) work_code: Option<Text>,
}

/// An entry of `GET /time_off_types`.
#[derive(Debug, Deserialize)]
pub(crate) struct TimeOffTypeRow {
    pub(crate) id: Id,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) label: String,
    #[serde(default)]
    pub(crate) work_code: Option<Text>,
    #[serde(default)]
    pub(crate) required_buffer: Num,
    #[serde(default)]
    pub(crate) instance_limit: Int,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) primary_color: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) secondary_color: String,
    #[serde(default)]
    pub(crate) force_include: Flag,
    #[serde(default)]
    pub(crate) forward: Flag,
}

/// The answer of `GET /company`.
#[derive(Debug, Deserialize)]
pub(crate) struct CompanyRow {
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) name: String,
}

/// A person on the schedule: `{id, name, ts_userid}`.
#[derive(Debug, Deserialize)]
pub(crate) struct PersonRow {
    pub(crate) id: Id,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) name: Option<String>,
    #[serde(default, deserialize_with = "maybe_id")]
    pub(crate) ts_userid: Option<Id>,
}

/// A work type or time off type as the schedule shows it.
#[derive(Debug, Deserialize)]
pub(crate) struct CodedRow {
    pub(crate) id: Id,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) work_code: Option<Text>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) color: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) text_color: String,
    #[serde(default, deserialize_with = "list")]
    pub(crate) subtypes: Vec<SubtypeRow>,
}

/// A label on a shift.
#[derive(Debug, Deserialize)]
pub(crate) struct LabelRow {
    pub(crate) id: Id,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) label: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) color: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) text_color: String,
}

/// A shift on the schedule.
#[derive(Debug, Deserialize)]
pub(crate) struct ShiftRow {
    pub(crate) id: Id,
    pub(crate) start: Local,
    pub(crate) end: Local,
    #[serde(default, deserialize_with = "maybe_local")]
    pub(crate) break_start: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "maybe_local")]
    pub(crate) break_end: Option<NaiveDateTime>,
    #[serde(default)]
    pub(crate) recurring: Flag,
    pub(crate) user: PersonRow,
    #[serde(default)]
    pub(crate) scheduled_by: Option<PersonRow>,
    #[serde(default)]
    pub(crate) work_type: Option<CodedRow>,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) notes: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) labels: Vec<LabelRow>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) qualifiers: Vec<QualifierRow>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) groups: Vec<NamedRow>,
}

/// An assignment on one day of the schedule, with its shifts.
#[derive(Debug, Deserialize)]
pub(crate) struct AssignmentDayRow {
    pub(crate) id: Id,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) name: String,
    pub(crate) start: Local,
    pub(crate) end: Local,
    #[serde(default)]
    pub(crate) minimum_staffing: Int,
    #[serde(default)]
    pub(crate) is_finalized: Flag,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) notes: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) qualifiers_needed: Vec<QualifierRow>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) shifts: Vec<ShiftRow>,
}

/// One day's segment of a time off entry.
#[derive(Debug, Deserialize)]
pub(crate) struct TimeOffRow {
    pub(crate) id: Id,
    pub(crate) start: Local,
    pub(crate) end: Local,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) notes: Option<String>,
    #[serde(default)]
    pub(crate) admin: Option<PersonRow>,
    pub(crate) user: PersonRow,
    #[serde(default)]
    pub(crate) time_off_type: Option<CodedRow>,
}

/// A person a CallBack booked.
#[derive(Debug, Deserialize)]
pub(crate) struct RecordRow {
    pub(crate) id: Id,
    pub(crate) user: PersonRow,
}

/// A CallBack on the schedule.
#[derive(Debug, Deserialize)]
pub(crate) struct CallbackRow {
    pub(crate) id: Id,
    pub(crate) start: Local,
    pub(crate) end: Local,
    #[serde(default)]
    pub(crate) admin: Option<PersonRow>,
    #[serde(default)]
    pub(crate) minimum_staffing: Int,
    #[serde(default, deserialize_with = "list")]
    pub(crate) records: Vec<RecordRow>,
    #[serde(default)]
    pub(crate) title: Option<NamedRow>,
}

/// A trade on the schedule.
#[derive(Debug, Deserialize)]
pub(crate) struct TradeRow {
    pub(crate) id: Id,
    pub(crate) start: Local,
    pub(crate) end: Local,
    pub(crate) requesting_user: PersonRow,
    #[serde(default)]
    pub(crate) accepting_user: Option<PersonRow>,
    #[serde(default)]
    pub(crate) admin: Option<PersonRow>,
}

/// Miscellaneous hours on the schedule: from `start` to `end`, or (the reference's
/// example) `length` hours on `date`.
#[derive(Debug, Deserialize)]
pub(crate) struct MiscRow {
    pub(crate) id: Id,
    #[serde(default)]
    pub(crate) start: Option<Local>,
    #[serde(default)]
    pub(crate) end: Option<Local>,
    #[serde(default)]
    pub(crate) length: Num,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) notes: Option<String>,
    pub(crate) user: PersonRow,
    #[serde(default, deserialize_with = "list")]
    pub(crate) work_subtypes: Vec<SubtypeRow>,
    #[serde(default)]
    pub(crate) work_type_details: Option<CodedRow>,
}

/// The platoon colour of a day (production only).
#[derive(Debug, Deserialize)]
pub(crate) struct DayColorRow {
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) label: Option<String>,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) color: Option<String>,
}

/// One day of the schedule; `date` is the key of a date-keyed map, or the day's
/// own `date` in an array.
#[derive(Debug, Deserialize)]
pub(crate) struct DayRow {
    #[serde(default)]
    pub(crate) date: Option<Day>,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) notes: Option<String>,
    #[serde(default, deserialize_with = "maybe_text")]
    pub(crate) activities: Option<String>,
    #[serde(default)]
    pub(crate) day_color: Option<DayColorRow>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) assignments: Vec<AssignmentDayRow>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) time_off: Vec<TimeOffRow>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) callbacks: Vec<CallbackRow>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) trades: Vec<TradeRow>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) misc: Vec<MiscRow>,
}

/// The days of a schedule answer, each with its date.
#[derive(Debug, Default)]
pub(crate) struct Days(pub(crate) Vec<(NaiveDate, DayRow)>);

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DaysVisitor;

        impl<'de> Visitor<'de> for DaysVisitor {
            type Value = Days;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("days keyed by date, or an array of days with a date")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Days, E> {
                Ok(Days::default())
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Days, A::Error> {
                let mut days = Vec::new();
                while let Some(row) = seq.next_element::<DayRow>()? {
                    let date = row.date.ok_or_else(|| de::Error::missing_field("date"))?;
                    days.push((date.0, row));
                }
                Ok(Days(days))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Days, A::Error> {
                let mut days = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let date = day::<A::Error>(&key)?;
                    days.push((date.0, map.next_value::<DayRow>()?));
                }
                Ok(Days(days))
            }
        }

        d.deserialize_any(DaysVisitor)
    }
}

/// The answer of `GET /schedule`; its days tell the window.
#[derive(Debug, Deserialize)]
pub(crate) struct ScheduleRow {
    #[serde(default)]
    pub(crate) days: Days,
}
