//! What changed since the last look, against the sandbox: a write between two looks
//! comes out as exactly that change (and changes the answer's `ETag`), an unchanged
//! window costs only `304`s, a sliding window keeps working across midnight; and
//! against wiremock, a server that sends no validators.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crewsense::Client;
use crewsense::changes::{ChangeSet, PlacedShift, ShiftChange, ShiftField, TimeOffChange, Window};
use crewsense::ids::{ShiftId, TimeOffId};
use crewsense::poll::{Polled, Validator};
use crewsense::time::{Date, DateRange, LocalDateTime};
use crewsense::types::{CreateShiftRequest, CreateTimeOffRequest, UpdateShiftRequest};
use crewsense::wire::Id;
use crewsense_sandbox::Sandbox;
use crewsense_tests::{date, sandbox_client, static_client};
use futures::TryStreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

const SCHEDULE: &str = "GET /schedule";

fn at(text: &str) -> LocalDateTime {
    text.parse().unwrap()
}

fn two_weeks() -> DateRange {
    DateRange::from(date("2025-06-02")..date("2025-06-16"))
}

async fn sandbox() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox_client(&sandbox).build().unwrap();
    (sandbox, client)
}

/// A shift of the baseline, to book new shifts like it (its assignment, person and
/// work type exist).
fn a_seeded_shift(baseline: &ChangeSet) -> PlacedShift {
    baseline
        .days
        .iter()
        .flat_map(|d| &d.shifts)
        .find_map(|c| match c {
            ShiftChange::Added(s) => Some(s.clone()),
            _ => None,
        })
        .expect("the sandbox has shifts in June")
}

/// Books a shift like `like` on `day`, 10:00 to 14:00; its id.
async fn book(client: &Client, like: &PlacedShift, day: &str) -> Id {
    let shift = CreateShiftRequest {
        assignment_id: like.assignment_id.unwrap(),
        date: date(day),
        start: at(&format!("{day} 10:00:00")),
        end: at(&format!("{day} 14:00:00")),
        user_id: like.shift.user.as_ref().unwrap().id.unwrap(),
        work_type_id: like.shift.work_type.as_ref().unwrap().id.unwrap(),
        from_callback: None,
        labels: Vec::new(),
        notes: None,
        qualifiers: Vec::new(),
        traded_with: None,
        work_subtype_id: None,
    };
    client.create_shift(shift).await.unwrap().id.unwrap()
}

/// The one change of a look that changed one day.
fn only_day(set: &ChangeSet) -> &crewsense::changes::DayChanges {
    assert!(!set.baseline && set.entered.is_empty() && set.left.is_empty());
    match set.days.as_slice() {
        [day] => day,
        other => panic!("expected one day of changes, got {other:#?}"),
    }
}

#[tokio::test]
async fn a_shift_written_between_two_looks_is_exactly_that_change() {
    let (_sandbox, client) = sandbox().await;
    let mut watch = client.schedule_changes(two_weeks());
    let baseline = watch.look().await.unwrap();
    assert!(baseline.baseline);
    assert_eq!(baseline.entered, two_weeks().dates().collect::<Vec<_>>());
    let like = a_seeded_shift(&baseline);

    let id = book(&client, &like, "2025-06-10").await;
    let set = watch.look().await.unwrap();
    let day = only_day(&set);
    assert_eq!(day.date, date("2025-06-10"));
    assert!(day.time_off.is_empty());
    let [ShiftChange::Added(added)] = day.shifts.as_slice() else {
        panic!("one added shift: {day:#?}");
    };
    assert_eq!(added.shift.id, Some(id));
    assert_eq!(added.assignment_id, like.assignment_id);
    assert_eq!(
        added.shift.user.as_ref().unwrap().id,
        like.shift.user.as_ref().unwrap().id
    );
    assert_eq!(added.shift.start, Some(at("2025-06-10 10:00:00")));
    assert_eq!(added.shift.end, Some(at("2025-06-10 14:00:00")));

    let later: UpdateShiftRequest = serde_json::from_value(json!({
        "date": "2025-06-10", "start": "2025-06-10 12:00:00", "end": "2025-06-10 16:00:00"
    }))
    .unwrap();
    client.update_shift(ShiftId::from(id), later).await.unwrap();
    let set = watch.look().await.unwrap();
    let [
        ShiftChange::Changed {
            fields,
            before,
            after,
        },
    ] = only_day(&set).shifts.as_slice()
    else {
        panic!("one changed shift: {set:#?}");
    };
    assert_eq!(fields, &[ShiftField::Start, ShiftField::End]);
    assert_eq!(before.shift.start, Some(at("2025-06-10 10:00:00")));
    assert_eq!(after.shift.start, Some(at("2025-06-10 12:00:00")));

    client.delete_shift(ShiftId::from(id)).await.unwrap();
    let set = watch.look().await.unwrap();
    assert!(matches!(
        only_day(&set).shifts.as_slice(),
        [ShiftChange::Removed(gone)] if gone.shift.id == Some(id)
    ));
    assert!(watch.look().await.unwrap().is_empty());
}

#[tokio::test]
async fn time_off_approved_between_two_looks_is_exactly_that_change() {
    let (_sandbox, client) = sandbox().await;
    let mut watch = client.schedule_changes(two_weeks());
    let baseline = watch.look().await.unwrap();
    let user = a_seeded_shift(&baseline).shift.user.unwrap().id.unwrap();
    let request = CreateTimeOffRequest {
        user_id: user,
        time_off_type_id: Id(16248),
        start_date: at("2025-06-11 08:00:00"),
        end_date: at("2025-06-12 08:00:00"),
        admin_ids: Vec::new(),
        status: None,
        user_note: None,
    };

    // Pending time off is not on the schedule: nothing changed.
    let id = client.create_time_off(request).await.unwrap().id.unwrap();
    assert!(watch.look().await.unwrap().is_empty());

    client.approve_time_off(TimeOffId::from(id)).await.unwrap();
    let set = watch.look().await.unwrap();
    let day = only_day(&set);
    assert_eq!(day.date, date("2025-06-11"));
    assert!(day.shifts.is_empty());
    let [TimeOffChange::Added(added)] = day.time_off.as_slice() else {
        panic!("one added time off: {day:#?}");
    };
    assert_eq!(added.id, Some(id));
    assert_eq!(added.user.as_ref().unwrap().id, Some(user));

    client.delete_time_off(TimeOffId::from(id)).await.unwrap();
    let set = watch.look().await.unwrap();
    assert!(matches!(
        only_day(&set).time_off.as_slice(),
        [TimeOffChange::Removed(gone)] if gone.id == Some(id)
    ));
}

/// The validator of the current answer for `range`.
async fn validator(client: &Client, range: DateRange) -> Validator {
    match client
        .schedule_if_changed(range, &Validator::default())
        .await
        .unwrap()
    {
        Polled::Changed { validator, .. } => validator,
        Polled::Unchanged => unreachable!("nothing conditional was sent"),
    }
}

#[tokio::test]
async fn shift_and_time_off_writes_change_the_schedules_etag() {
    let (_sandbox, client) = sandbox().await;
    let week = DateRange::week(date("2025-06-09"));
    let first = validator(&client, week).await;
    assert!(first.etag().is_some());
    let unchanged = client.schedule_if_changed(week, &first).await.unwrap();
    assert_eq!(unchanged, Polled::Unchanged);

    let like = a_seeded_shift(&client.schedule_changes(week).look().await.unwrap());
    book(&client, &like, "2025-06-10").await;
    let after_shift = validator(&client, week).await;
    assert_ne!(after_shift.etag(), first.etag());

    let user = like.shift.user.unwrap().id.unwrap();
    let approved = CreateTimeOffRequest {
        user_id: user,
        time_off_type_id: Id(16248),
        start_date: at("2025-06-12 08:00:00"),
        end_date: at("2025-06-13 08:00:00"),
        admin_ids: Vec::new(),
        status: Some(1),
        user_note: None,
    };
    client.create_time_off(approved).await.unwrap();
    let after_time_off = validator(&client, week).await;
    assert_ne!(after_time_off.etag(), after_shift.etag());
    assert!(matches!(
        client
            .schedule_if_changed(week, &after_shift)
            .await
            .unwrap(),
        Polled::Changed { .. }
    ));
}

#[tokio::test]
async fn an_unchanged_window_costs_only_304s() {
    let (sandbox, client) = sandbox().await;
    // Two calendar months: two requests a look, each with its own validator.
    let window = DateRange::from(date("2025-06-23")..date("2025-07-07"));
    let mut watch = client.schedule_changes(window);
    watch.look().await.unwrap();
    sandbox.reset_counters();
    for _ in 0..3 {
        let set = watch.look().await.unwrap();
        assert!(set.is_empty(), "{set:#?}");
    }
    assert_eq!(sandbox.requests(SCHEDULE), 6);
    assert_eq!(sandbox.not_modified(), 6);
}

#[tokio::test]
async fn a_sliding_window_compares_the_days_it_keeps_and_adds_the_days_that_enter() {
    let (sandbox, client) = sandbox().await;
    let today = Arc::new(Mutex::new(date("2025-06-02")));
    let clock = today.clone();
    let mut watch = client.schedule_changes(Window::sliding(3, move || *clock.lock().unwrap()));
    let baseline = watch.look().await.unwrap();
    assert_eq!(
        baseline.window,
        DateRange::from(date("2025-06-02")..date("2025-06-05"))
    );
    let like = a_seeded_shift(&baseline);

    // Midnight passes, and a shift is booked on a day the window keeps.
    *today.lock().unwrap() = date("2025-06-03");
    let id = book(&client, &like, "2025-06-04").await;
    let set = watch.look().await.unwrap();
    assert!(!set.baseline);
    assert_eq!(set.left, [date("2025-06-02")]);
    assert_eq!(set.entered, [date("2025-06-05")]);
    let dates: Vec<Date> = set.days.iter().map(|d| d.date).collect();
    assert_eq!(dates, [date("2025-06-04"), date("2025-06-05")]);
    assert!(matches!(
        set.days[0].shifts.as_slice(),
        [ShiftChange::Added(s)] if s.shift.id == Some(id)
    ));
    let entered = &client
        .schedule(DateRange::day(date("2025-06-05")))
        .await
        .unwrap();
    let on_entered_day = entered
        .iter()
        .flat_map(|(_, d)| d.assignments.iter().flatten())
        .flat_map(|a| a.shifts.iter().flatten())
        .count();
    assert!(on_entered_day > 0);
    assert_eq!(set.days[1].shifts.len(), on_entered_day);
    assert!(
        set.days[1]
            .shifts
            .iter()
            .all(|c| matches!(c, ShiftChange::Added(_)))
    );

    // Across the end of the month the window takes two requests; once it stops
    // moving, both are answered 304.
    *today.lock().unwrap() = date("2025-06-29");
    let set = watch.look().await.unwrap();
    assert_eq!(set.left.len(), 3);
    assert_eq!(set.entered.len(), 3);
    sandbox.reset_counters();
    assert!(watch.look().await.unwrap().is_empty());
    assert_eq!((sandbox.requests(SCHEDULE), sandbox.not_modified()), (2, 2));
}

#[tokio::test]
async fn the_stream_yields_the_baseline_then_the_first_look_that_found_a_change() {
    let (sandbox, client) = sandbox().await;
    let sandbox = Arc::new(sandbox);
    let mut changes = client
        .schedule_changes(two_weeks())
        .every(Duration::from_millis(10))
        .stream();
    let baseline = changes.try_next().await.unwrap().unwrap();
    assert!(baseline.baseline);
    let like = a_seeded_shift(&baseline);
    // The write comes once a few looks have found nothing; the stream yields none
    // of those.
    let writer = tokio::spawn({
        let (client, sandbox) = (client.clone(), sandbox.clone());
        async move {
            while sandbox.not_modified() < 3 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            book(&client, &like, "2025-06-12").await
        }
    });
    let set = changes.try_next().await.unwrap().unwrap();
    let id = writer.await.unwrap();
    assert!(matches!(
        only_day(&set).shifts.as_slice(),
        [ShiftChange::Added(s)] if s.shift.id == Some(id)
    ));
}

/// A `/schedule` that answers the current body of `days`, without validators.
struct NoValidators(Arc<Mutex<Value>>);

impl Respond for NoValidators {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let days = self.0.lock().unwrap().clone();
        ResponseTemplate::new(200).set_body_json(json!({ "days": days }))
    }
}

#[tokio::test]
async fn without_validators_each_look_rereads_and_compares_and_says_so_once() {
    let api = MockServer::start().await;
    let shift = |id: u64| json!({"id": id, "user": {"id": 5}, "start": "2025-06-02 08:00:00", "end": "2025-06-03 08:00:00"});
    let days = Arc::new(Mutex::new(json!({
        "2025-06-02": {"assignments": [{"id": 1, "shifts": [shift(10)]}]}
    })));
    Mock::given(method("GET"))
        .and(path("/v1/schedule"))
        .respond_with(NoValidators(days.clone()))
        .mount(&api)
        .await;
    let client = static_client(&api.uri());
    let mut watch = client.schedule_changes(DateRange::week(date("2025-06-02")));

    let baseline = watch.look().await.unwrap();
    assert!(baseline.baseline && baseline.without_validators);
    *days.lock().unwrap() = json!({
        "2025-06-02": {"assignments": [{"id": 1, "shifts": [shift(10), shift(11)]}]}
    });
    let set = watch.look().await.unwrap();
    assert!(!set.without_validators, "said once");
    assert!(matches!(
        only_day(&set).shifts.as_slice(),
        [ShiftChange::Added(s)] if s.shift.id == Some(Id(11))
    ));
    assert!(watch.look().await.unwrap().is_empty());

    let requests = api.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| !r.headers.contains_key("if-none-match"))
    );
}
