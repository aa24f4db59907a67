//! A strict mirror of `crewsense_gen::types::Schedule` with plain std types: the floor
//! for a typed decode of a production `/schedule` answer.
//!
//! It has every field the generated `Schedule*` types decode, each with the JSON type
//! production actually sends (ids and counts as numbers, hours as numbers that may be
//! integral, flags as booleans, dates and times as strings, `days` as an object keyed
//! by date). A field is an `Option` only where production sends `null` or leaves it
//! out. Unknown fields are refused, so a decode proves the mirror covers the payload.
//! The two "any JSON value" fields (`hold_over_details`, `work_site`) stay
//! `serde_json::Value` as in the generated types; production sends `null` or nothing.

// The fields exist to be decoded; the bench reads only a few of them.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    pub start: String,
    pub end: String,
    pub days: BTreeMap<String, Day>,
    pub next: Option<Link>,
    pub prev: Option<Link>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub href: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Day {
    pub activities: String,
    pub assignments: Vec<Assignment>,
    pub callbacks: Vec<Callback>,
    pub date: Option<String>,
    pub day_color: DayLabel,
    pub misc: Vec<Misc>,
    pub notes: String,
    pub time_off: Vec<TimeOff>,
    pub trades: Vec<Trade>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayLabel {
    pub color: String,
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub id: u64,
    pub href: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub name: String,
    pub qualifiers_needed: Vec<QualifierNeeded>,
    pub minimum_staffing: i64,
    pub is_finalized: bool,
    pub notes: Option<String>,
    pub shifts: Vec<Shift>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualifierNeeded {
    pub id: u64,
    pub name: String,
    pub shortcode: String,
    pub color: String,
    pub text_color: String,
    pub minimum_staffing: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    pub id: u64,
    pub href: String,
    pub start: String,
    pub end: String,
    pub length: f64,
    pub real_length: f64,
    pub break_start: Option<String>,
    pub break_end: Option<String>,
    pub break_length: f64,
    pub hold_over: f64,
    pub hold_over_details: Option<Value>,
    pub recurring: bool,
    pub user: User,
    pub scheduled_by: User,
    pub work_type: WorkType,
    pub notes: Option<String>,
    pub labels: Vec<Label>,
    pub qualifiers: Vec<Qualifier>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: u64,
    pub href: Option<String>,
    pub name: String,
    pub ts_userid: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkType {
    pub id: u64,
    pub href: String,
    pub name: String,
    pub work_code: String,
    pub color: String,
    pub text_color: String,
    pub subtypes: Option<Vec<Subtype>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subtype {
    pub id: u64,
    pub label: String,
    pub work_code: Option<String>,
    pub work_type_id: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub id: u64,
    pub href: Option<String>,
    pub label: String,
    pub color: String,
    pub text_color: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qualifier {
    pub id: u64,
    pub href: String,
    pub shortcode: String,
    pub name: String,
    pub color: String,
    pub text_color: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: u64,
    pub label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Callback {
    pub id: u64,
    pub href: String,
    pub start: String,
    pub end: String,
    pub minimum_staffing: i64,
    pub admin: User,
    pub title: Title,
    pub records: Vec<CallbackRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    pub id: u64,
    pub href: Option<String>,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackRecord {
    pub id: u64,
    pub start: String,
    pub end: String,
    pub user: User,
    pub work_site: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Misc {
    pub id: u64,
    pub href: Option<String>,
    pub date: String,
    pub start: String,
    pub end: String,
    pub length: f64,
    pub notes: Option<String>,
    pub user: User,
    pub work_type: String,
    pub work_type_details: WorkType,
    pub work_subtypes: Vec<Subtype>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeOff {
    pub id: u64,
    pub href: Option<String>,
    pub start: String,
    pub end: String,
    pub length: f64,
    pub real_length: f64,
    pub break_start: Option<String>,
    pub break_end: Option<String>,
    pub break_length: f64,
    pub recurring: bool,
    pub notes: Option<String>,
    pub user: User,
    pub admin: User,
    pub time_off_type: TimeOffType,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeOffType {
    pub id: u64,
    pub href: String,
    pub name: String,
    pub work_code: String,
    pub color: String,
    pub text_color: String,
    pub subtypes: Vec<Subtype>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trade {
    pub id: u64,
    pub href: Option<String>,
    pub start: String,
    pub end: String,
    pub requesting_user: User,
    pub accepting_user: User,
    pub admin: Option<User>,
}
