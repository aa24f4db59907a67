//! Memory: the peak resident set size of a process that streams 10 000, 100 000 and
//! 300 000 time-off items through `Client::time_offs(..).items()`.
//!
//! The sandbox seeds about 300 time-off entries a year, so this bench serves its own
//! data: a wiremock server in this process answers `GET /n<N>/v1/time_offs` with
//! synthetic pages of [`PAGE_SIZE`] entries (shaped like the sandbox's), `N` in all,
//! each page linking to the next one by `after=` the way `/time_offs` does.
//!
//! Each run is a child process (this binary, with `MEMORY_CHILD=<mode>`), which
//! reports its own peak RSS (`VmHWM` in `/proc/self/status`) before and after reading the
//! whole stream, and the number of items it saw. Two modes:
//!
//! - `items`: the item stream, each item dropped once seen (the goal: flat from 10k
//!   to 100k, bounded by the page size);
//! - `collect`: `Paginated::collect`, every item kept: the control, which must grow
//!   with the number of items, showing that the measurement sees what is held.
//!
//! Run with `cargo bench -p crewsense-tests --bench memory` (`MEMORY_RUNS`, default 5,
//! sets the runs of each mode and size, which alternate; `MEMORY_PAGE_SIZE` the
//! entries per page, default 500).

#[path = "shared/max_rss.rs"]
mod max_rss;

use max_rss::max_rss_kib;
use std::hint::black_box;
use std::process::Command;

use crewsense::Client;
use crewsense::time::{Date, DateRange};
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Entries per synthetic page, unless `MEMORY_PAGE_SIZE` says otherwise.
const PAGE_SIZE: usize = 500;
/// 10k and 100k as asked; 300k tells a slope from noise.
const SIZES: [usize; 3] = [10_000, 100_000, 300_000];
const MODES: [&str; 2] = ["items", "collect"];
/// The query window of every run: one day, whose minutes number the pages.
const START: &str = "2025-01-01 00:00:00";
const END: &str = "2025-01-02 00:00:00";

/// What a child process reports.
#[derive(Debug, Serialize, Deserialize)]
struct Report {
    items: usize,
    /// Peak RSS after start-up and the first token, before the stream.
    before_kib: u64,
    /// Peak RSS after the whole stream.
    peak_kib: u64,
}

/// Serves page `after` (the minutes since [`START`]) of `N` synthetic entries, `N`
/// being the number in the path's first segment (`/n10000/v1/time_offs`).
struct SyntheticPages {
    page_size: usize,
}

impl Respond for SyntheticPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let total: usize = request
            .url
            .path_segments()
            .and_then(|mut s| s.next())
            .and_then(|n| n.strip_prefix('n'))
            .and_then(|n| n.parse().ok())
            .expect("/n<N>/v1/time_offs");
        let after = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "after")
            .map(|(_, v)| v.into_owned());
        let page = after.as_deref().map_or(0, minutes);
        let first = page * self.page_size;
        let last = (first + self.page_size).min(total);
        let origin = request.url.origin().ascii_serialization();
        let link = |page: usize| {
            reqwest::Url::parse_with_params(
                &format!("{origin}/n{total}/v1/time_offs"),
                [("start", START), ("end", END), ("after", &minute(page))],
            )
            .expect("a link")
            .to_string()
        };
        let items: Vec<Value> = (first..last).map(|i| time_off(&origin, i)).collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "items": items,
            "metadata": {
                "start": START,
                "end": END,
                "page_start": minute(page),
                "page_end": minute(page + 1),
                "links": {
                    "prev": (page > 0).then(|| link(page - 1)),
                    "next": (last < total).then(|| link(page + 1)),
                },
            },
        }))
    }
}

/// `2025-01-01 hh:mm:00` for minute `m` of the day.
fn minute(m: usize) -> String {
    assert!(m < 24 * 60, "more pages than minutes in a day");
    format!("2025-01-01 {:02}:{:02}:00", m / 60, m % 60)
}

/// The inverse of [`minute`].
fn minutes(local: &str) -> usize {
    let hh: usize = local[11..13].parse().expect("hh");
    let mm: usize = local[14..16].parse().expect("mm");
    hh * 60 + mm
}

/// Entry number `i`, in the shape and size of the sandbox's entries.
fn time_off(origin: &str, i: usize) -> Value {
    let user = 1001 + i % 60;
    let day = 1 + i % 28;
    json!({
        "acknowledgement_date": null,
        "admin": {"href": format!("{origin}/v1/users/1059"), "id": 1059, "name": "Quinn Santos"},
        "approval_date": "2024-12-30T20:07:00-07:00",
        "end": format!("2025-02-{day:02} 08:00:00"),
        "href": format!("{origin}/v1/time_offs/{}", 13_000_000 + i),
        "id": 13_000_000 + i,
        "length": 24,
        "real_length": 24,
        "request_date": "2024-12-30T17:07:00-07:00",
        "rrule": null,
        "start": format!("2025-01-{day:02} 08:00:00"),
        "status": 1,
        "time_off_type": {
            "href": format!("{origin}/v1/time_off_types/16248"),
            "id": 16248,
            "name": "Vacation",
            "work_code": "VAC",
        },
        "traded_with": null,
        "user": {"href": format!("{origin}/v1/users/{user}"), "id": user, "name": "Sawyer Ibarra"},
        "user_note": null,
    })
}

/// The child process: reads `total` entries from `server` in `mode` and prints a
/// [`Report`].
fn child(mode: &str, total: usize, server: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = Client::builder()
        .client_credentials("bench-id", "bench-secret")
        .base_url(format!("{server}/n{total}/v1"))
        .token_url(format!("{server}/oauth/access_token"))
        .build()
        .expect("client");
    rt.block_on(client.authenticate()).expect("a token");
    let date = |s: &str| s.parse::<Date>().expect("a date");
    let day = DateRange::day(date(&START[..10]));
    let before_kib = max_rss_kib();
    let items = rt.block_on(async {
        // As many pages as the day has minutes (see `minute`).
        let time_offs = client.time_offs(day).max_pages(24 * 60);
        match mode {
            "items" => {
                let mut stream = time_offs.items();
                let mut seen = 0;
                while let Some(entry) = stream.try_next().await.expect("an entry") {
                    black_box(entry);
                    seen += 1;
                }
                seen
            }
            "collect" => {
                let all = time_offs.collect().await.expect("every entry");
                black_box(&all);
                all.len()
            }
            other => panic!("MEMORY_CHILD={other}: expected items or collect"),
        }
    });
    let report = Report {
        items,
        before_kib,
        peak_kib: max_rss_kib(),
    };
    println!("{}", serde_json::to_string(&report).expect("JSON"));
}

/// Runs one child and reads its report.
fn run(mode: &str, total: usize, server: &str) -> Report {
    let exe = std::env::current_exe().expect("the bench binary's path");
    let output = Command::new(exe)
        .env("MEMORY_CHILD", mode)
        .env("MEMORY_ITEMS", total.to_string())
        .env("MEMORY_SERVER", server)
        .output()
        .expect("run the child");
    assert!(
        output.status.success(),
        "{mode} {total}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Report = serde_json::from_slice(&output.stdout).expect("the child's report");
    assert_eq!(report.items, total, "{mode}: items seen");
    report
}

fn median(values: &mut [u64]) -> u64 {
    values.sort_unstable();
    values[values.len() / 2]
}

fn main() {
    if let Ok(mode) = std::env::var("MEMORY_CHILD") {
        let total = std::env::var("MEMORY_ITEMS")
            .ok()
            .and_then(|n| n.parse().ok())
            .expect("MEMORY_ITEMS");
        let server = std::env::var("MEMORY_SERVER").expect("MEMORY_SERVER");
        child(&mode, total, &server);
        return;
    }
    let runs: usize = std::env::var("MEMORY_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let page_size: usize = std::env::var("MEMORY_PAGE_SIZE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(PAGE_SIZE);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let server = rt.block_on(async {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(method("POST"))
            .and(path("/oauth/access_token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "bench-token",
                "expires_in": 86_400,
                "token_type": "bearer",
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(r"^/n[0-9]+/v1/time_offs$"))
            .respond_with(SyntheticPages { page_size })
            .mount(&server)
            .await;
        server
    });
    let uri = server.uri();

    // peaks[mode][size]: (peak, peak - before) of every run, in KiB.
    let mut peaks = vec![vec![(Vec::new(), Vec::new()); SIZES.len()]; MODES.len()];
    for round in 1..=runs {
        for (m, mode) in MODES.iter().enumerate() {
            for (s, &size) in SIZES.iter().enumerate() {
                let report = run(mode, size, &uri);
                println!(
                    "run {round}: {mode:>7} {size:>6} items: peak RSS {} KiB ({} KiB before the stream)",
                    report.peak_kib, report.before_kib
                );
                peaks[m][s].0.push(report.peak_kib);
                peaks[m][s].1.push(report.peak_kib - report.before_kib);
            }
        }
    }

    println!(
        "\npeak RSS in KiB, {page_size} entries a page, median of {runs} runs (min-max); \
         growth = peak - before the stream"
    );
    for (m, mode) in MODES.iter().enumerate() {
        let mut medians = Vec::new();
        for (s, &size) in SIZES.iter().enumerate() {
            let (peak, growth) = &mut peaks[m][s];
            let range =
                |v: &[u64]| format!("{}-{}", v.iter().min().unwrap(), v.iter().max().unwrap());
            let (p, g) = (median(peak), median(growth));
            println!(
                "{mode:>7} {size:>6} items: peak {p} ({}), growth {g} ({})",
                range(peak),
                range(growth)
            );
            medians.push((p, g));
        }
        for (s, &size) in SIZES.iter().enumerate().skip(1) {
            let (small, large) = (medians[0], medians[s]);
            println!(
                "{mode:>7} {}k / {}k: peak {:.2}x, growth {:.2}x",
                size / 1000,
                SIZES[0] / 1000,
                large.0 as f64 / small.0 as f64,
                large.1 as f64 / small.1 as f64
            );
        }
    }
    rt.block_on(async move { drop(server) });
}
