//! Paging: a year of `GET /time_offs` from the sandbox (12 month pages), each answer
//! sent 20 ms after its request (`Sandbox::set_route_latency`), read by a caller that
//! spends 10 ms on each page (`tokio::time::sleep`), two ways:
//!
//! - `prefetch`: `Client::time_offs(year).pages()`, the facade's stream, which fetches
//!   the next page while the caller works on the current one;
//! - `sequential`: a bare `reqwest` loop that follows `metadata.links.next` with a
//!   fixed bearer token, decoding each page into `serde_json::Value`, and fetches a
//!   page only after the caller is done with the previous one.
//!
//! A third way, `links_only`, is the `sequential` loop with a caller that spends no
//! time: the 12 requests one after the other, which is all that any reader that
//! follows links must wait for. The next link is in the page, so no page can be
//! asked for before the previous one arrived: with `n` pages, latency `L` and caller
//! time `C <= L`, reading them takes at least `n (L + C)` one page at a time and
//! `n L + C` with prefetching, whatever the depth (see `BENCHMARKS.md`).
//!
//! One iteration reads the whole year. Wall time is what counts here: all three ways
//! mostly wait. `prefetch` runs at `concurrency(1)`, one month after the other.
//!
//! Then, with the sandbox's `/time_offs` and `/schedule` answers sent 50 ms after
//! their requests ([`PERIOD_LATENCY`]), outside criterion (each way a few times,
//! interleaved, the median printed):
//!
//! - `periods`: a year of `/time_offs` and a year of `/schedule` by month, read as
//!   items at `concurrency(1)`, `(4)` and `(8)`; wall time, and the ratios to k=1;
//! - `rss`: the peak resident set size above the baseline of a child process (this
//!   binary with `PAGING_CHILD`) that reads a year of schedule by month at k=4,
//!   dropping each day once seen, against one that fetches and keeps one month:
//!   how many monthly pages' worth the stream holds at its peak;
//! - `polling`: the same month of schedule asked for 100 times, with the validator of
//!   the first answer (`schedule_if_changed`, answered `304`) against a full fetch
//!   each time; body bytes received and the benchmark thread's CPU time.
//!
//! Run with `cargo bench -p crewsense-tests --bench paging` (`PAGING_ROUNDS`, default
//! 5, sets the rounds of `periods`).

#[path = "shared/child.rs"]
mod child;
// Only `now_ns` is used here, not the criterion measurement.
#[allow(dead_code)]
#[path = "shared/cpu_time.rs"]
mod cpu_time;
#[path = "shared/max_rss.rs"]
mod max_rss;
#[path = "shared/sandbox.rs"]
mod sandbox;

use child::median;
use max_rss::max_rss_kib;
use std::hint::black_box;
use std::time::{Duration, Instant};

use crewsense::Client;
use crewsense::paginate::Period;
use crewsense::poll::{Polled, Validator};
use crewsense::time::{Date, DateRange};
use crewsense_sandbox::Sandbox;
use criterion::{Criterion, SamplingMode};
use futures::TryStreamExt;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde_json::Value;
use tokio::runtime::Runtime;

const ROUTE: &str = "GET /time_offs";
/// Added to every `/time_offs` answer by the sandbox.
const LATENCY: Duration = Duration::from_millis(20);
/// What the caller spends on each page.
const CALLER: Duration = Duration::from_millis(10);
const PAGES: usize = 12;
/// Added to every `/time_offs` and `/schedule` answer for `periods`, `rss`, `polling`.
const PERIOD_LATENCY: Duration = Duration::from_millis(50);
const SCHEDULE: &str = "GET /schedule";
const POLLS: usize = 100;

fn year_2025() -> DateRange {
    let date = |s: &str| s.parse::<Date>().expect("a date");
    DateRange::from(date("2025-01-01")..date("2026-01-01"))
}

struct Bench {
    /// Runs the client and the caller, on the benchmark thread.
    rt: Runtime,
    facade: Client,
    http: reqwest::Client,
    bearer: HeaderValue,
    first_url: String,
    sandbox: Sandbox,
    /// Runs the sandbox, on a thread of its own.
    _server: Runtime,
}

/// Pages and items one iteration saw.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    pages: usize,
    items: usize,
}

impl Bench {
    fn new() -> Self {
        let (server, sandbox) = sandbox::serve();
        sandbox.set_route_latency(ROUTE, LATENCY);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let facade = crewsense_tests::sandbox_client(&sandbox)
            .build()
            .expect("client");
        rt.block_on(facade.authenticate()).expect("a token");
        let mut bearer = HeaderValue::from_str(&format!("Bearer {}", sandbox.issue_token()))
            .expect("a header value");
        bearer.set_sensitive(true);
        let first_url = format!(
            "{}/time_offs?start=2025-01-01 00:00:00&end=2026-01-01 00:00:00",
            sandbox.base_url()
        );
        Self {
            rt,
            facade,
            http: reqwest::Client::new(),
            bearer,
            first_url,
            sandbox,
            _server: server,
        }
    }

    async fn prefetch(&self) -> Seen {
        let mut pages = self.facade.time_offs(year_2025()).concurrency(1).pages();
        let mut seen = Seen { pages: 0, items: 0 };
        while let Some(page) = pages.try_next().await.expect("a page") {
            seen.pages += 1;
            seen.items += black_box(page).items.len();
            tokio::time::sleep(CALLER).await;
        }
        seen
    }

    /// Follows the links one page at a time, spending `caller` on each page.
    async fn sequential(&self, caller: Duration) -> Seen {
        let mut url = self.first_url.clone();
        let mut seen = Seen { pages: 0, items: 0 };
        loop {
            let page: Value = self
                .http
                .get(&url)
                .header(AUTHORIZATION, self.bearer.clone())
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .expect("GET /time_offs")
                .json()
                .await
                .expect("a JSON page");
            seen.pages += 1;
            seen.items += page["items"].as_array().map_or(0, Vec::len);
            if !caller.is_zero() {
                tokio::time::sleep(caller).await;
            }
            match page["metadata"]["links"]["next"].as_str() {
                Some(next) => url = next.to_owned(),
                None => return seen,
            }
        }
    }

    /// Outside the timed loop: both ways read the same 12 pages.
    fn sanity(&self) {
        let (a, b) = self
            .rt
            .block_on(async { (self.prefetch().await, self.sequential(CALLER).await) });
        assert_eq!(a, b, "the stream and the link loop disagree");
        assert!(a.pages == PAGES && a.items > 0, "unexpected year: {a:?}");
        self.sandbox.reset_counters();
        self.rt.block_on(self.prefetch());
        assert_eq!(self.sandbox.requests(ROUTE), PAGES, "the stream's requests");
    }
}

fn main() {
    if let Ok(mode) = std::env::var("PAGING_CHILD") {
        child(&mode);
        return;
    }
    let bench = Bench::new();
    bench.sanity();
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("paging");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    group.bench_function("prefetch", |b| {
        b.iter(|| bench.rt.block_on(bench.prefetch()))
    });
    group.bench_function("sequential", |b| {
        b.iter(|| bench.rt.block_on(bench.sequential(CALLER)))
    });
    group.bench_function("links_only", |b| {
        b.iter(|| bench.rt.block_on(bench.sequential(Duration::ZERO)))
    });
    group.finish();
    c.final_summary();

    bench.sandbox.set_route_latency(ROUTE, PERIOD_LATENCY);
    bench.sandbox.set_route_latency(SCHEDULE, PERIOD_LATENCY);
    bench.periods();
    bench.rss();
    bench.polling();
}

/// One way of reading a year in `periods`.
#[derive(Clone, Copy)]
enum Year {
    TimeOffs(usize),
    Schedule(usize),
}

impl Year {
    fn name(self) -> String {
        match self {
            Year::TimeOffs(k) => format!("time_offs k={k}"),
            Year::Schedule(k) => format!("schedule k={k}"),
        }
    }
}

impl Bench {
    /// Reads the year one way; the number of items seen.
    async fn year(&self, way: Year) -> usize {
        match way {
            Year::TimeOffs(k) => {
                let items = self.facade.time_offs(year_2025()).concurrency(k).items();
                items
                    .try_fold(0, |n, item| {
                        black_box(item);
                        async move { Ok(n + 1) }
                    })
                    .await
            }
            Year::Schedule(k) => {
                let days = self
                    .facade
                    .schedule_days(year_2025(), Period::Month)
                    .concurrency(k)
                    .items();
                days.try_fold(0, |n, day| {
                    black_box(day);
                    async move { Ok(n + 1) }
                })
                .await
            }
        }
        .expect("a year")
    }

    fn periods(&self) {
        let rounds: usize = std::env::var("PAGING_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5);
        let ways = [1, 4, 8]
            .map(Year::TimeOffs)
            .into_iter()
            .chain([1, 4, 8].map(Year::Schedule))
            .collect::<Vec<_>>();
        let counts: Vec<usize> = ways
            .iter()
            .map(|w| self.rt.block_on(self.year(*w)))
            .collect();
        assert_eq!(counts[0], counts[1], "time offs at k=1 and k=4");
        assert_eq!(counts[0], counts[2], "time offs at k=1 and k=8");
        assert_eq!(counts[3], 365, "a year of schedule days");
        assert!(counts[3..].iter().all(|n| *n == 365));
        let mut wall = vec![Vec::new(); ways.len()];
        for _ in 0..rounds {
            for (i, way) in ways.iter().enumerate() {
                let started = Instant::now();
                self.rt.block_on(self.year(*way));
                wall[i].push(started.elapsed().as_secs_f64() * 1e3);
            }
        }
        println!(
            "\nperiods: a year, {} ms per answer, median of {rounds} interleaved rounds",
            PERIOD_LATENCY.as_millis()
        );
        let medians: Vec<f64> = wall.into_iter().map(median).collect();
        for (i, way) in ways.iter().enumerate() {
            let base = if i < 3 { medians[0] } else { medians[3] };
            println!(
                "  {:<16} {:>8.1} ms  {:>5.2}x k=1  ({} items)",
                way.name(),
                medians[i],
                base / medians[i],
                counts[i]
            );
        }
    }

    fn rss(&self) {
        let run = |mode: &str| -> Rss {
            let fields = child::figures("PAGING_CHILD", mode, &self.sandbox);
            Rss {
                before_kib: fields[0],
                peak_kib: fields[1],
                items: fields[2],
            }
        };
        let (mut one, mut stream) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            one.push(run("one"));
            stream.push(run("stream"));
        }
        assert!(one.iter().all(|r| r.items == 30), "{one:?}");
        assert!(stream.iter().all(|r| r.items == 365), "{stream:?}");
        let page = median(one.iter().map(Rss::above).collect());
        let held = median(stream.iter().map(Rss::above).collect());
        println!("\nrss: peak above the baseline, KiB (median of 3 children each)");
        println!("  one month fetched and kept   {page:>8.0}  {one:?}");
        println!("  a year by month, k=4, items  {held:>8.0}  {stream:?}");
        println!("  = {:.2} monthly pages' worth", held / page);
    }

    fn polling(&self) {
        let june = DateRange::month(2025, 6).expect("June");
        let (start, end) = june.window();
        let url = format!(
            "{}/schedule?start={start}&end={end}",
            self.sandbox.base_url()
        );
        let bodies = self.rt.block_on(async {
            let first = self
                .http
                .get(&url)
                .header(AUTHORIZATION, self.bearer.clone())
                .send()
                .await
                .expect("GET /schedule");
            let etag = first.headers()["etag"].clone();
            let full = first.bytes().await.expect("a body").len();
            let again = self
                .http
                .get(&url)
                .header(AUTHORIZATION, self.bearer.clone())
                .header("if-none-match", etag)
                .send()
                .await
                .expect("GET /schedule");
            assert_eq!(again.status(), 304);
            (full, again.bytes().await.expect("a body").len())
        });
        let previous = match self
            .rt
            .block_on(self.facade.schedule_if_changed(june, &Validator::default()))
            .expect("June")
        {
            Polled::Changed { validator, .. } => validator,
            Polled::Unchanged => panic!("nothing was sent to compare with"),
        };
        assert!(!previous.is_empty(), "the sandbox sends an ETag");
        self.sandbox.reset_counters();
        let measure = |validator: &Validator| {
            let (wall, cpu) = (Instant::now(), cpu_time::now_ns());
            for _ in 0..POLLS {
                let polled = self
                    .rt
                    .block_on(self.facade.schedule_if_changed(june, validator))
                    .expect("June");
                black_box(polled);
            }
            let cpu = (cpu_time::now_ns() - cpu) as f64 / 1e6;
            (wall.elapsed().as_secs_f64() * 1e3, cpu)
        };
        let (full_wall, full_cpu) = measure(&Validator::default());
        let (cond_wall, cond_cpu) = measure(&previous);
        assert_eq!(
            self.sandbox.not_modified(),
            POLLS,
            "every conditional poll a 304"
        );
        assert_eq!(self.sandbox.requests(SCHEDULE), 2 * POLLS);
        println!("\npolling: June 2025 {POLLS} times, unchanged");
        println!(
            "  full fetch   body {:>10} bytes  cpu {full_cpu:>8.1} ms  wall {full_wall:>8.1} ms",
            bodies.0 * POLLS
        );
        println!(
            "  validator    body {:>10} bytes  cpu {cond_cpu:>8.1} ms  wall {cond_wall:>8.1} ms",
            bodies.1 * POLLS
        );
        println!("  = {:.1}x less CPU", full_cpu / cond_cpu);
    }
}

/// What a `rss` child reports.
#[derive(Debug)]
struct Rss {
    before_kib: u64,
    peak_kib: u64,
    items: u64,
}

impl Rss {
    fn above(&self) -> f64 {
        self.peak_kib.saturating_sub(self.before_kib) as f64
    }
}

/// A child of `rss`: the client alone (the sandbox runs in the parent), printing
/// `before_kib peak_kib items`.
fn child(mode: &str) {
    let (rt, client) = child::client();
    let before = max_rss_kib();
    let items = rt.block_on(async {
        match mode {
            "one" => {
                let june = DateRange::month(2025, 6).expect("June");
                let kept = client.schedule(june).await.expect("June");
                let n = kept.len();
                black_box(&kept);
                n
            }
            _ => {
                let days = client
                    .schedule_days(year_2025(), Period::Month)
                    .concurrency(4)
                    .items();
                days.try_fold(0, |n, day| {
                    black_box(day);
                    async move { Ok(n + 1) }
                })
                .await
                .expect("a year")
            }
        }
    });
    println!("{before} {} {items}", max_rss_kib());
}
