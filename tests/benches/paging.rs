//! Paging: a year of `GET /time_offs` from the sandbox (12 month pages), each answer
//! delayed by 20 ms (`Sandbox::set_route_latency`), read by a caller that spends
//! 10 ms on each page (`tokio::time::sleep`), two ways:
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
//! mostly wait.
//!
//! Run with `cargo bench -p crewsense-tests --bench paging`.

use std::hint::black_box;
use std::time::Duration;

use crewsense::Client;
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
        let server = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let sandbox = server
            .block_on(Sandbox::start())
            .expect("start the sandbox");
        sandbox.set_route_latency(ROUTE, LATENCY);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let facade = Client::builder()
            .client_credentials(sandbox.client_id(), sandbox.client_secret())
            .base_url(sandbox.base_url())
            .token_url(sandbox.token_url())
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
        let mut pages = self.facade.time_offs(year_2025()).pages();
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
}
