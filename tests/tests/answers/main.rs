//! The answers a department asks for (`crewsense::roster`, `crewsense::staffing`,
//! `crewsense::directory`): the pure functions on hand-built schedules and on the
//! recorded production June 2025 `/schedule`, and the client's methods against the
//! sandbox, compared with the pure functions on the same data.

mod hand_built;
mod production;
mod sandbox;

use crewsense::types::ScheduleDay;
use crewsense::wire::DateMap;
use serde_json::{Value, json};

fn at(text: &str) -> crewsense::time::LocalDateTime {
    text.parse().unwrap()
}

fn days(value: Value) -> DateMap<ScheduleDay> {
    serde_json::from_value(value).unwrap()
}

/// A shift of `user` holding the qualifiers `quals`.
fn shift(user: u64, start: &str, end: &str, quals: &[u64]) -> Value {
    let quals: Vec<Value> = quals
        .iter()
        .map(|q| json!({"id": q, "shortcode": code(*q)}))
        .collect();
    json!({"user": {"id": user, "name": format!("User {user}")},
           "start": start, "end": end, "qualifiers": quals})
}

/// An occurrence of assignment `id` needing `minimum` people and the seats `needed`.
fn assignment(
    id: u64,
    period: (&str, &str),
    minimum: i64,
    needed: &[(u64, i64)],
    shifts: Vec<Value>,
) -> Value {
    let needed: Vec<Value> = needed
        .iter()
        .map(|(q, n)| json!({"id": q, "shortcode": code(*q), "minimum_staffing": n}))
        .collect();
    json!({"id": id, "name": format!("A{id}"), "start": period.0, "end": period.1,
           "minimum_staffing": minimum, "qualifiers_needed": needed, "shifts": shifts})
}

const CPT: u64 = 9869;
const ENG: u64 = 9870;
const FF: u64 = 9871;

fn code(q: u64) -> &'static str {
    match q {
        CPT => "CPT",
        ENG => "ENG",
        FF => "FF",
        _ => "Q",
    }
}
