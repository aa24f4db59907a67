//! The typed shortcuts send the documented requests and read the documented answers.

mod common;

use common::*;
use crewsense::Client;
use crewsense::ids::{ShiftId, SignupEventId, TimeOffId, UserId};
use crewsense::time::DateRange;
use crewsense::time::{Date, LocalDateTime};
use crewsense::types::{
    CreateShiftRequest, CreateTimeOffRequest, FinalizationBatchItem, FinalizationBatchRequest,
    UpdateShiftRequest,
};
use crewsense::wire::Id;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_with_token() -> (MockServer, Client) {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1"]).await;
    let client = client(&server);
    (server, client)
}

fn ok(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn at(text: &str) -> LocalDateTime {
    text.parse().unwrap()
}

fn dates<T>(days: &crewsense::wire::DateMap<T>) -> Vec<String> {
    days.iter().map(|(d, _)| d.to_string()).collect()
}

#[tokio::test]
async fn the_schedule_asks_for_a_half_open_window_and_returns_days_in_order() {
    let (server, client) = server_with_token().await;
    // Production sends an object keyed by date; this one lists its days out of order.
    Mock::given(method("GET"))
        .and(path("/v1/schedule"))
        .and(query_param("start", "2025-06-01 00:00:00"))
        .and(query_param("end", "2025-06-04 00:00:00"))
        .respond_with(ok(fixture("schedule_production_3_days.json")))
        .expect(1)
        .mount(&server)
        .await;

    let days = client
        .schedule(date("2025-06-01")..date("2025-06-04"))
        .await
        .unwrap();

    assert_eq!(dates(&days), ["2025-06-01", "2025-06-02", "2025-06-03"]);
    let first = days.get(&date("2025-06-01")).unwrap();
    assert!(first.day_color.is_some());
    assert_eq!(first.assignments.as_ref().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_schedule_reads_the_reference_array_shape_too() {
    let (server, client) = server_with_token().await;
    let mut answer = fixture("002_get_schedule_response.json");
    let mut earlier = answer["days"][0].clone();
    earlier["date"] = "2015-03-14".into();
    answer["days"].as_array_mut().unwrap().push(earlier);
    Mock::given(path("/v1/schedule"))
        .respond_with(ok(answer))
        .mount(&server)
        .await;

    let days = client
        .schedule(DateRange::week(date("2015-03-14")))
        .await
        .unwrap();

    assert_eq!(dates(&days), ["2015-03-14", "2015-03-15"]);
}

#[tokio::test]
async fn users_are_listed_and_read() {
    let (server, client) = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(ok(fixture("046_get_users_response.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/users/1234"))
        .respond_with(ok(fixture("047_get_users_user_id_response.json")))
        .mount(&server)
        .await;

    let users = client.users().await.unwrap();
    let one = client.user(UserId::new(1234)).await.unwrap();

    assert_eq!(users[0].employee_id.as_deref(), Some("DEV123"));
    assert_eq!(one.user_id, Some(Id(1234)));
}

#[tokio::test]
async fn finding_by_employee_id_accepts_an_object_a_list_or_not_found() {
    let user = fixture("047_get_users_user_id_response.json");
    let mut other = user.clone();
    other["employee_id"] = "DEV999".into();
    let answers = [
        (ok(user.clone()), Some(1234)),
        (ok(json!([other, user])), Some(1234)),
        (ok(json!([])), None),
        (
            ResponseTemplate::new(404)
                .set_body_json(fixture("014_post_finalization_response_404.json")),
            None,
        ),
    ];
    for (answer, expected) in answers {
        let (server, client) = server_with_token().await;
        Mock::given(path("/v1/users"))
            .and(query_param("employee_id", "DEV123"))
            .respond_with(answer)
            .mount(&server)
            .await;

        let found = client.user_by_employee_id("DEV123").await.unwrap();

        assert_eq!(found.and_then(|u| u.user_id), expected.map(Id));
    }
}

#[tokio::test]
async fn finalization_reports_partial_failures_as_data() {
    let (server, client) = server_with_token().await;
    let batch = FinalizationBatchRequest {
        admin_id: Id(34942),
        assignments: vec![FinalizationBatchItem {
            id: Id(882),
            dates: vec![],
            start: Some(date("2018-12-01")),
            end: Some(date("2018-12-05")),
        }],
    };
    Mock::given(method("POST"))
        .and(path("/v1/finalization"))
        .and(body_json(json!({"admin_id": 34942, "assignments": [{"id": 882, "start": "2018-12-01", "end": "2018-12-05"}]})))
        .respond_with(ok(fixture("012_post_finalization_response.json")))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/finalization"))
        .respond_with(ok(fixture("011_post_finalization_response.json")))
        .mount(&server)
        .await;

    let partial = client.finalize(batch.clone()).await.unwrap();
    assert!(!partial.is_complete());
    assert_eq!(
        partial.succeeded,
        ["Assignment (#882) finalized on 2018-12-01."]
    );
    assert_eq!(partial.failed.len(), 1);
    assert_eq!(partial.failed[0].assignment, Some(Id(882)));
    assert_eq!(partial.failed[0].date, Some(date("2018-12-05")));

    let complete = client.unfinalize(batch).await.unwrap();
    assert!(complete.is_complete());
    assert_eq!(
        complete.message.as_deref(),
        Some("All finaliziations processed successfully.")
    );
}

#[tokio::test]
async fn shifts_are_created_updated_and_deleted() {
    let (server, client) = server_with_token().await;
    let created = json!({"success": true, "code": 201, "status": "created", "message": "Shift created", "id": 77});
    let shift = CreateShiftRequest {
        assignment_id: Id(1234),
        date: date("2025-06-01"),
        start: at("2025-06-01 08:00:00"),
        end: at("2025-06-02 08:00:00"),
        user_id: Id(84),
        work_type_id: Id(1),
        from_callback: None,
        labels: vec![],
        notes: None,
        qualifiers: vec![Id(7)],
        traded_with: None,
        work_subtype_id: None,
    };
    let update = UpdateShiftRequest {
        date: date("2025-06-01"),
        start: at("2025-06-01 09:00:00"),
        end: at("2025-06-02 08:00:00"),
        assignment_id: None,
        from_callback: None,
        labels: vec![],
        notes: Some("late start".into()),
        qualifiers: vec![],
        traded_with: None,
        user_id: None,
        work_subtype_id: None,
        work_type_id: None,
    };
    Mock::given(method("POST"))
        .and(path("/v1/shifts"))
        .and(body_json(serde_json::to_value(&shift).unwrap()))
        .respond_with(ok(created))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1/shifts/77"))
        .and(body_json(serde_json::to_value(&update).unwrap()))
        .respond_with(ok(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/shifts/77"))
        .respond_with(ok(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;

    let answer = client.create_shift(shift).await.unwrap();
    assert_eq!(answer.id, Some(Id(77)));
    client.update_shift(ShiftId::new(77), update).await.unwrap();
    client.delete_shift(ShiftId::new(77)).await.unwrap();
}

#[tokio::test]
async fn time_off_is_requested_approved_denied_and_deleted() {
    let (server, client) = server_with_token().await;
    let request = CreateTimeOffRequest {
        user_id: Id(84),
        time_off_type_id: Id(3),
        start_date: at("2025-07-01 08:00:00"),
        end_date: at("2025-07-02 08:00:00"),
        admin_ids: vec![Id(1)],
        status: None,
        user_note: None,
    };
    let done = ok(fixture("031_delete_time_offs_id_response.json"));
    Mock::given(method("POST"))
        .and(path("/v1/time_offs"))
        .and(body_json(serde_json::to_value(&request).unwrap()))
        .respond_with(ok(json!({"success": true, "id": 9})))
        .expect(1)
        .mount(&server)
        .await;
    for (verb, at) in [
        ("POST", "/v1/time_offs/9/approve"),
        ("POST", "/v1/time_offs/9/deny"),
        ("DELETE", "/v1/time_offs/9"),
    ] {
        Mock::given(method(verb))
            .and(path(at))
            .respond_with(done.clone())
            .expect(1)
            .mount(&server)
            .await;
    }

    assert_eq!(
        client.create_time_off(request).await.unwrap().id,
        Some(Id(9))
    );
    client.approve_time_off(TimeOffId::new(9)).await.unwrap();
    client.deny_time_off(TimeOffId::new(9)).await.unwrap();
    let deleted = client.delete_time_off(TimeOffId::new(9)).await.unwrap();
    assert_eq!(
        deleted.message.as_deref(),
        Some("Time Off removed successfully.")
    );
}

#[tokio::test]
async fn signup_events_and_their_users() {
    let (server, client) = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/v1/signup_events"))
        .respond_with(ok(fixture("072_get_signup_events_response.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/signup_events/5/users"))
        .respond_with(ok(fixture("076_get_signup_events_id_users_response.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/signup_events/5/users"))
        .and(body_json(json!({"user_id": 848})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture("077_post_signup_events_id_users_response_201.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/signup_events/5/users/848"))
        .respond_with(ok(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;

    let events = client.signup_events().await.unwrap();
    assert_eq!(events[0].id, Some(Id(5)));
    let users = client
        .signup_event_users(SignupEventId::new(5))
        .await
        .unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(
        client
            .add_signup_event_user(SignupEventId::new(5), UserId::new(848))
            .await
            .unwrap()
            .id,
        Some(Id(7))
    );
    client
        .remove_signup_event_user(SignupEventId::new(5), UserId::new(848))
        .await
        .unwrap();
}
