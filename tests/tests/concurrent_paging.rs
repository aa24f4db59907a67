//! Date ranges fetched several periods at once, and polling with validators: against
//! the sandbox for whole streams, against wiremock where a test needs an exact
//! exchange (one month answering differently, a `304`, the instant of a request).

use crewsense_tests::{date, sandbox_client, year_2025};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crewsense::paginate::Period;
use crewsense::poll::{Polled, Validator};
use crewsense::time::DateRange;
use crewsense::{Client, Error, StatusCode};
use crewsense_sandbox::Sandbox;
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TIME_OFFS: &str = "GET /time_offs";

fn client_for(sandbox: &Sandbox) -> Client {
    sandbox_client(sandbox).build().unwrap()
}

fn static_client(server: &MockServer) -> Client {
    crewsense_tests::static_client(&server.uri())
}

/// `(id, start)` of every time-off item.
fn keys(items: &[crewsense::types::TimeOff]) -> Vec<(u64, String)> {
    items
        .iter()
        .map(|t| {
            let start = t.start.map(|s| s.to_string()).unwrap_or_default();
            (t.id.unwrap().get(), start)
        })
        .collect()
}

/// Stores an approved time-off entry from `start` to `end` for the sandbox's first
/// user and returns its id.
async fn long_time_off(sandbox: &Sandbox, start: &str, end: &str) -> u64 {
    let http = reqwest::Client::new();
    let token = sandbox.issue_token();
    let get = async |path: &str| -> Value {
        let url = format!("{}{path}", sandbox.base_url());
        let answer = http.get(url).bearer_auth(&token).send().await.unwrap();
        answer.json().await.unwrap()
    };
    let user = get("/users").await[0]["user_id"].clone();
    let kind = get("/time_off_types").await[0]["id"].clone();
    let created: Value = http
        .post(format!("{}/time_offs", sandbox.base_url()))
        .bearer_auth(&token)
        .json(&json!({
            "user_id": user, "admin_ids": [user], "time_off_type_id": kind,
            "start_date": start, "end_date": end, "status": 1,
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    created["id"].as_u64().unwrap()
}

#[tokio::test]
async fn four_months_at_once_give_the_same_items_as_one_at_a_time_each_once() {
    let sandbox = Sandbox::start().await.unwrap();
    // Entries across two month boundaries, split by the API into daily segments.
    let long = long_time_off(&sandbox, "2025-01-25 08:00:00", "2025-02-10 08:00:00").await;
    let over_july = long_time_off(&sandbox, "2025-06-20 20:00:00", "2025-07-12 20:00:00").await;
    let client = client_for(&sandbox);

    let one = client
        .time_offs(year_2025())
        .concurrency(1)
        .collect()
        .await
        .unwrap();
    for k in [4, 8] {
        let many = client
            .time_offs(year_2025())
            .concurrency(k)
            .collect()
            .await
            .unwrap();
        assert_eq!(keys(&many), keys(&one), "k={k}");
    }

    let got = keys(&one);
    let unique: HashSet<_> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "no segment twice");
    let mut sorted = got.clone();
    sorted.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got.iter().map(|k| &k.1).collect::<Vec<_>>(),
        sorted.iter().map(|k| &k.1).collect::<Vec<_>>(),
        "in date order"
    );
    for (id, from, boundary, to) in [
        (long, "2025-01-25", "2025-02-01", "2025-02-10"),
        (over_july, "2025-06-20", "2025-07-01", "2025-07-12 20"),
    ] {
        let starts: Vec<&str> = got
            .iter()
            .filter(|(i, _)| *i == id)
            .map(|(_, s)| s.as_str())
            .collect();
        assert!(
            starts.iter().all(|s| (from..to).contains(s)),
            "{id}: {starts:?}"
        );
        assert!(starts.iter().any(|s| *s < boundary), "{id}: {starts:?}");
        assert!(starts.iter().any(|s| *s >= boundary), "{id}: {starts:?}");
    }
}

#[tokio::test]
async fn a_segment_listed_in_both_months_it_spans_comes_out_once() {
    let api = MockServer::start().await;
    let item = |id: u64, start: &str, end: &str| json!({"id": id, "start": start, "end": end});
    let month = |start: &str, items: Vec<Value>| {
        Mock::given(method("GET"))
            .and(path("/v1/time_offs"))
            .and(query_param("start", start))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": items, "metadata": {"links": {"prev": null, "next": null}}
            })))
    };
    // A server that lists every segment overlapping the month it was asked for.
    let spanning = item(7, "2025-01-31 12:00:00", "2025-02-01 12:00:00");
    month(
        "2025-01-01 00:00:00",
        vec![
            item(5, "2025-01-10 08:00:00", "2025-01-11 08:00:00"),
            spanning.clone(),
        ],
    )
    .mount(&api)
    .await;
    month(
        "2025-02-01 00:00:00",
        vec![
            spanning,
            item(7, "2025-02-01 12:00:00", "2025-02-02 12:00:00"),
        ],
    )
    .mount(&api)
    .await;

    let range = DateRange::from(date("2025-01-01")..date("2025-03-01"));
    let items = static_client(&api)
        .time_offs(range)
        .collect()
        .await
        .unwrap();

    assert_eq!(
        keys(&items),
        [
            (5, "2025-01-10 08:00:00".to_owned()),
            (7, "2025-01-31 12:00:00".to_owned()),
            (7, "2025-02-01 12:00:00".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_month_the_server_pages_follows_its_own_links_before_the_next_month() {
    let api = MockServer::start().await;
    let answer = |id: u64, next: Option<String>| {
        let start = [
            "2025-01-05 08:00:00",
            "2025-01-20 08:00:00",
            "2025-02-05 08:00:00",
        ];
        ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": id, "start": start[id as usize]}],
            "metadata": {"links": {"prev": null, "next": next}}
        }))
    };
    let link = "http://api.crewsense.local/v1/time_offs?start=2025-01-01+00%3A00%3A00&end=2025-02-01+00%3A00%3A00&after=2025-01-16+00%3A00%3A00".to_owned();
    Mock::given(method("GET"))
        .and(path("/v1/time_offs"))
        .and(query_param("start", "2025-01-01 00:00:00"))
        .and(query_param("after", "2025-01-16 00:00:00"))
        .respond_with(answer(1, None))
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/time_offs"))
        .and(query_param("start", "2025-01-01 00:00:00"))
        .respond_with(answer(0, Some(link)))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/time_offs"))
        .and(query_param("start", "2025-02-01 00:00:00"))
        .respond_with(answer(2, None))
        .mount(&api)
        .await;

    let range = DateRange::from(date("2025-01-01")..date("2025-03-01"));
    let pages: Vec<_> = static_client(&api)
        .time_offs(range)
        .pages()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<Vec<u64>> = pages
        .iter()
        .map(|p| p.items.iter().map(|t| t.id.unwrap().get()).collect())
        .collect();
    assert_eq!(ids, [vec![0], vec![1], vec![2]]);
    assert_eq!(api.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn answers_that_arrive_together_are_decoded_in_the_order_the_caller_reads_them() {
    let api = MockServer::start().await;
    for month in 1..=6 {
        // One unreadable value a month: the client counts each decode by it.
        Mock::given(method("GET"))
            .and(path("/v1/time_offs"))
            .and(query_param("start", format!("2025-{month:02}-01 00:00:00")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": [{"id": month, "start": format!("2025-{month:02}-02 08:00:00"), "length": "long"}],
                "metadata": []
            })))
            .mount(&api)
            .await;
    }
    let client = static_client(&api);
    let range = DateRange::from(date("2025-01-01")..date("2025-07-01"));

    let mut pages = client.time_offs(range).concurrency(4).pages();
    let january = pages.try_next().await.unwrap().unwrap();
    // Every answer of the first four months, and a fifth asked for after January,
    // has arrived; give the runtime ample time to decode whatever it may.
    while api.received_requests().await.unwrap().len() < 5 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let decoded = client.degradations().total;
    assert!(
        decoded <= 2,
        "{decoded} months decoded: only January and the next, February, may be; \
         March to May wait for the caller"
    );

    let rest: Vec<_> = pages.try_collect().await.unwrap();
    let months: Vec<u64> = std::iter::once(&january)
        .chain(&rest)
        .flat_map(|p| p.items.iter().map(|t| t.id.unwrap().get()))
        .collect();
    assert_eq!(months, [1, 2, 3, 4, 5, 6]);
    assert_eq!(client.degradations().total, 6);
}

/// Answers `/time_offs` for February and records how many unreadable values the
/// client had left out of January by the time February was asked for.
#[derive(Clone)]
struct February {
    client: Client,
    seen_when_asked: Arc<Mutex<Option<u64>>>,
}

impl Respond for February {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let degraded = self.client.degradations().total;
        *self.seen_when_asked.lock().unwrap() = Some(degraded);
        ResponseTemplate::new(200).set_body_json(json!({"items": [], "metadata": []}))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_month_is_asked_for_before_the_month_the_caller_waits_for_is_decoded() {
    let api = MockServer::start().await;
    // January: many entries with a value the client cannot read, so that its decode
    // (with the repairing pass) takes far longer than asking for February.
    let entries: Vec<Value> = (1..=20_000)
        .map(|id| json!({"id": id, "start": "2025-01-02 08:00:00", "length": "long"}))
        .collect();
    Mock::given(method("GET"))
        .and(path("/v1/time_offs"))
        .and(query_param("start", "2025-01-01 00:00:00"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": entries, "metadata": []})),
        )
        .mount(&api)
        .await;
    let client = static_client(&api);
    let february = February {
        client: client.clone(),
        seen_when_asked: Arc::default(),
    };
    Mock::given(method("GET"))
        .and(path("/v1/time_offs"))
        .and(query_param("start", "2025-02-01 00:00:00"))
        .respond_with(february.clone())
        .mount(&api)
        .await;
    let range = DateRange::from(date("2025-01-01")..date("2025-03-01"));

    // One month at a time: February may only be asked for once January's answer
    // is in, and then at once, not after January has been decoded.
    let items = client
        .time_offs(range)
        .concurrency(1)
        .collect()
        .await
        .unwrap();

    assert_eq!(items.len(), 20_000);
    assert_eq!(client.degradations().total, 20_000);
    assert_eq!(*february.seen_when_asked.lock().unwrap(), Some(0));
}

#[tokio::test]
async fn a_page_that_waits_for_a_slow_caller_is_not_timed_out() {
    let sandbox = Sandbox::start().await.unwrap();
    let limit = Duration::from_millis(200);
    let client = sandbox_client(&sandbox)
        .call_timeout(limit)
        .build()
        .unwrap();
    client.authenticate().await.unwrap();
    sandbox.reset_counters();
    let range = DateRange::from(date("2025-01-01")..date("2025-05-01"));

    // All four months arrive at once; the caller spends longer than the call
    // timeout on each, so the last ones wait for their turn well past it.
    let mut pages = client.time_offs(range).concurrency(4).pages();
    let mut months = 0;
    while pages.try_next().await.unwrap().is_some() {
        months += 1;
        tokio::time::sleep(limit * 2).await;
    }
    assert_eq!(months, 4);
    assert_eq!(sandbox.requests(TIME_OFFS), 4);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_stream_aborts_every_period_in_flight() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    client.authenticate().await.unwrap();
    sandbox.set_route_latency(TIME_OFFS, Duration::from_secs(1));
    sandbox.reset_counters();
    let k = 4;

    let mut items = client.time_offs(year_2025()).concurrency(k).items();
    items.next().await.unwrap().unwrap();
    drop(items);
    // Ten times as long as the whole year would take without the abort.
    tokio::time::sleep(Duration::from_secs(30)).await;

    let requests = sandbox.requests(TIME_OFFS);
    assert!(requests <= k + 1, "{requests} requests after the drop");
}

#[tokio::test]
async fn a_token_rejected_by_every_period_at_once_is_refreshed_once() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let expected = client
        .time_offs(year_2025())
        .concurrency(1)
        .collect()
        .await
        .unwrap();
    sandbox.reset_counters();
    // The cached token is still fresh for the client, so all four first requests
    // carry it and are refused together.
    sandbox.expire_tokens();

    let items = client
        .time_offs(year_2025())
        .concurrency(4)
        .collect()
        .await
        .unwrap();

    assert_eq!(keys(&items), keys(&expected));
    assert_eq!(sandbox.token_requests(), 1, "one refresh for all periods");
    assert_eq!(
        sandbox.requests(TIME_OFFS),
        12 + 4,
        "each refused page once more"
    );
}

#[tokio::test]
async fn an_error_ends_the_stream_after_every_earlier_period_in_order() {
    let api = MockServer::start().await;
    for month in 1..=6 {
        let start = format!("2025-{month:02}-01 00:00:00");
        let answer = if month == 3 {
            ResponseTemplate::new(404).set_body_json(json!({
                "status": 404, "error": "not_found", "error_message": "not found"
            }))
        } else {
            ResponseTemplate::new(200).set_body_json(json!({
                "items": [{"id": month, "start": format!("2025-{month:02}-02 08:00:00")}],
                "metadata": []
            }))
        };
        Mock::given(method("GET"))
            .and(path("/v1/time_offs"))
            .and(query_param("start", start.as_str()))
            .respond_with(answer)
            .mount(&api)
            .await;
    }

    let range = DateRange::from(date("2025-01-01")..date("2025-07-01"));
    let got: Vec<_> = static_client(&api)
        .time_offs(range)
        .concurrency(4)
        .items()
        .collect()
        .await;

    assert_eq!(got.len(), 3, "{got:?}");
    let ids: Vec<u64> = got[..2]
        .iter()
        .map(|t| t.as_ref().unwrap().id.unwrap().get())
        .collect();
    assert_eq!(ids, [1, 2]);
    assert_eq!(
        got[2].as_ref().unwrap_err().status(),
        Some(StatusCode::NOT_FOUND)
    );
}

/// Answers `/schedule` by month: January late, February first with a `429`, and
/// records when each request arrived.
#[derive(Clone, Default)]
struct RateLimitedFebruary {
    arrivals: Arc<Mutex<Vec<(String, u16, Instant)>>>,
}

const RETRY_AFTER: Duration = Duration::from_secs(2);

impl Respond for RateLimitedFebruary {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let start = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "start")
            .map(|(_, v)| v[..10].to_owned())
            .unwrap_or_default();
        let mut arrivals = self.arrivals.lock().unwrap();
        let first_february = start == "2025-02-01" && arrivals.iter().all(|a| a.0 != start);
        let status = if first_february { 429 } else { 200 };
        arrivals.push((start.clone(), status, Instant::now()));
        if first_february {
            return ResponseTemplate::new(429)
                .insert_header("Retry-After", RETRY_AFTER.as_secs().to_string().as_str())
                .set_body_json(json!({"status": 429, "error": "too_many_requests"}));
        }
        let answer = ResponseTemplate::new(200).set_body_json(json!({"days": {start.clone(): {}}}));
        if start == "2025-01-01" {
            // Late, so that February's 429 has arrived when January is handed out
            // and March is asked for.
            answer.set_delay(Duration::from_millis(500))
        } else {
            answer
        }
    }
}

#[tokio::test]
async fn a_429_holds_back_every_period_until_its_retry_after_has_passed() {
    let api = MockServer::start().await;
    let server = RateLimitedFebruary::default();
    Mock::given(method("GET"))
        .and(path("/v1/schedule"))
        .respond_with(server.clone())
        .mount(&api)
        .await;

    let quarter = DateRange::from(date("2025-01-01")..date("2025-04-01"));
    let days = static_client(&api)
        .schedule_days(quarter, Period::Month)
        .concurrency(2)
        .collect()
        .await
        .unwrap();

    let dates: Vec<String> = days.iter().map(|(d, _)| d.to_string()).collect();
    assert_eq!(dates, ["2025-01-01", "2025-02-01", "2025-03-01"]);
    let arrivals = server.arrivals.lock().unwrap().clone();
    let statuses: Vec<u16> = arrivals.iter().map(|a| a.1).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        1,
        "{arrivals:?}"
    );
    let limited = arrivals.iter().find(|a| a.1 == 429).unwrap().2;
    let march = arrivals.iter().find(|a| a.0 == "2025-03-01").unwrap().2;
    // March was asked for after January came back (0.5 s), but waited for the
    // Retry-After that February was told, as if it had been told itself.
    assert!(
        march.duration_since(limited) >= RETRY_AFTER,
        "March asked {:?} after the 429",
        march.duration_since(limited)
    );
}

/// A `/schedule` that sends `ETag: "v1"` and answers `304` to `If-None-Match: "v1"`.
async fn schedule_with_etag(api: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v1/schedule"))
        .and(header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304).insert_header("ETag", "\"v1\""))
        .with_priority(1)
        .mount(api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/schedule"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ETag", "\"v1\"")
                .insert_header("Last-Modified", "Mon, 02 Jun 2025 07:00:00 GMT")
                .set_body_json(json!({"days": {"2025-06-02": {}}})),
        )
        .mount(api)
        .await;
}

#[tokio::test]
async fn a_304_to_the_validator_of_the_last_answer_is_unchanged() {
    let api = MockServer::start().await;
    schedule_with_etag(&api).await;
    let client = static_client(&api);
    let today = DateRange::day(date("2025-06-02"));

    let first = client
        .schedule_if_changed(today, &Validator::default())
        .await
        .unwrap();
    let Polled::Changed { value, validator } = first else {
        panic!("the first poll has nothing to compare with: {first:?}");
    };
    assert_eq!(value.len(), 1);
    assert_eq!(validator.etag(), Some("\"v1\""));
    assert_eq!(
        validator.last_modified(),
        Some("Mon, 02 Jun 2025 07:00:00 GMT")
    );

    let second = client.schedule_if_changed(today, &validator).await.unwrap();
    assert_eq!(second, Polled::Unchanged);

    let seen = api.received_requests().await.unwrap();
    assert!(!seen[0].headers.contains_key("if-none-match"));
    assert_eq!(seen[1].headers["if-none-match"], "\"v1\"");
    assert_eq!(
        seen[1].headers["if-modified-since"],
        "Mon, 02 Jun 2025 07:00:00 GMT"
    );
}

#[tokio::test]
async fn without_a_validator_every_poll_fetches_the_answer_again() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/schedule"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"days": {"2025-06-02": {}}})))
        .mount(&api)
        .await;
    let client = static_client(&api);
    let today = DateRange::day(date("2025-06-02"));

    let mut validator = Validator::default();
    for _ in 0..2 {
        match client.schedule_if_changed(today, &validator).await.unwrap() {
            Polled::Changed {
                value,
                validator: next,
            } => {
                assert_eq!(value.len(), 1);
                assert!(next.is_empty());
                validator = next;
            }
            Polled::Unchanged => panic!("no validator was sent"),
        }
    }
    let seen = api.received_requests().await.unwrap();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|r| !r.headers.contains_key("if-none-match"))
    );
}

#[tokio::test]
async fn a_304_to_an_unconditional_request_is_an_unexpected_answer() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/schedule"))
        .respond_with(ResponseTemplate::new(304))
        .mount(&api)
        .await;
    let err = static_client(&api)
        .schedule_if_changed(DateRange::day(date("2025-06-02")), &Validator::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
}

#[tokio::test]
async fn the_sandbox_answers_an_unchanged_month_with_a_304() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let june = DateRange::month(2025, 6).unwrap();

    let Polled::Changed { value, validator } = client
        .schedule_if_changed(june, &Validator::default())
        .await
        .unwrap()
    else {
        panic!("nothing to compare with yet");
    };
    assert_eq!(value.len(), 30);
    assert!(validator.etag().is_some());

    let again = client.schedule_if_changed(june, &validator).await.unwrap();
    assert_eq!(again, Polled::Unchanged);
    assert_eq!(sandbox.not_modified(), 1);
}
