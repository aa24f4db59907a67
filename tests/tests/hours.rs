//! Hours per work period on the recorded production answer for June 2025, served by
//! wiremock as `/schedule`, each request answered with the recorded days inside its
//! window: every person's hours over the month are the `real_length` (length minus
//! breaks) of their shifts, cut at the end of the month.

use std::collections::BTreeMap;

use crewsense::hours::{PeriodHours, Preset};
use crewsense::ids::UserId;
use crewsense::time::DateRange;
use crewsense::types::Schedule;
use crewsense_tests::{date, static_client, workspace_root};
use futures::TryStreamExt;
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn june_answer() -> Vec<u8> {
    let file = workspace_root().join("tests/fixtures/real/schedule_2025_06_response.json");
    std::fs::read(file).unwrap()
}

/// Per person, the hours of their June shifts, from the answer's own `real_length`
/// and the part of each shift after June.
fn expected(answer: &[u8]) -> BTreeMap<UserId, f64> {
    let schedule: Schedule = serde_json::from_slice(answer).unwrap();
    let july = crewsense::time::LocalDateTime::start_of(date("2025-07-01"));
    let mut hours = BTreeMap::new();
    for (_, day) in schedule.days.unwrap() {
        for shift in day
            .assignments
            .iter()
            .flatten()
            .flat_map(|a| a.shifts.iter().flatten())
        {
            let (start, end) = (shift.start.unwrap(), shift.end.unwrap());
            let mut worked = shift.real_length.unwrap().get();
            if end > july {
                // Valid only while no break lies after June: checked, not assumed.
                assert!(shift.break_end.is_none_or(|b| b <= july), "{shift:?}");
                worked -= (end.get() - july.get().max(start.get())).num_seconds() as f64 / 3600.0;
            }
            let user = UserId::from(shift.user.as_ref().unwrap().id.unwrap());
            *hours.entry(user).or_default() += worked;
        }
    }
    hours
}

/// `/schedule` from the recorded June: the days of the answer inside the request's
/// `start` to `end`.
struct RecordedJune(Value);

impl Respond for RecordedJune {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let param = |name: &str| {
            let (_, value) = request.url.query_pairs().find(|(k, _)| k == name).unwrap();
            value[..10].to_owned()
        };
        let (start, end) = (param("start"), param("end"));
        let days: Map<String, Value> = self.0["days"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(date, _)| **date >= start && **date < end)
            .map(|(date, day)| (date.clone(), day.clone()))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "days": days }))
    }
}

#[tokio::test]
async fn june_hours_of_every_person_are_their_shifts_minus_breaks_inside_the_month() {
    let api = MockServer::start().await;
    let answer = june_answer();
    Mock::given(method("GET"))
        .and(path("/v1/schedule"))
        .respond_with(RecordedJune(serde_json::from_slice(&answer).unwrap()))
        .mount(&api)
        .await;
    let client = static_client(&api.uri());

    let june = DateRange::month(2025, 6).unwrap();
    let periods: Vec<PeriodHours> = client
        .hours(june, Preset::Fire28Days.anchored(june.start()))
        .try_collect()
        .await
        .unwrap();

    // June 1 to 29 whole, June 29 to July 27 cut by the month.
    assert_eq!(periods.len(), 2);
    assert!(!periods[0].partial && periods[1].partial);
    assert_eq!(
        periods[1].counted,
        DateRange::from(date("2025-06-29")..date("2025-07-01"))
    );
    let mut totals: BTreeMap<UserId, f64> = BTreeMap::new();
    for period in &periods {
        for person in &period.people {
            *totals.entry(person.user).or_default() += person.hours;
            let over = person.over_threshold;
            if period.partial {
                assert_eq!(over, None);
            } else {
                assert_eq!(over, Some((person.hours - 212.0).max(0.0)));
            }
        }
    }
    let expected = expected(&answer);
    assert_eq!(
        totals.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (user, hours) in &expected {
        assert!(
            (totals[user] - hours).abs() < 1e-9,
            "{user}: {} vs {hours}",
            totals[user]
        );
    }
    assert!(
        periods[0]
            .people
            .iter()
            .any(|p| p.over_threshold > Some(0.0)),
        "some people work more than 212 hours in 28 days"
    );
    // The day before June is read too, for the shifts that reach into it.
    let requests = api.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .any(|r| r.url.query().unwrap().contains("start=2025-05-31")),
        "{requests:?}"
    );
}
