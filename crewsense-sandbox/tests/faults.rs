//! Fault injection, latency, token expiry and counters.

mod common;

use std::time::{Duration, Instant};

use common::Harness;
use crewsense_sandbox::{Fault, Sandbox};
use reqwest::Method;
use reqwest::header::{ETAG, IF_NONE_MATCH};

#[tokio::test]
async fn status_faults_then_recovery() {
    let h = Harness::start().await;
    h.sandbox
        .fail_next("GET /users/{user_id}", 2, Fault::Status(503));
    assert_eq!(h.sandbox.pending_faults("GET /v1/users/{user_id}"), 2);
    let (status, body) = h.get("/users/1001").await;
    assert_eq!((status, body["status"].as_u64()), (503, Some(503)));
    assert_eq!(h.get("/users/1002").await.0, 503);
    assert_eq!(h.get("/users/1001").await.0, 200);
    assert_eq!(h.get("/users").await.0, 200, "other routes are untouched");

    h.sandbox.fail_next("GET /users", 1, Fault::Status(500));
    assert_eq!(h.get("/users").await.0, 500);
}

#[tokio::test]
async fn rate_limits_carry_retry_after() {
    let h = Harness::start().await;
    h.sandbox.fail_next("GET /company", 1, Fault::Status(429));
    h.sandbox
        .fail_next("GET /company", 1, Fault::RateLimited { retry_after: 7 });
    for expected in ["1", "7"] {
        let resp = h.req(Method::GET, "/company").send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 429);
        assert_eq!(resp.headers()["retry-after"], expected);
    }
}

#[tokio::test]
async fn bad_gateway_is_html() {
    let h = Harness::start().await;
    h.sandbox.fail_next("*", 1, Fault::Status(502));
    let resp = h.req(Method::GET, "/groups").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 502);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(resp.text().await.unwrap().contains("502 Bad Gateway"));
}

#[tokio::test]
async fn malformed_and_truncated_json() {
    let h = Harness::start().await;
    h.sandbox.fail_next("GET /groups", 1, Fault::MalformedJson);
    h.sandbox.fail_next("GET /groups", 1, Fault::TruncatedJson);
    for _ in 0..2 {
        let resp = h.req(Method::GET, "/groups").send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        let text = resp.text().await.unwrap();
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_err(),
            "{text}"
        );
    }
    let (_, whole) = h.get("/groups").await;
    assert!(whole.is_array());
}

#[tokio::test]
async fn disconnect_mid_body() {
    let h = Harness::start().await;
    h.sandbox.fail_next("GET /users", 1, Fault::Disconnect);
    let resp = h.req(Method::GET, "/users").send().await.unwrap();
    let declared = resp.content_length().unwrap();
    assert!(declared > 1000);
    assert!(resp.bytes().await.is_err(), "the body is cut off");
    assert_eq!(h.get("/users").await.0, 200);
}

#[tokio::test]
async fn status_after_handling_keeps_the_write() {
    let h = Harness::start().await;
    let (_, before) = h.get("/labels").await;
    h.sandbox
        .fail_next("POST /labels", 1, Fault::StatusAfterHandling(503));
    let label =
        serde_json::json!({"label": "Stored anyway", "color": "#112233", "text_color": "#ffffff"});
    let (status, body) = h.send(h.req(Method::POST, "/labels").json(&label)).await;
    assert_eq!((status, body["status"].as_u64()), (503, Some(503)));
    let (_, after) = h.get("/labels").await;
    let labels = after.as_array().unwrap();
    assert_eq!(labels.len(), before.as_array().unwrap().len() + 1);
    assert!(labels.iter().any(|l| l["label"] == "Stored anyway"));
}

#[tokio::test]
async fn slow_body_sends_half_then_waits() {
    let h = Harness::start().await;
    let pause = Duration::from_millis(150);
    h.sandbox.fail_next("GET /users", 1, Fault::SlowBody(pause));
    // Timed from the request on: the server's pause lies within it however late
    // this task is scheduled (timing from the headers flaked on a busy machine).
    let started = Instant::now();
    let resp = h.req(Method::GET, "/users").send().await.unwrap();
    let declared = resp.content_length().unwrap();
    let body = resp.bytes().await.unwrap();
    assert!(started.elapsed() >= pause);
    assert_eq!(body.len() as u64, declared);
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
}

#[tokio::test]
async fn latency_global_per_route_and_one_off() {
    let h = Harness::start().await;
    let timed = |path: &'static str| {
        let req = h.req(Method::GET, path);
        async move {
            let t = Instant::now();
            req.send().await.unwrap();
            t.elapsed()
        }
    };
    h.sandbox
        .set_route_latency("GET /groups", Duration::from_millis(150));
    assert!(timed("/groups").await >= Duration::from_millis(150));
    assert!(timed("/company").await < Duration::from_millis(150));
    h.sandbox.set_latency(Duration::from_millis(120));
    assert!(timed("/company").await >= Duration::from_millis(120));
    h.sandbox.clear_faults();
    h.sandbox
        .fail_next("GET /company", 1, Fault::Delay(Duration::from_millis(130)));
    assert!(timed("/company").await >= Duration::from_millis(130));
    assert!(timed("/company").await < Duration::from_millis(130));
}

#[tokio::test]
async fn tokens_expire_on_demand_and_by_ttl() {
    let h = Harness::start().await;
    assert_eq!(h.get("/company").await.0, 200);
    h.sandbox.expire_tokens();
    let (status, body) = h.get("/company").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized"))
    );

    h.sandbox.set_token_ttl(Duration::from_millis(100));
    let short = h.sandbox.issue_token();
    let call = || {
        h.client
            .get(format!("{}/company", h.sandbox.base_url()))
            .bearer_auth(&short)
    };
    assert_eq!(call().send().await.unwrap().status().as_u16(), 200);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(call().send().await.unwrap().status().as_u16(), 401);

    let revoked = h.sandbox.issue_token();
    assert!(h.sandbox.revoke_token(&revoked));
    h.sandbox.fail_next("GET /company", 1, Fault::Status(401));
    let fresh = common::fetch_token(&h.client, &h.sandbox).await;
    let (status, _) = h
        .send(
            h.client
                .get(format!("{}/company", h.sandbox.base_url()))
                .bearer_auth(&fresh),
        )
        .await;
    assert_eq!(status, 401, "an injected 401 answers even a valid token");
}

#[tokio::test]
async fn counters_record_routes_and_tokens() {
    let h = Harness::start().await;
    h.sandbox.reset_counters();
    h.get("/users/1001").await;
    h.get("/users/1002").await;
    h.get("/users").await;
    assert_eq!(h.sandbox.requests("GET /users/{user_id}"), 2);
    assert_eq!(h.sandbox.requests("get /v1/users"), 1);
    assert_eq!(h.sandbox.total_requests(), 3);
    assert_eq!(h.sandbox.tokens_seen(), vec![h.token.clone()]);
    let log = h.sandbox.request_log();
    assert_eq!(log[0].path_and_query, "/v1/users/1001");
    assert_eq!(log[0].status, 200);
    assert_eq!(
        h.sandbox.token_requests(),
        0,
        "reset after the harness fetched its token"
    );
    common::fetch_token(&h.client, &h.sandbox).await;
    assert_eq!(h.sandbox.token_requests(), 1);
    assert_eq!(
        h.sandbox.tokens_seen().len(),
        1,
        "a token fetch presents no bearer token"
    );
}

#[tokio::test]
async fn the_request_log_keeps_the_last_requests_while_the_counts_stay_exact() {
    let sandbox = Sandbox::builder()
        .request_log_capacity(3)
        .start()
        .await
        .unwrap();
    let h = Harness::with(sandbox).await;
    h.sandbox.reset_counters();
    let url = format!("{}/users/1001", h.sandbox.base_url());
    let refused = h.client.get(url).bearer_auth("made-up").send().await;
    assert_eq!(refused.unwrap().status(), 401);
    let first = h.req(Method::GET, "/users/1001").send().await.unwrap();
    let tag = first.headers()[ETAG].clone();
    let again = h.req(Method::GET, "/users/1001").header(IF_NONE_MATCH, tag);
    assert_eq!(again.send().await.unwrap().status(), 304);
    for id in 1002..=1005 {
        assert_eq!(h.get(&format!("/users/{id}")).await.0, 200);
    }

    let log = h.sandbox.request_log();
    let paths: Vec<_> = log.iter().map(|r| r.path_and_query.as_str()).collect();
    assert_eq!(
        paths,
        ["/v1/users/1003", "/v1/users/1004", "/v1/users/1005"]
    );
    assert!(log.iter().all(|r| r.headers.contains_key("host")
        && !r.headers.contains_key("authorization")
        && r.token.as_ref() == Some(&h.token)));
    assert_eq!(h.sandbox.total_requests(), 7);
    assert_eq!(h.sandbox.requests("GET /users/{user_id}"), 7);
    assert_eq!(h.sandbox.not_modified(), 1);
    assert_eq!(
        h.sandbox.tokens_seen(),
        ["made-up".to_owned(), h.token.clone()]
    );

    h.sandbox.reset_counters();
    assert!(h.sandbox.request_log().is_empty());
    for id in 1001..=1004 {
        h.get(&format!("/users/{id}")).await;
    }
    assert_eq!(
        h.sandbox.request_log().len(),
        3,
        "a reset keeps the capacity"
    );
    assert_eq!(h.sandbox.total_requests(), 4);
}
