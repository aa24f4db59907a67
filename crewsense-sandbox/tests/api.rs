//! The documented semantics, over real HTTP.

mod common;

use std::collections::HashSet;

use common::Harness;
use crewsense_sandbox::{Mode, Sandbox};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

#[tokio::test]
async fn token_flow() {
    let h = Harness::start().await;
    let bad = h
        .client
        .post(h.sandbox.token_url())
        .form(&[
            ("client_id", h.sandbox.client_id()),
            ("client_secret", "wrong"),
            ("grant_type", "client_credentials"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 401);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["status"], 401);

    let good: Value = h
        .client
        .post(h.sandbox.token_url())
        .form(&[
            ("client_id", h.sandbox.client_id()),
            ("client_secret", &h.sandbox.client_secret()),
            ("grant_type", "client_credentials"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(good["token_type"], "bearer");
    assert_eq!(good["expires_in"], 86_400);
    assert!(good["expires"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(h.sandbox.token_requests(), 3);
    let (status, _) = h.get("/company").await;
    assert_eq!(status, 200);
}

/// The status of a token request with `secret`, and the token if one was issued.
async fn token_with(h: &Harness, secret: &str) -> (u16, Option<String>) {
    let (status, body) = h
        .send(h.client.post(h.sandbox.token_url()).form(&[
            ("client_id", h.sandbox.client_id()),
            ("client_secret", secret),
            ("grant_type", "client_credentials"),
        ]))
        .await;
    (status, body["access_token"].as_str().map(str::to_owned))
}

/// The status of `GET /company` with `token`.
async fn company_with(h: &Harness, token: &str) -> u16 {
    let url = format!("{}/company", h.sandbox.base_url());
    h.send(h.client.get(url).bearer_auth(token)).await.0
}

#[tokio::test]
async fn a_rotation_refuses_the_old_secret_and_keeps_tokens_unless_revoking() {
    let h = Harness::start().await;
    let old = h.sandbox.client_secret();

    let new = h.sandbox.rotate_credentials();
    assert_ne!(new, old);
    assert_eq!(h.sandbox.client_secret(), new);
    assert_eq!(token_with(&h, &old).await, (401, None));
    let (status, fresh) = token_with(&h, &new).await;
    assert_eq!(status, 200);
    assert_eq!(company_with(&h, &h.token).await, 200, "tokens outlive it");

    let newer = h.sandbox.rotate_credentials_revoking();
    assert_eq!(token_with(&h, &new).await.0, 401);
    assert_eq!(company_with(&h, &h.token).await, 401);
    assert_eq!(company_with(&h, &fresh.unwrap()).await, 401);
    let (status, after) = token_with(&h, &newer).await;
    assert_eq!(status, 200);
    assert_eq!(company_with(&h, &after.unwrap()).await, 200);
}

#[tokio::test]
async fn unauthorized_without_a_valid_token() {
    let h = Harness::start().await;
    let documented = json!({"status": 401, "error": "unauthorized", "error_message": "Access token is not valid"});
    let resp = h
        .client
        .get(format!("{}/users", h.sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    assert_eq!(resp.json::<Value>().await.unwrap(), documented);
    let (status, body) = h
        .send(
            h.client
                .get(format!("{}/users", h.sandbox.base_url()))
                .bearer_auth("made-up"),
        )
        .await;
    assert_eq!((status, body), (401, documented));
    assert!(h.sandbox.tokens_seen().contains(&"made-up".to_owned()));
}

#[tokio::test]
async fn crud_round_trip_ends_in_404() {
    let h = Harness::start().await;
    let (status, created) = h
        .send(
            h.req(Method::POST, "/labels")
                .json(&json!({"label": "PIO", "color": "#000000", "text_color": "#ffffff"})),
        )
        .await;
    assert_eq!(status, 200);
    let id = created["id"].as_u64().unwrap();
    let (_, label) = h.get(&format!("/labels/{id}")).await;
    assert_eq!(label["label"], "PIO");
    assert_eq!(label["id"], id.to_string(), "labels send ids as strings");

    let update =
        json!({"label": "Public Information", "color": "#111111", "text_color": "#ffffff"});
    let (status, _) = h
        .send(h.req(Method::POST, &format!("/labels/{id}")).json(&update))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        h.get(&format!("/labels/{id}")).await.1["label"],
        "Public Information"
    );

    let (status, _) = h
        .send(h.req(Method::DELETE, &format!("/labels/{id}")))
        .await;
    assert_eq!(status, 200);
    let (status, body) = h.get(&format!("/labels/{id}")).await;
    assert_eq!(status, 404);
    assert_eq!(body["status"], 404);
    assert_eq!(body["error"], "not found");
    assert!(body["error_message"].is_string());
}

#[tokio::test]
async fn time_offs_page_by_month() {
    let h = Harness::start().await;
    let mut url = "/time_offs?start=2025-01-01+00:00:00&end=2025-04-01+00:00:00".to_owned();
    let mut pages = Vec::new();
    loop {
        let (status, body) = h.get(&url).await;
        assert_eq!(status, 200);
        let meta = &body["metadata"];
        assert_eq!(meta["start"], "2025-01-01 00:00:00");
        pages.push((
            meta["page_start"].clone(),
            body["items"].as_array().unwrap().len(),
        ));
        match meta["links"]["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&format!("http://{}/v1/time_offs?", h.sandbox.addr())));
                assert!(next.contains("after="));
                url = next.to_owned();
            }
            None => break,
        }
    }
    let starts: Vec<_> = pages
        .iter()
        .map(|(s, _)| s.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        starts,
        [
            "2025-01-01 00:00:00",
            "2025-02-01 00:00:00",
            "2025-03-01 00:00:00"
        ]
    );
    assert!(pages.iter().all(|(_, n)| *n > 0));
    let first = h
        .get("/time_offs?start=2025-01-01+00:00:00&end=2025-12-31+00:00:00")
        .await
        .1;
    let id = first["items"][0]["id"].as_u64().unwrap();
    let (_, one) = h.get(&format!("/time_offs/{id}")).await;
    assert_eq!(one["metadata"], json!([]));
}

#[tokio::test]
async fn logs_page_fifty_at_a_time_with_after() {
    let h = Harness::start().await;
    let (mut seen, mut pages) = (HashSet::new(), 0);
    let mut url = "/logs".to_owned();
    loop {
        let (_, body) = h.get(&url).await;
        let data = body["data"].as_array().unwrap();
        assert!(data.len() <= 50);
        for entry in data {
            assert!(
                seen.insert(entry["log_id"].as_str().unwrap().to_owned()),
                "no entry twice"
            );
        }
        pages += 1;
        if data.len() < 50 {
            break;
        }
        let newest = data[0]["created"].as_str().unwrap();
        url = format!("/logs?after={}", &newest[..19].replace('T', "+"));
    }
    assert!(pages >= 5, "several hundred entries");
    assert!(seen.len() > 200);
}

#[tokio::test]
async fn callbacks_and_announcements_page_by_offset() {
    let h = Harness::start().await;
    for path in ["/callbacks", "/announcements"] {
        let (mut ids, mut url, mut pages) = (HashSet::new(), path.to_owned(), 0);
        loop {
            let (_, body) = h.get(&url).await;
            for item in body["data"].as_array().unwrap() {
                assert!(ids.insert(item["id"].as_u64().unwrap()));
            }
            pages += 1;
            match body["pagination"]["next"].as_str() {
                Some(next) => url = next.to_owned(),
                None => break,
            }
        }
        assert!(pages >= 2, "{path} has more than one page");
    }
}

#[tokio::test]
async fn validation_failures_are_422_arrays() {
    let h = Harness::start().await;
    let (status, body) = h
        .send(h.req(Method::POST, "/labels").json(&json!({"label": "x"})))
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "invalid_params");
    let messages = body["error_message"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let (status, _) = h.get("/schedule?start=2025-06-01+00:00:00").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn bulletin_board_conflicts_while_locked() {
    let h = Harness::start().await;
    let put = || {
        h.req(Method::PUT, "/bulletin_board")
            .json(&json!({"admin_id": 1055, "content": "<p>new</p>"}))
    };
    h.sandbox.lock_bulletin_board(true);
    let (status, body) = h.send(put()).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("conflict")));
    h.sandbox.lock_bulletin_board(false);
    assert_eq!(h.send(put()).await.0, 200);
    assert_eq!(h.get("/bulletin_board").await.1["content"], "<p>new</p>");
}

#[tokio::test]
async fn batch_finalization_reports_partial_failure() {
    let h = Harness::start().await;
    let batch = json!({"admin_id": 1059, "assignments": [{"id": 64298, "dates": ["2025-06-02", "2025-06-30"]}]});
    let (status, body) = h
        .send(h.req(Method::POST, "/finalization").json(&batch))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["success"], true);
    assert_eq!(body["success_messages"].as_array().unwrap().len(), 1);
    assert_eq!(
        body["error_messages"].as_array().unwrap().len(),
        1,
        "a future date fails"
    );
    let (status, body) = h
        .send(h.req(Method::POST, "/finalization").json(&batch))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_params"))
    );
    let unknown_admin =
        json!({"admin_id": 1, "assignments": [{"id": 64298, "dates": ["2025-06-02"]}]});
    assert_eq!(
        h.send(h.req(Method::DELETE, "/finalization").json(&unknown_admin))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn put_qualifier_undeletes() {
    let h = Harness::start().await;
    let listed = |body: &Value| body.as_array().unwrap().iter().any(|q| q["id"] == 9876);
    assert!(!listed(&h.get("/qualifiers").await.1));
    let restore = || {
        h.req(Method::PUT, "/qualifiers/9876")
            .json(&json!({"undelete": 1}))
    };
    let (status, body) = h.send(restore()).await;
    assert_eq!(
        (status, body["qualifier"]["id"].as_u64()),
        (200, Some(9876))
    );
    assert!(listed(&h.get("/qualifiers").await.1));
    assert_eq!(h.send(restore()).await.0, 409);
}

#[tokio::test]
async fn schedule_shapes_by_mode() {
    let h = Harness::start().await;
    let june = "/schedule?start=2025-06-01+00:00:00&end=2025-07-01+00:00:00";
    let (_, body) = h.get(june).await;
    let days = body["days"]
        .as_object()
        .expect("production: a map keyed by date");
    assert_eq!(days.len(), 30, "end is exclusive");
    let day = &days["2025-06-01"];
    assert!(day["day_color"]["label"].is_string());
    assert!(day.get("date").is_none());
    let href = day["assignments"][0]["href"].as_str().unwrap();
    assert!(href.starts_with("http://127.0.0.1:"));
    assert!(body.get("next").is_none());

    let documented = Harness::with(
        Sandbox::builder()
            .mode(Mode::Documented)
            .start()
            .await
            .unwrap(),
    )
    .await;
    let (_, body) = documented.get(june).await;
    let days = body["days"].as_array().expect("documented: an array");
    assert_eq!(days[0]["date"], "2025-06-01");
    assert!(body["next"]["href"].is_string());
}

#[tokio::test]
async fn certification_file_uploads_as_multipart() {
    let h = Harness::start().await;
    let (_, records) = h.get("/users/1010/certifications").await;
    let id = records[0]["id"].as_u64().unwrap();
    let form = Form::new().part(
        "file",
        Part::bytes(b"%PDF-1.4".to_vec()).file_name("cert.pdf"),
    );
    let path = format!("/users/1010/certifications/{id}/file");
    let (status, _) = h.send(h.req(Method::POST, &path).multipart(form)).await;
    assert_eq!(status, 200);
    let (_, record) = h.get(&format!("/users/1010/certifications/{id}")).await;
    assert_eq!(record["file"]["name"], "cert.pdf");
    let (status, _) = h.send(h.req(Method::POST, &path).json(&json!({}))).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn seed_is_deterministic() {
    let a = Harness::with(Sandbox::builder().seed(42).start().await.unwrap()).await;
    let b = Harness::with(Sandbox::builder().seed(42).start().await.unwrap()).await;
    assert_eq!(
        a.get("/users").await.1,
        b.get("/users")
            .await
            .1
            .to_string()
            .replace(&b.sandbox.addr().to_string(), &a.sandbox.addr().to_string())
            .parse::<Value>()
            .unwrap()
    );
    assert_eq!(a.sandbox.client_secret(), b.sandbox.client_secret());
    assert_eq!(a.get("/users").await.1.as_array().unwrap().len(), 60);
}
