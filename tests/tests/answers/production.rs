//! The pure functions on the recorded production June 2025 `/schedule` (days keyed
//! by date), each checked against a plain reading of the JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Duration, NaiveDate};
use crewsense::roster::roster_at;
use crewsense::staffing::{short_intervals, staffing_at};
use crewsense::time::{DateRange, LocalDateTime};
use crewsense::types::{Schedule, ScheduleDay};
use crewsense::wire::DateMap;
use serde_json::Value;

use super::at;

const FIXTURE: &str = "tests/fixtures/real/schedule_2025_06_response.json";

fn raw() -> &'static Value {
    static RAW: OnceLock<Value> = OnceLock::new();
    RAW.get_or_init(|| {
        let path = crewsense_tests::workspace_root().join(FIXTURE);
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    })
}

fn june() -> &'static DateMap<ScheduleDay> {
    static JUNE: OnceLock<DateMap<ScheduleDay>> = OnceLock::new();
    JUNE.get_or_init(|| {
        let schedule: Schedule = serde_json::from_value(raw().clone()).unwrap();
        schedule.days.unwrap()
    })
}

/// Every occurrence of the JSON: (date, assignment).
fn raw_assignments() -> impl Iterator<Item = (&'static str, &'static Value)> {
    raw()["days"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(date, day)| {
            day["assignments"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |a| (date.as_str(), a))
        })
}

/// The shifts of the JSON covering `t`, compared as text (`YYYY-MM-DD hh:mm:ss`
/// sorts as it reads): (assignment id, user id, qualifier ids).
fn raw_on_duty(t: &str) -> Vec<(u64, u64, Vec<u64>)> {
    raw_assignments()
        .flat_map(|(_, a)| a["shifts"].as_array().unwrap().iter().map(move |s| (a, s)))
        .filter(|(_, s)| s["start"].as_str().unwrap() <= t && t < s["end"].as_str().unwrap())
        .map(|(a, s)| {
            let quals = s["qualifiers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q["id"].as_u64().unwrap())
                .collect();
            (
                a["id"].as_u64().unwrap(),
                s["user"]["id"].as_u64().unwrap(),
                quals,
            )
        })
        .collect()
}

/// Instants across the month: midnights, shift changes, mid-day.
fn instants() -> Vec<String> {
    (1..=30)
        .flat_map(|d| {
            ["00:00:00", "07:30:00", "08:00:00", "12:00:00", "16:45:00"]
                .map(|h| format!("2025-06-{d:02} {h}"))
        })
        .collect()
}

#[test]
fn the_roster_is_everyone_on_a_shift_that_covers_the_instant() {
    for t in instants() {
        let roster = roster_at(june(), at(&t));
        let got: BTreeSet<(u64, u64)> = roster
            .crews
            .iter()
            .flat_map(|c| {
                c.on_duty.iter().map(|d| {
                    (
                        c.assignment.id.unwrap().get(),
                        d.person.user_id.unwrap().get(),
                    )
                })
            })
            .collect();
        let expected: BTreeSet<(u64, u64)> = raw_on_duty(&t)
            .into_iter()
            .map(|(a, u, _)| (a, u))
            .collect();
        assert_eq!(got, expected, "{t}");
        for duty in roster.crews.iter().flat_map(|c| &c.on_duty) {
            assert!(duty.start <= at(&t) && at(&t) < duty.end, "{t}: {duty:?}");
        }
    }
}

#[test]
fn at_half_past_seven_the_crews_of_the_24_hour_shifts_that_started_the_day_before_are_on() {
    let t = at("2025-06-03 07:30:00");
    let roster = roster_at(june(), t);
    let from_yesterday = |roster: &crewsense::roster::Roster| {
        roster
            .crews
            .iter()
            .flat_map(|c| &c.on_duty)
            .filter(|d| d.start == at("2025-06-02 08:00:00") && d.end == at("2025-06-03 08:00:00"))
            .count()
    };
    let crews = roster
        .crews
        .iter()
        .filter(|c| c.assignment.start == Some(at("2025-06-02 08:00:00")))
        .count();
    let text = "2025-06-03 07:30:00";
    let expected =
        raw_assignments()
            .filter(|(date, a)| *date == "2025-06-02" && a["start"] == "2025-06-02 08:00:00")
            .filter(|(_, a)| {
                a["shifts"].as_array().unwrap().iter().any(|s| {
                    s["start"].as_str().unwrap() <= text && text < s["end"].as_str().unwrap()
                })
            })
            .count();
    assert_eq!(crews, expected);
    assert!(crews >= 5 && from_yesterday(&roster) >= 15, "{crews} crews");
    assert!(
        !roster.time_off.is_empty(),
        "people on 24-hour leave from the day before"
    );
    // Read without the day before, those crews would be missing.
    let june_3 = DateMap(
        june()
            .0
            .iter()
            .filter(|(d, _)| d.to_string() == "2025-06-03")
            .map(|(d, day)| (*d, day.clone()))
            .collect(),
    );
    assert_eq!(from_yesterday(&roster_at(&june_3, t)), 0);
}

/// The most people of `people` that can sit in seats of capacity `caps`, each in a
/// seat group they are allowed, by trying every choice.
fn brute_force(caps: &mut [u64], people: &[Vec<usize>]) -> u64 {
    let Some((first, rest)) = people.split_first() else {
        return 0;
    };
    let mut best = brute_force(caps, rest);
    for &g in first {
        if caps[g] > 0 {
            caps[g] -= 1;
            best = best.max(1 + brute_force(caps, rest));
            caps[g] += 1;
        }
    }
    best
}

#[test]
fn staffing_by_seats_matches_an_exhaustive_search_at_every_instant() {
    let mut short = 0;
    for t in instants() {
        let on = raw_on_duty(&t);
        let staffing = staffing_at(june(), at(&t));
        let covering: Vec<(&str, &Value)> = raw_assignments()
            .filter(|(_, a)| {
                a["start"].as_str().unwrap() <= t.as_str()
                    && t.as_str() < a["end"].as_str().unwrap()
            })
            .collect();
        assert_eq!(staffing.len(), covering.len(), "{t}");
        for (s, (date, a)) in staffing.iter().zip(covering) {
            assert_eq!(
                (
                    s.assignment.date.to_string().as_str(),
                    s.assignment.id.unwrap().get()
                ),
                (date, a["id"].as_u64().unwrap())
            );
            let needed: Vec<(u64, u64)> = a["qualifiers_needed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| {
                    (
                        q["id"].as_u64().unwrap(),
                        q["minimum_staffing"].as_u64().unwrap(),
                    )
                })
                .collect();
            let mut people: BTreeMap<u64, BTreeSet<usize>> = BTreeMap::new();
            for (_, user, quals) in on.iter().filter(|(id, _, _)| Some(*id) == a["id"].as_u64()) {
                let seats = quals
                    .iter()
                    .filter_map(|q| needed.iter().position(|(n, _)| n == q));
                people.entry(*user).or_default().extend(seats);
            }
            let allowed: Vec<Vec<usize>> = people
                .values()
                .map(|s| s.iter().copied().collect())
                .collect();
            let mut caps: Vec<u64> = needed.iter().map(|(_, n)| *n).collect();
            let seats: u64 = caps.iter().sum();
            let unfilled = seats - brute_force(&mut caps, &allowed);
            let minimum = a["minimum_staffing"].as_u64().unwrap();
            assert_eq!(
                (s.on_duty.len(), s.seat_count(), s.unfilled_seats),
                (people.len(), seats, unfilled),
                "{t} {date} {}",
                a["name"]
            );
            assert_eq!(s.short, (people.len() as u64) < minimum || unfilled > 0);
            // The seats shown are a matching: each person once, in a seat their shift allows.
            let mut seated = BTreeSet::new();
            for group in &s.seats {
                assert!(group.filled_by.len() as u64 <= group.needed);
                for person in &group.filled_by {
                    let user = person.user_id.unwrap().get();
                    assert!(seated.insert(user), "{user} sits twice");
                    let allowed = &people[&user];
                    assert!(
                        allowed
                            .iter()
                            .any(|&g| needed[g].0 == group.qualifier.id.unwrap().get())
                    );
                }
            }
            assert_eq!(seats - seated.len() as u64, s.unfilled_seats);
            short += usize::from(s.short);
        }
    }
    assert!(short > 0);
}

#[test]
fn the_june_answer_has_a_crew_that_a_count_per_qualifier_calls_staffed_and_is_not() {
    let e1 = staffing_at(june(), at("2025-06-09 12:00:00"))
        .into_iter()
        .find(|s| s.assignment.name.as_deref() == Some("E1"))
        .unwrap();
    assert_eq!(
        (
            e1.on_duty.len(),
            e1.minimum,
            e1.seat_count(),
            e1.unfilled_seats
        ),
        (3, 3, 3, 1)
    );
    let held: BTreeSet<u64> = raw_on_duty("2025-06-09 12:00:00")
        .into_iter()
        .filter(|(a, _, _)| Some(*a) == e1.assignment.id.map(|id| id.get()))
        .flat_map(|(_, _, q)| q)
        .collect();
    for group in &e1.seats {
        assert!(
            held.contains(&group.qualifier.id.unwrap().get()),
            "every needed qualifier is held by someone"
        );
    }
}

#[test]
fn the_short_intervals_of_the_month_are_where_every_quarter_hour_is_short() {
    let month = DateRange::month(2025, 6).unwrap();
    let intervals = short_intervals(june(), month);
    assert!(!intervals.is_empty());
    for pair in intervals.windows(2) {
        if pair[0].assignment == pair[1].assignment {
            assert!(pair[0].to <= pair[1].from, "{pair:?}");
        }
    }
    let first = NaiveDate::from_ymd_opt(2025, 6, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let quarters = (0..31 * 24 * 4).map(|q| LocalDateTime(first + Duration::minutes(15 * q)));
    let mut checked = 0;
    for t in quarters {
        for s in staffing_at(june(), t) {
            let inside = intervals
                .iter()
                .find(|i| i.assignment == s.assignment && i.from <= t && t < i.to);
            assert_eq!(inside.is_some(), s.short, "{t} {:?}", s.assignment);
            if let Some(i) = inside {
                assert_eq!(
                    (i.on_duty, i.unfilled_seats, &i.missing),
                    (s.on_duty.len() as u64, s.unfilled_seats, &s.shortfall())
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 30_000, "{checked}");
}
