//! ETags on reads and `304 Not Modified` for `If-None-Match`.

mod common;

use common::Harness;
use reqwest::Method;
use reqwest::header::{ETAG, IF_NONE_MATCH};
use serde_json::json;

const SCHEDULE: &str = "/schedule?start=2025-06-01 00:00:00&end=2025-07-01 00:00:00";

impl Harness {
    /// `(status, ETag, body text)` of a GET, with `If-None-Match` when given.
    async fn get_tagged(&self, path: &str, if_none_match: Option<&str>) -> (u16, String, String) {
        let mut req = self.req(Method::GET, path);
        if let Some(tag) = if_none_match {
            req = req.header(IF_NONE_MATCH, tag);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let tag = resp
            .headers()
            .get(ETAG)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, tag, resp.text().await.unwrap())
    }
}

#[tokio::test]
async fn a_get_answer_carries_a_strong_etag_that_stays_while_the_body_does() {
    let h = Harness::start().await;
    let (status, tag, body) = h.get_tagged(SCHEDULE, None).await;
    assert_eq!(status, 200);
    assert!(
        tag.starts_with('"') && tag.ends_with('"'),
        "strong tag: {tag}"
    );
    let (_, again, same) = h.get_tagged(SCHEDULE, None).await;
    assert_eq!((again, same), (tag.clone(), body));
    let (_, other, _) = h.get_tagged("/labels", None).await;
    assert_ne!(other, tag);
}

#[tokio::test]
async fn if_none_match_with_the_current_etag_answers_304_without_a_body_and_is_counted() {
    let h = Harness::start().await;
    let (_, tag, _) = h.get_tagged(SCHEDULE, None).await;
    let (status, again, body) = h.get_tagged(SCHEDULE, Some(&tag)).await;
    assert_eq!(status, 304);
    assert_eq!(again, tag);
    assert!(body.is_empty());
    let weak_in_a_list = format!("\"stale\", W/{tag}");
    let (status, _, _) = h.get_tagged(SCHEDULE, Some(&weak_in_a_list)).await;
    assert_eq!(status, 304);
    assert_eq!(h.sandbox.not_modified(), 2);
    assert_eq!(h.sandbox.requests("GET /schedule"), 3);
    let statuses: Vec<u16> = h
        .sandbox
        .request_log()
        .iter()
        .filter(|r| r.route == "GET /schedule")
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [200, 304, 304]);
}

#[tokio::test]
async fn a_changed_resource_answers_in_full_with_a_new_etag() {
    let h = Harness::start().await;
    let (_, tag, before) = h.get_tagged("/labels", None).await;
    let label = json!({ "label": "Hazmat", "color": "#ff0000", "text_color": "#ffffff" });
    let (status, _) = h.send(h.req(Method::POST, "/labels").json(&label)).await;
    assert_eq!(status, 200);
    let (status, new_tag, after) = h.get_tagged("/labels", Some(&tag)).await;
    assert_eq!(status, 200);
    assert_ne!(new_tag, tag);
    assert!(after.contains("Hazmat") && !before.contains("Hazmat"));
    assert_eq!(h.sandbox.not_modified(), 0);
}

#[tokio::test]
async fn writes_and_errors_carry_no_etag() {
    let h = Harness::start().await;
    let label = json!({ "label": "Hazmat", "color": "#ff0000", "text_color": "#ffffff" });
    let write = h
        .req(Method::POST, "/labels")
        .json(&label)
        .send()
        .await
        .unwrap();
    assert!(write.headers().get(ETAG).is_none());
    let (status, tag, _) = h.get_tagged("/labels/424242", None).await;
    assert_eq!((status, tag.as_str()), (404, ""));
    let (_, error) = h.get("/labels/424242").await;
    assert_eq!(error["error"], "not found");
}
