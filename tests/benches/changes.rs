//! What changed since the last look: an unchanged two-week window of the sandbox's
//! schedule looked at 100 times, two ways:
//!
//! - `validators`: `Client::schedule_changes(window).look()`, which asks with the
//!   last answer's `ETag` and is answered `304 Not Modified`;
//! - `re-read`: `Client::schedule(window)` each time, compared day by day with the
//!   previous answer (`changes::diff_day`), what a client without validators does.
//!
//! Figures: body bytes received (from one raw exchange of each kind: the headers are
//! left out) and the CPU time of the benchmark thread, which runs the client alone
//! (the sandbox has a runtime and threads of its own). The median of `CHANGES_ROUNDS`
//! rounds (default 5), the two ways alternating.
//!
//! Run with `cargo bench -p crewsense-tests --bench changes`.

// Only `now_ns` is used here, not the criterion measurement.
#[allow(dead_code)]
#[path = "shared/child.rs"]
mod child;
#[allow(dead_code)]
#[path = "shared/cpu_time.rs"]
mod cpu_time;
#[path = "shared/sandbox.rs"]
mod sandbox;

use std::collections::BTreeMap;
use std::hint::black_box;

use child::median;
use crewsense::Client;
use crewsense::changes::diff_day;
use crewsense::time::{Date, DateRange};
use crewsense::types::ScheduleDay;
use crewsense_sandbox::Sandbox;
use reqwest::header::{ETAG, IF_NONE_MATCH};

const LOOKS: usize = 100;
const SCHEDULE: &str = "GET /schedule";

fn window() -> DateRange {
    let date = |s: &str| s.parse::<Date>().expect("a date");
    DateRange::from(date("2025-06-02")..date("2025-06-16"))
}

/// Body bytes of a full answer for the window, and of a `304` to it.
async fn bodies(sandbox: &Sandbox) -> (usize, usize) {
    let http = reqwest::Client::new();
    let (start, end) = window().window();
    let url = format!("{}/schedule?start={start}&end={end}", sandbox.base_url());
    let token = sandbox.issue_token();
    let full = http
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET /schedule");
    let etag = full.headers()[ETAG].clone();
    let full = full.bytes().await.expect("a body").len();
    let again = http
        .get(&url)
        .bearer_auth(&token)
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .expect("GET /schedule");
    assert_eq!(again.status(), 304);
    (full, again.bytes().await.expect("a body").len())
}

/// The thread's CPU time of `LOOKS` looks with validators, in ms.
async fn with_validators(client: &Client) -> f64 {
    let mut watch = client.schedule_changes(window());
    watch.look().await.expect("the baseline");
    let cpu = cpu_time::now_ns();
    for _ in 0..LOOKS {
        let set = watch.look().await.expect("a look");
        assert!(set.is_empty());
        black_box(set);
    }
    (cpu_time::now_ns() - cpu) as f64 / 1e6
}

/// The thread's CPU time of `LOOKS` re-reads compared with the previous one, in ms.
async fn rereading(client: &Client) -> f64 {
    let read = async || -> BTreeMap<Date, ScheduleDay> {
        client
            .schedule(window())
            .await
            .expect("the window")
            .into_iter()
            .collect()
    };
    let mut previous = read().await;
    let empty = ScheduleDay::default();
    let cpu = cpu_time::now_ns();
    for _ in 0..LOOKS {
        let now = read().await;
        let changed = window()
            .dates()
            .map(|d| {
                let (was, is) = (previous.get(&d), now.get(&d));
                diff_day(d, was.unwrap_or(&empty), is.unwrap_or(&empty))
            })
            .filter(|changes| !changes.is_empty())
            .count();
        assert_eq!(changed, 0);
        previous = now;
    }
    (cpu_time::now_ns() - cpu) as f64 / 1e6
}

fn main() {
    let (_server, sandbox) = sandbox::serve();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = crewsense_tests::sandbox_client(&sandbox)
        .build()
        .expect("client");
    let (full, not_modified) = rt.block_on(bodies(&sandbox));
    let rounds: usize = std::env::var("CHANGES_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let (mut validated, mut reread) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        sandbox.reset_counters();
        validated.push(rt.block_on(with_validators(&client)));
        assert_eq!(sandbox.not_modified(), LOOKS, "every look a 304");
        assert_eq!(sandbox.requests(SCHEDULE), LOOKS + 1);
        reread.push(rt.block_on(rereading(&client)));
    }
    let (v, r) = (median(validated.clone()), median(reread.clone()));
    println!(
        "changes: an unchanged two-week window looked at {LOOKS} times, median of {rounds} rounds"
    );
    println!(
        "  validators (304)   body {:>10} bytes  cpu {v:>8.1} ms",
        not_modified * LOOKS
    );
    println!(
        "  re-read and diff   body {:>10} bytes  cpu {r:>8.1} ms",
        full * LOOKS
    );
    println!("  = {:.1}x less CPU", r / v);
    println!("  cpu ms per round: validators {validated:.1?}, re-read {reread:.1?}");
}
