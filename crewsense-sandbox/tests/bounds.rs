//! The sandbox's bounds: an absurd request gets a prompt 4xx in the API's error
//! shape, and never starves the requests beside it.

mod common;

use std::time::{Duration, Instant};

use common::Harness;
use reqwest::Method;
use serde_json::{Value, json};

/// The peak resident set of this process so far (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM line")
}

fn assert_invalid(status: u16, body: &Value, needle: &str) {
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "invalid_params", "{body}");
    let messages = body["error_message"].as_array().expect("array of messages");
    assert!(
        messages
            .iter()
            .any(|m| m.as_str().is_some_and(|m| m.contains(needle))),
        "no message with {needle:?}: {body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_year_schedule_is_refused_at_once_while_another_request_is_served() {
    let h = Harness::start().await;
    let before = peak_rss_kib();
    let started = Instant::now();
    let absurd = h.get("/schedule?start=2025-01-22 08:00:00&end=3090-09-17 15:00:00");
    let other = h.get("/time_off_types");
    let ((status, body), (other_status, _)) = tokio::join!(absurd, other);
    let elapsed = started.elapsed();

    assert_invalid(
        status,
        &body,
        "end must be a date between 1900-01-01 and 2199-12-31",
    );
    assert_eq!(other_status, 200);
    assert_eq!(h.sandbox.requests("GET /schedule"), 1);
    assert_eq!(h.sandbox.requests("GET /time_off_types"), 1);
    // Generous: the refusal takes microseconds; rendering the range took minutes.
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    let grown_mib = peak_rss_kib().saturating_sub(before) / 1024;
    assert!(grown_mib < 256, "peak memory grew by {grown_mib} MiB");
}

#[tokio::test]
async fn the_longest_schedule_period_is_answered_and_one_day_more_is_refused() {
    let h = Harness::start().await;
    let (status, body) = h
        .get("/schedule?start=2025-04-01 00:00:00&end=2025-07-03 00:00:00")
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["days"].as_object().map(|d| d.len()), Some(93));
    for end in ["2025-07-03 00:00:01", "2199-12-31 23:59:59"] {
        let (status, body) = h
            .get(&format!("/schedule?start=2025-04-01 00:00:00&end={end}"))
            .await;
        assert_invalid(status, &body, "may not be longer than 93 days");
    }
}

#[tokio::test]
async fn every_range_longer_than_a_year_is_refused() {
    let h = Harness::start().await;
    let range = "start=2025-01-01 00:00:00&end=2026-01-03 00:00:00";
    for path in ["/time_offs", "/payroll", "/availability_periods"] {
        let (status, body) = h.get(&format!("{path}?{range}")).await;
        assert_invalid(status, &body, "may not be longer than 366 days");
        let (status, _) = h
            .get(&format!(
                "{path}?start=2025-01-01 00:00:00&end=2026-01-02 00:00:00"
            ))
            .await;
        assert_eq!(status, 200, "{path} refuses a year");
    }
    let (status, body) = h.get("/day_labels?start=2025-01-01&end=2030-01-01").await;
    assert_invalid(status, &body, "may not be longer than 366 days");
}

#[tokio::test]
async fn a_date_outside_the_supported_years_is_refused() {
    let h = Harness::start().await;
    let (status, body) = h
        .get("/schedule?start=9999-12-31 00:00:00&end=9999-12-31 12:00:00")
        .await;
    assert_invalid(
        status,
        &body,
        "must be a date between 1900-01-01 and 2199-12-31",
    );
}

#[tokio::test]
async fn a_time_off_longer_than_a_year_is_not_stored() {
    let h = Harness::start().await;
    let body = json!({
        "user_id": 1001, "admin_ids": [1055], "time_off_type_id": 16248,
        "start_date": "2025-07-01 00:00:00", "end_date": "2199-07-01 00:00:00",
    });
    let (status, answer) = h.send(h.req(Method::POST, "/time_offs").json(&body)).await;
    assert_invalid(status, &answer, "time off may not be longer than 366 days");
}

#[tokio::test]
async fn a_batch_finalization_over_years_is_refused() {
    let h = Harness::start().await;
    let body = json!({
        "admin_id": 1055,
        "assignments": [{ "id": 1, "start": "2000-01-01", "end": "2199-12-31" }],
    });
    let (status, answer) = h
        .send(h.req(Method::POST, "/finalization").json(&body))
        .await;
    assert_invalid(status, &answer, "assignments.0 range may not be longer");
}

#[tokio::test]
async fn an_overlong_text_is_refused() {
    let h = Harness::start().await;
    let body = json!({ "label": "x".repeat(10_001), "color": "#fff", "text_color": "#000" });
    let (status, answer) = h.send(h.req(Method::POST, "/labels").json(&body)).await;
    assert_invalid(status, &answer, "may not be greater than 10000 characters");
}

fn assert_too_large(status: u16, answer: &Value) {
    assert_eq!(status, 413, "{answer}");
    assert_eq!(answer["error"], "payload_too_large");
    assert_eq!(answer["status"], 413);
    assert_eq!(
        answer["error_message"],
        "The request body may not be larger than 1048576 bytes."
    );
}

#[tokio::test]
async fn a_body_one_byte_over_a_mebibyte_is_refused_with_413() {
    let h = Harness::start().await;
    let label = "x".repeat((1 << 20) - 46);
    let body = json!({ "label": label, "color": "#fff", "text_color": "#000" }).to_string();
    assert_eq!(body.len(), (1 << 20) + 1);
    let request = h
        .req(Method::POST, "/labels")
        .header("content-type", "application/json");
    let (status, answer) = h.send(request.body(body)).await;
    assert_too_large(status, &answer);
    assert_eq!(h.sandbox.requests("POST /labels"), 1, "it is counted");
}

#[tokio::test]
async fn a_body_streamed_far_over_the_limit_without_a_length_is_refused_with_413() {
    let h = Harness::start().await;
    let forty_mebibytes =
        futures::stream::iter((0..40).map(|_| Ok::<_, std::io::Error>(vec![b' '; 1 << 20])));
    let request = h
        .req(Method::POST, "/labels")
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(forty_mebibytes));
    let (status, answer) = h.send(request).await;
    assert_too_large(status, &answer);
}

#[tokio::test]
async fn a_qualifier_added_after_one_ranked_at_the_largest_integer_is_ranked_with_it() {
    let h = Harness::start().await;
    let top = json!({ "id": 9870, "ranking": i64::MAX });
    let req = h.req(Method::POST, "/users/1001/qualifiers").json(&top);
    assert_eq!(h.send(req).await.0, 201);
    let req = h
        .req(Method::POST, "/users/1001/qualifiers")
        .json(&json!({ "id": 9871 }));
    let (status, answer) = h.send(req).await;
    assert_eq!(status, 201, "{answer}");
    let (status, held) = h.get("/users/1001/qualifiers").await;
    assert_eq!(status, 200);
    let rankings: Vec<&Value> = held
        .as_array()
        .expect("qualifiers")
        .iter()
        .filter(|q| q["id"] == 9870 || q["id"] == 9871)
        .map(|q| &q["ranking"])
        .collect();
    assert_eq!(rankings.len(), 2, "{held}");
    assert!(
        rankings.iter().all(|r| r.as_i64() == Some(i64::MAX)),
        "{held}"
    );
}

#[tokio::test]
async fn an_accrual_adjustment_past_the_largest_number_is_refused_and_changes_nothing() {
    let h = Harness::start().await;
    let path = "/users/1001/timeoff/accrual/bank/16248";
    let adjust = |hours: f64| {
        h.req(Method::POST, path)
            .json(&json!({ "time_off_type_id": 16248, "hours": hours, "admin_id": 1055 }))
    };
    assert_eq!(h.send(adjust(f64::MAX)).await.0, 200);
    let (status, answer) = h.send(adjust(f64::MAX)).await;
    assert_invalid(status, &answer, "hours must be a number");
    let (_, banks) = h.get("/users/1001/timeoff/accrual/bank").await;
    let bank = banks
        .as_array()
        .expect("banks")
        .iter()
        .find(|b| b["time_off_type"]["id"] == "16248")
        .expect("the adjusted bank");
    assert!(bank["hours"].as_f64().is_some_and(f64::is_finite), "{bank}");
}
