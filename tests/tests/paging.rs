//! Paged streams end to end: against the sandbox for the API's paging schemes, and
//! against wiremock where a test needs a precise exchange (foreign links, loops).

use crewsense_tests::{date, sandbox_client, year_2025};
use std::collections::HashSet;
use std::time::Duration;

use crewsense::paginate::PagingError;
use crewsense::paginate::Period;
use crewsense::time::{Date, DateRange};
use crewsense::{Client, Error};
use crewsense_sandbox::Sandbox;
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TIME_OFFS: &str = "GET /time_offs";

fn client_for(sandbox: &Sandbox) -> Client {
    sandbox_client(sandbox).build().unwrap()
}

/// What a hand-written loop over the sandbox's next links collects: `(id, start)`
/// of every time-off item, in order, and the number of pages.
async fn time_offs_by_hand(sandbox: &Sandbox) -> (Vec<(String, String)>, usize) {
    let http = reqwest::Client::new();
    let token = sandbox.issue_token();
    let mut url = format!(
        "{}/time_offs?start=2025-01-01 00:00:00&end=2026-01-01 00:00:00",
        sandbox.base_url()
    );
    let (mut items, mut pages) = (Vec::new(), 0);
    loop {
        let page: Value = http
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        pages += 1;
        for item in page["items"].as_array().unwrap() {
            items.push(key(item));
        }
        match page["metadata"]["links"]["next"].as_str() {
            Some(next) => url = next.to_owned(),
            None => return (items, pages),
        }
    }
}

/// `(id, start)` of a time-off item as JSON, whether its id is a number or a string.
fn key(item: &Value) -> (String, String) {
    let id = match &item["id"] {
        Value::String(id) => id.clone(),
        other => other.to_string(),
    };
    (id, item["start"].as_str().unwrap_or_default().to_owned())
}

fn keys(items: &[crewsense::types::TimeOff]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|t| key(&serde_json::to_value(t).unwrap()))
        .collect()
}

#[tokio::test]
async fn a_year_of_time_off_is_every_item_once_in_twelve_pages() {
    let sandbox = Sandbox::start().await.unwrap();
    let (expected, hand_pages) = time_offs_by_hand(&sandbox).await;
    sandbox.reset_counters();

    let items = client_for(&sandbox)
        .time_offs(year_2025())
        .collect()
        .await
        .unwrap();

    assert_eq!(hand_pages, 12);
    assert_eq!(sandbox.requests(TIME_OFFS), 12);
    assert!(expected.len() > 100, "the sandbox seeds a year of time off");
    let got = keys(&items);
    assert_eq!(got, expected);
    let unique: HashSet<_> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "no item twice");
}

#[tokio::test]
async fn pages_report_their_month_and_the_links_as_sent() {
    let sandbox = Sandbox::start().await.unwrap();
    let pages: Vec<_> = client_for(&sandbox)
        .time_offs(year_2025())
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 12);
    let first = &pages[0].info;
    assert_eq!(first.number, 1);
    assert_eq!(first.page_start.unwrap().to_string(), "2025-01-01 00:00:00");
    assert_eq!(first.page_end.unwrap().to_string(), "2025-02-01 00:00:00");
    // Each month is asked for on its own, so the server has no further page to link.
    assert!(pages.iter().all(|p| p.info.next.is_none()));
    assert_eq!(pages[11].info.number, 12);
    assert_eq!(
        pages[11].info.page_start.unwrap().to_string(),
        "2025-12-01 00:00:00"
    );
}

#[tokio::test]
async fn the_log_is_followed_fifty_entries_at_a_time_to_the_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let pages: Vec<_> = client.logs(None).pages().try_collect().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.items.len()).collect();
    assert!(
        pages.len() >= 3,
        "the sandbox seeds several pages of logs: {sizes:?}"
    );
    assert!(
        sizes[..sizes.len() - 1].iter().all(|n| *n == 50),
        "{sizes:?}"
    );
    assert!(*sizes.last().unwrap() < 50, "{sizes:?}");
    assert_eq!(sandbox.requests("GET /logs"), pages.len());

    let ids: Vec<_> = pages
        .iter()
        .flat_map(|p| &p.items)
        .map(|e| e.log_id.unwrap())
        .collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no entry twice");
}

#[tokio::test]
async fn callbacks_follow_offset_links_to_the_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let pages: Vec<_> = client_for(&sandbox)
        .callbacks(None)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert!(
        pages.len() >= 2,
        "the sandbox seeds more than one page of callbacks"
    );
    assert!(pages.last().unwrap().info.next.is_none());
    assert_eq!(sandbox.requests("GET /callbacks"), pages.len());
    let ids: Vec<_> = pages
        .iter()
        .flat_map(|p| &p.items)
        .map(|c| c.id.unwrap())
        .collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
}

#[tokio::test]
async fn the_schedule_comes_a_period_at_a_time_in_date_order() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let quarter = DateRange::from(date("2025-01-15")..date("2025-04-15"));
    let days = client
        .schedule_days(quarter, Period::Month)
        .collect()
        .await
        .unwrap();
    let dates: Vec<Date> = days.iter().map(|(d, _)| *d).collect();
    assert_eq!(dates, quarter.dates().collect::<Vec<_>>());
    // Jan 15-31, February, March, April 1-14.
    assert_eq!(sandbox.requests("GET /schedule"), 4);

    let weeks = client.schedule_days(DateRange::week(date("2025-06-02")), Period::Week);
    assert_eq!(weeks.collect().await.unwrap().len(), 7);
}

#[tokio::test]
async fn dropping_a_one_at_a_time_stream_after_one_item_stops_paging() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    client
        .call(async |api| api.get_company().send().await)
        .await
        .unwrap();
    // Slow pages, so the prefetched page is still in flight when the stream is dropped.
    sandbox.set_route_latency(TIME_OFFS, Duration::from_millis(100));
    sandbox.reset_counters();

    let mut items = client.time_offs(year_2025()).concurrency(1).items();
    items.next().await.unwrap().unwrap();
    drop(items);
    tokio::time::sleep(Duration::from_millis(400)).await;

    assert!(
        sandbox.requests(TIME_OFFS) <= 2,
        "{}",
        sandbox.requests(TIME_OFFS)
    );
}

#[tokio::test]
async fn a_token_expiring_mid_stream_costs_one_refresh_and_no_items() {
    let sandbox = Sandbox::start().await.unwrap();
    let (expected, _) = time_offs_by_hand(&sandbox).await;
    let client = client_for(&sandbox);
    sandbox.reset_counters();

    let mut pages = client.time_offs(year_2025()).pages();
    let mut items = Vec::new();
    while let Some(page) = pages.try_next().await.unwrap() {
        if page.info.number == 3 {
            sandbox.expire_tokens();
        }
        items.extend(page.items);
    }

    assert_eq!(keys(&items), expected);
    assert_eq!(sandbox.token_requests(), 2, "one token, then one refresh");
    let tokens: HashSet<_> = sandbox.tokens_seen().into_iter().collect();
    assert_eq!(tokens.len(), 2);
}

/// A wiremock API whose callbacks page 1 links to page 2 at `next_base`.
async fn callbacks_linking_to(server: &MockServer, next_base: &str) {
    Mock::given(method("GET"))
        .and(path("/v1/callbacks"))
        .and(query_param_is_missing("offset"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": 1}],
            "pagination": {"prev": null, "next": format!("{next_base}/v1/callbacks?offset=50")}
        })))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/callbacks"))
        .and(query_param("offset", "50"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": 2}],
            "pagination": {"prev": null, "next": null}
        })))
        .mount(server)
        .await;
}

fn static_client(server: &MockServer) -> Client {
    Client::builder()
        .static_token("only-for-the-configured-host")
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_link_to_another_host_is_followed_on_the_configured_host() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    callbacks_linking_to(&api, &elsewhere.uri()).await;

    let items = static_client(&api).callbacks(None).collect().await.unwrap();

    assert_eq!(
        items
            .iter()
            .map(|c| c.id.unwrap().get())
            .collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "no request, no token"
    );
    let seen = api.received_requests().await.unwrap();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|r| r.headers["authorization"] == "Bearer only-for-the-configured-host")
    );
}

#[tokio::test]
async fn a_link_outside_the_operation_ends_the_stream_with_an_error() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/callbacks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": 1}],
            "pagination": {"next": "https://api.crewsense.com/oauth/access_token?offset=50"}
        })))
        .mount(&api)
        .await;

    let err = static_client(&api)
        .callbacks(None)
        .collect()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Paging(PagingError::ForeignLink(_))),
        "{err:?}"
    );
    assert_eq!(api.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_repeated_link_ends_the_stream_with_an_error() {
    let api = MockServer::start().await;
    // Every page points at offset=50, so the second time round is a loop.
    Mock::given(method("GET"))
        .and(path("/v1/announcements"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": 7}],
            "pagination": {"next": format!("{}/v1/announcements?offset=50", api.uri())}
        })))
        .mount(&api)
        .await;

    let mut pages = static_client(&api).announcements().pages();
    assert!(pages.try_next().await.unwrap().is_some());
    assert!(pages.try_next().await.unwrap().is_some());
    let err = pages.try_next().await.unwrap_err();
    assert!(
        matches!(err, Error::Paging(PagingError::Loop(_))),
        "{err:?}"
    );
    assert!(
        pages.next().await.is_none(),
        "the stream ends after the error"
    );
    assert_eq!(api.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_page_limit_is_an_error_not_a_silent_stop() {
    let sandbox = Sandbox::start().await.unwrap();
    let pages: Vec<_> = client_for(&sandbox)
        .time_offs(year_2025())
        .max_pages(3)
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 4);
    assert!(pages[..3].iter().all(Result::is_ok));
    assert!(matches!(
        pages[3],
        Err(Error::Paging(PagingError::PageLimit(3)))
    ));
    assert_eq!(sandbox.requests(TIME_OFFS), 3);
}

#[tokio::test]
async fn an_empty_metadata_array_is_the_last_page() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/time_offs"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [], "metadata": []})),
        )
        .mount(&api)
        .await;
    let pages: Vec<_> = static_client(&api)
        .time_offs(DateRange::month(2025, 1).unwrap())
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert!(pages[0].info.next.is_none());
}
