//! The client's methods against the sandbox, compared with the pure functions on the
//! schedule the same sandbox answers, and the sandbox department's short days.

use std::sync::Arc;
use std::time::Duration;

use crewsense::Client;
use crewsense::directory::Match;
use crewsense::roster::roster_at;
use crewsense::staffing::{short_intervals, staffing_at};
use crewsense::time::{Date, DateRange};
use crewsense::types::CreateUserRequest;
use crewsense::wire::DateMap;
use crewsense_sandbox::Sandbox;

use super::at;

fn client(sandbox: &Sandbox, max_age: Duration) -> Client {
    Client::builder()
        .client_credentials(sandbox.client_id(), sandbox.client_secret())
        .base_url(sandbox.base_url())
        .directory_max_age(max_age)
        .build()
        .unwrap()
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

#[tokio::test]
async fn roster_and_staffing_at_an_instant_are_the_pure_answers_on_the_same_schedule() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, Duration::from_secs(600));
    let t = at("2025-06-03 07:30:00");
    let roster = client.roster_at(t).await.unwrap();
    let schedule = client
        .schedule(date("2025-06-02")..date("2025-06-04"))
        .await
        .unwrap();
    let mut expected = roster_at(&schedule, t);
    expected.fill_employee_ids(&client.directory().await.unwrap());
    assert_eq!(roster, expected);
    assert!(roster.crews.iter().flat_map(|c| &c.on_duty).all(|d| {
        d.start.to_string() == "2025-06-02 08:00:00" && d.person.employee_id.is_some()
    }));
    assert!(roster.crews.len() >= 8);
    assert_eq!(
        client.staffing_at(t).await.unwrap(),
        staffing_at(&schedule, t)
    );
}

#[tokio::test]
async fn a_week_of_short_intervals_is_the_pure_answer_and_shows_the_seeded_gaps() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, Duration::from_secs(600));
    let week = DateRange::new(date("2025-06-01"), date("2025-06-08"));
    let short = client.staffing(week).await.unwrap();
    let around: DateMap<_> = DateMap(
        client
            .schedule_days(
                DateRange::new(date("2025-05-31"), date("2025-06-09")),
                crewsense::paginate::Period::Week,
            )
            .collect()
            .await
            .unwrap()
            .into_iter()
            .collect(),
    );
    assert_eq!(short, short_intervals(&around, week));
    let seen = |name: &str, from: &str, to: &str| {
        short.iter().find(|s| {
            s.assignment.name.as_deref() == Some(name) && s.from == at(from) && s.to == at(to)
        })
    };
    let sick =
        seen("E2", "2025-06-03 08:00:00", "2025-06-04 08:00:00").expect("E2 without its engineer");
    assert_eq!(
        sick.missing.to_string(),
        "1 person below minimum; unfilled: ENG"
    );
    let early = seen("E3", "2025-06-04 13:00:00", "2025-06-04 17:00:00")
        .expect("E3 between leave and relief");
    assert_eq!(early.on_duty, 2);
    let covered = seen("E1", "2025-06-05 08:00:00", "2025-06-06 08:00:00")
        .expect("E1 with a firefighter for an engineer");
    assert_eq!(
        (covered.on_duty, covered.minimum, covered.unfilled_seats),
        (3, 3, 1)
    );
    assert_eq!(covered.missing.to_string(), "unfilled: ENG");
    let friday = seen(
        "Fire Prevention",
        "2025-06-06 12:00:00",
        "2025-06-06 17:00:00",
    )
    .expect("the part-time Friday");
    assert_eq!(friday.missing.to_string(), "1 person below minimum");
}

#[tokio::test]
async fn the_directory_is_read_once_revalidated_when_old_and_refreshed_on_request() {
    let sandbox = Sandbox::start().await.unwrap();
    let kept = client(&sandbox, Duration::from_secs(600));
    let first = kept.directory().await.unwrap();
    let again = kept.clone().directory().await.unwrap();
    assert!(Arc::ptr_eq(&first, &again), "clones share one directory");
    assert_eq!(sandbox.requests("GET /users"), 1);

    let user = first.users()[0].clone();
    let name = user.full_name.clone().unwrap();
    let found = first.find(&name).one().unwrap();
    assert_eq!(found.user_id, user.user_id);
    let employee = user.employee_id.clone().unwrap().to_lowercase();
    assert_eq!(first.find(&employee).one().unwrap().user_id, user.user_id);

    // Unchanged: asked again with the validator, answered 304, the same directory kept.
    let refreshed = kept.refresh_directory().await.unwrap();
    assert!(Arc::ptr_eq(&first, &refreshed));
    assert_eq!(
        (sandbox.requests("GET /users"), sandbox.not_modified()),
        (2, 1)
    );

    // A second person of the same name: every read of an old directory asks again.
    let twin = CreateUserRequest {
        first_name: user.first_name.clone().unwrap(),
        last_name: user.last_name.clone().unwrap(),
        mail: "twin@sandboxvalleyfire.example".to_owned(),
        username: "twin".to_owned(),
        employee_id: Some("E9999".to_owned()),
        date_of_birth: None,
        date_of_hire: None,
        full_name: None,
        password: None,
        phone: None,
        phone_numbers: None,
        role: None,
    };
    kept.call(async |api| api.create_user().body(twin.clone()).send().await)
        .await
        .unwrap();
    assert!(
        matches!(kept.directory().await.unwrap().find(&name), Match::One(_)),
        "still cached"
    );
    let eager = client(&sandbox, Duration::ZERO);
    match eager.directory().await.unwrap().find(&name) {
        Match::Ambiguous(both) => assert_eq!(both.len(), 2),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        kept.refresh_directory().await.unwrap().find(&name),
        Match::Ambiguous(_)
    ));
}
