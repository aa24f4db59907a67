//! The pure functions on small schedules built for one rule each.

use crewsense::roster::roster_at;
use crewsense::staffing::{short_intervals, staffing_at};
use crewsense::time::DateRange;
use crewsense_gen::decode::{DecodeMode, decode};
use crewsense_gen::types::Schedule;
use serde_json::json;

use super::{CPT, ENG, FF, assignment, at, days, shift};

const DAY: (&str, &str) = ("2025-06-02 08:00:00", "2025-06-03 08:00:00");

fn engine(minimum: i64, shifts: Vec<serde_json::Value>) -> serde_json::Value {
    assignment(1, DAY, minimum, &[(CPT, 1), (ENG, 1), (FF, 1)], shifts)
}

#[test]
fn a_shift_that_ends_exactly_at_t_is_not_on_duty() {
    let schedule = days(json!({"2025-06-02": {"assignments": [engine(1, vec![
        shift(1, "2025-06-02 08:00:00", "2025-06-02 20:00:00", &[CPT]),
        shift(2, "2025-06-02 20:00:00", "2025-06-03 08:00:00", &[CPT]),
    ])]}}));
    let roster = roster_at(&schedule, at("2025-06-02 20:00:00"));
    let on: Vec<_> = roster.crews[0]
        .on_duty
        .iter()
        .map(|d| d.person.user_id.unwrap().get())
        .collect();
    assert_eq!(on, [2]);
    let staffing = staffing_at(&schedule, at("2025-06-02 19:59:59"));
    assert_eq!(staffing[0].on_duty.len(), 1);
    assert_eq!(staffing[0].on_duty[0].user_id.unwrap().get(), 1);
}

#[test]
fn an_overnight_shift_listed_the_day_before_is_on_duty_the_next_morning() {
    let schedule = days(json!({
        "2025-06-02": {"assignments": [engine(1, vec![shift(1, DAY.0, DAY.1, &[CPT])])]},
        "2025-06-03": {"assignments": [assignment(1, ("2025-06-03 08:00:00", "2025-06-04 08:00:00"), 1, &[], vec![
            shift(2, "2025-06-03 08:00:00", "2025-06-04 08:00:00", &[CPT])])]}
    }));
    let morning = roster_at(&schedule, at("2025-06-03 07:30:00"));
    assert_eq!(morning.crews.len(), 1);
    assert_eq!(morning.crews[0].assignment.date.to_string(), "2025-06-02");
    assert_eq!(
        morning.crews[0].on_duty[0].start.to_string(),
        "2025-06-02 08:00:00"
    );
    let later = roster_at(&schedule, at("2025-06-03 08:00:00"));
    assert_eq!(later.crews[0].on_duty[0].person.user_id.unwrap().get(), 2);
    assert_eq!(later.crews[0].assignment.date.to_string(), "2025-06-03");
}

#[test]
fn an_assignment_with_more_people_than_seats_is_not_short() {
    let schedule = days(json!({"2025-06-02": {"assignments": [engine(3, vec![
        shift(1, DAY.0, DAY.1, &[CPT]),
        shift(2, DAY.0, DAY.1, &[ENG, FF]),
        shift(3, DAY.0, DAY.1, &[FF]),
        shift(4, DAY.0, DAY.1, &[FF]),
    ])]}}));
    let e = &staffing_at(&schedule, at("2025-06-02 12:00:00"))[0];
    assert_eq!(
        (e.on_duty.len(), e.seat_count(), e.unfilled_seats),
        (4, 3, 0)
    );
    assert!(!e.short);
    let seated: usize = e.seats.iter().map(|g| g.filled_by.len()).sum();
    assert_eq!(seated, 3, "one person stays without a seat");
}

#[test]
fn the_captain_who_is_also_an_engineer_fills_one_seat_where_a_count_per_qualifier_sees_both() {
    let crew = vec![
        shift(1, DAY.0, DAY.1, &[CPT, ENG]),
        shift(2, DAY.0, DAY.1, &[FF]),
        shift(3, DAY.0, DAY.1, &[FF]),
    ];
    // Counted per qualifier: one CPT, one ENG, two FF, three heads for a minimum of 3.
    let per_qualifier = |q: u64| {
        crew.iter()
            .filter(|s| {
                s["qualifiers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["id"] == q)
            })
            .count()
    };
    assert!(per_qualifier(CPT) >= 1 && per_qualifier(ENG) >= 1 && per_qualifier(FF) >= 1);
    let schedule = days(json!({"2025-06-02": {"assignments": [engine(3, crew)]}}));
    let e = &staffing_at(&schedule, at("2025-06-02 12:00:00"))[0];
    assert_eq!(
        (e.on_duty.len() as u64, e.minimum, e.unfilled_seats),
        (3, 3, 1)
    );
    assert!(e.short);
    assert_eq!(e.shortfall().to_string(), "unfilled: ENG");
}

#[test]
fn an_assignment_without_qualifiers_needed_is_short_by_its_head_count_only() {
    let office = |people: Vec<serde_json::Value>| {
        days(json!({"2025-06-02": {"assignments": [
            assignment(7, ("2025-06-02 08:00:00", "2025-06-02 17:00:00"), 2, &[], people)]}}))
    };
    let one = office(vec![shift(
        1,
        "2025-06-02 08:00:00",
        "2025-06-02 17:00:00",
        &[],
    )]);
    let s = &staffing_at(&one, at("2025-06-02 09:00:00"))[0];
    assert_eq!((s.seat_count(), s.unfilled_seats, s.short), (0, 0, true));
    assert_eq!(s.shortfall().to_string(), "1 person below minimum");
    let two = office(vec![
        shift(1, "2025-06-02 08:00:00", "2025-06-02 17:00:00", &[]),
        shift(2, "2025-06-02 08:00:00", "2025-06-02 17:00:00", &[]),
    ]);
    assert!(!staffing_at(&two, at("2025-06-02 09:00:00"))[0].short);
    assert!(
        staffing_at(&two, at("2025-06-02 17:00:00")).is_empty(),
        "the period is over"
    );
}

#[test]
fn days_as_an_array_give_the_answers_of_days_as_a_map() {
    let day = json!({"assignments": [engine(3, vec![
        shift(1, DAY.0, DAY.1, &[CPT, ENG]),
        shift(2, DAY.0, "2025-06-02 13:00:00", &[FF]),
    ])], "time_off": [{"user": {"id": 9}, "start": DAY.0, "end": DAY.1,
                        "time_off_type": {"name": "Vacation"}}]});
    let map = days(json!({"2025-06-02": day.clone()}));
    let mut dated = day;
    dated["date"] = json!("2025-06-02");
    let array = days(json!([dated]));
    let t = at("2025-06-02 10:00:00");
    let from_map = roster_at(&map, t);
    assert_eq!(from_map.crews[0].on_duty.len(), 2);
    assert_eq!(from_map.time_off[0].person.user_id.unwrap().get(), 9);
    assert_eq!(
        from_map.time_off[0].time_off_type.as_deref(),
        Some("Vacation")
    );
    assert_eq!(roster_at(&array, t), from_map);
    assert_eq!(staffing_at(&array, t), staffing_at(&map, t));
    let june_2 = DateRange::day("2025-06-02".parse().unwrap());
    assert_eq!(
        short_intervals(&array, june_2),
        short_intervals(&map, june_2)
    );
}

#[test]
fn the_sweep_finds_the_hours_between_an_early_leave_and_the_relief() {
    let schedule = days(json!({"2025-06-02": {"assignments": [engine(3, vec![
        shift(1, DAY.0, DAY.1, &[CPT]),
        shift(2, DAY.0, DAY.1, &[ENG]),
        shift(3, DAY.0, "2025-06-02 13:00:00", &[FF]),
        shift(4, "2025-06-02 17:30:00", DAY.1, &[FF]),
    ])]}}));
    let short = short_intervals(&schedule, DateRange::day("2025-06-02".parse().unwrap()));
    assert_eq!(short.len(), 1, "{short:?}");
    let gap = &short[0];
    assert_eq!(
        (gap.from, gap.to),
        (at("2025-06-02 13:00:00"), at("2025-06-02 17:30:00"))
    );
    assert_eq!((gap.minimum, gap.on_duty, gap.unfilled_seats), (3, 2, 1));
    assert_eq!(
        gap.missing.to_string(),
        "1 person below minimum; unfilled: FF"
    );
}

#[test]
fn stretches_short_for_the_same_reason_are_one_interval_and_a_new_reason_starts_another() {
    let schedule = days(json!({"2025-06-02": {"assignments": [engine(3, vec![
        shift(1, DAY.0, "2025-06-02 14:00:00", &[CPT]),
        shift(2, "2025-06-02 14:00:00", DAY.1, &[CPT]),
        shift(3, DAY.0, "2025-06-02 20:00:00", &[ENG]),
    ])]}}));
    let short = short_intervals(&schedule, DateRange::day("2025-06-02".parse().unwrap()));
    let spans: Vec<(String, String, String)> = short
        .iter()
        .map(|s| (s.from.to_string(), s.to.to_string(), s.missing.to_string()))
        .collect();
    assert_eq!(
        spans,
        [
            (
                "2025-06-02 08:00:00".into(),
                "2025-06-02 20:00:00".into(),
                "1 person below minimum; unfilled: FF".into()
            ),
            (
                "2025-06-02 20:00:00".into(),
                "2025-06-03 08:00:00".into(),
                "2 people below minimum; unfilled: ENG, FF".into()
            ),
        ]
    );
}

#[test]
fn a_shift_with_an_unreadable_start_is_left_out_and_the_rest_still_counts() {
    let body = json!({"days": {"2025-06-02": {"assignments": [engine(2, vec![
        shift(1, DAY.0, DAY.1, &[CPT]),
        shift(2, "yesterday at eight", DAY.1, &[ENG]),
    ])]}}});
    let decoded = decode::<Schedule>(
        body.to_string().as_bytes(),
        "get_schedule",
        DecodeMode::Lenient,
    )
    .unwrap();
    assert_eq!(decoded.degraded.len(), 1);
    let schedule = decoded.value.days.unwrap();
    let e = &staffing_at(&schedule, at("2025-06-02 12:00:00"))[0];
    assert_eq!((e.on_duty.len(), e.unfilled_seats), (1, 2));
    assert_eq!(
        roster_at(&schedule, at("2025-06-02 12:00:00")).crews[0]
            .on_duty
            .len(),
        1
    );
}
