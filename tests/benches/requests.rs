//! Request overhead: 1000 sequential `GET /users/{id}` against the sandbox on
//! loopback, four ways:
//!
//! - `crewsense`: `Client::user(id)` through the facade, with its token cached and
//!   its default settings (retry policy, timeouts, redirect policy);
//! - `crewsense_no_retry`: the same with `RetryPolicy::none()`, which sends each
//!   request once without buffering or cloning it: what the retry layer costs;
//! - `raw_typed`: a bare `reqwest::Client::new()` with a fixed `Authorization: Bearer`
//!   header, decoding into the same generated `crewsense_gen::types::User`;
//! - `raw_value`: the same, decoding into `serde_json::Value`.
//!
//! One iteration is 1000 calls in a row, cycling through the sandbox's 60 users.
//!
//! The sandbox runs in a child process (this binary, started with
//! `REQUESTS_SANDBOX=1`), and the client on a current-thread tokio runtime on the
//! benchmark thread, connection tasks included. So the benchmark thread's CPU time
//! (`requests_cpu/*`) is the client's work alone, without the server's; wall time
//! (`requests/*`) adds the server and the loopback round trips, which both sides
//! share.
//!
//! Run with `cargo bench -p crewsense-tests --bench requests`; results and the goal
//! (`crewsense` <= 1.10x raw) are in `BENCHMARKS.md`.
//! `REQUESTS_ONCE=<way>` makes the binary run one iteration
//! (after a warm-up) in `requests_once` and exit, for an instruction count of the
//! client under callgrind. `REQUESTS_ROUNDS=<n>` runs `n` rounds of one iteration of
//! each way in turn instead of criterion, and prints medians and the median of each
//! round's ratios: criterion times one way after the other, so a change of load
//! between them shows in its ratios, less so in those of rounds.
//!
//! `REQUESTS_SUBSCRIBER` installs a `tracing` subscriber in the client's process for
//! the whole run: `none` (the default), `drop` (one that is interested in every span
//! and event and keeps nothing, so only the cost of emitting them counts) or `fmt`
//! (`tracing_subscriber`'s fmt subscriber at INFO, writing to a sink).
//! `REQUESTS_METRICS=1` also turns crewsense's metrics on
//! (`crewsense::observe::record_metrics`), with no recorder installed: what building
//! and hashing the metric keys and reading the clocks costs.

#[path = "shared/cpu_time.rs"]
mod cpu_time;

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crewsense::Client;
use crewsense::retry::RetryPolicy;
use crewsense::types::User;
use crewsense::wire::Id;
use crewsense_sandbox::Sandbox;
use criterion::measurement::Measurement;
use criterion::{Criterion, SamplingMode, Throughput};
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::runtime::Runtime;
use tracing::level_filters::LevelFilter;
use tracing::span;
use tracing::subscriber::Interest;

use cpu_time::ThreadCpuTime;

/// Calls per iteration.
const CALLS: usize = 1000;
/// Set in the child process that serves the sandbox.
const SANDBOX_ENV: &str = "REQUESTS_SANDBOX";
/// Which `tracing` subscriber the client's process runs under (see the module docs).
const SUBSCRIBER_ENV: &str = "REQUESTS_SUBSCRIBER";

/// What the child process prints once its sandbox listens.
#[derive(Debug, Deserialize)]
struct SandboxInfo {
    base_url: String,
    token_url: String,
    client_id: String,
    client_secret: String,
    token: String,
}

/// The child process: a sandbox that serves until the parent closes stdin.
fn serve_sandbox() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let sandbox = Sandbox::start().await.expect("start the sandbox");
        let info = serde_json::json!({
            "base_url": sandbox.base_url(),
            "token_url": sandbox.token_url(),
            "client_id": sandbox.client_id(),
            "client_secret": sandbox.client_secret(),
            "token": sandbox.issue_token(),
        });
        println!("{info}");
        tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new()))
            .await
            .ok();
    });
}

/// A sandbox in a child process; dropping it stops the child.
struct SandboxProcess {
    child: Child,
    info: SandboxInfo,
}

impl SandboxProcess {
    fn start() -> Self {
        let exe = std::env::current_exe().expect("the bench binary's path");
        let mut child = Command::new(exe)
            .env(SANDBOX_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the sandbox process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("the sandbox's first line");
        let info = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the sandbox process printed {line:?}: {e}"));
        Self { child, info }
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        self.child.wait().ok();
    }
}

/// Everything one iteration needs, set up and warmed outside the timed loops.
struct Bench {
    rt: Runtime,
    facade: Client,
    /// The facade with `RetryPolicy::none()`.
    no_retry: Client,
    http: reqwest::Client,
    bearer: HeaderValue,
    base_url: String,
    ids: Vec<Id>,
    _sandbox: SandboxProcess,
}

impl Bench {
    fn new() -> Self {
        let sandbox = SandboxProcess::start();
        let info = &sandbox.info;
        // The client's runtime runs on the benchmark thread (see the module docs).
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let facade = Client::builder()
            .client_credentials(info.client_id.as_str(), info.client_secret.as_str())
            .base_url(&info.base_url)
            .token_url(&info.token_url)
            .build()
            .expect("client");
        let mut bearer =
            HeaderValue::from_str(&format!("Bearer {}", info.token)).expect("a header value");
        bearer.set_sensitive(true);
        // Fetches and caches the facade's token.
        let users = rt.block_on(facade.users()).expect("GET /users");
        let ids: Vec<Id> = users.iter().filter_map(|u| u.user_id).collect();
        assert!(ids.len() >= 10, "the sandbox has {} users", ids.len());
        let base_url = info.base_url.clone();
        Self {
            rt,
            no_retry: facade.with_retry(RetryPolicy::none()),
            facade,
            http: reqwest::Client::new(),
            bearer,
            base_url,
            ids,
            _sandbox: sandbox,
        }
    }

    fn id(&self, call: usize) -> Id {
        self.ids[call % self.ids.len()]
    }

    async fn facade_user(client: &Client, id: Id) -> User {
        client.user(id.into()).await.expect("GET /users/{id}")
    }

    async fn raw_user<T: DeserializeOwned>(&self, id: Id) -> T {
        self.http
            .get(format!("{}/users/{id}", self.base_url))
            .header(AUTHORIZATION, self.bearer.clone())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("GET /users/{id}")
            .json()
            .await
            .expect("a JSON user")
    }

    /// Outside the timed loop: the four ways read the same users.
    fn sanity(&self) {
        self.rt.block_on(async {
            for call in 0..self.ids.len() {
                let id = self.id(call);
                let facade = Self::facade_user(&self.facade, id).await;
                let no_retry = Self::facade_user(&self.no_retry, id).await;
                let typed: User = self.raw_user(id).await;
                let value: serde_json::Value = self.raw_user(id).await;
                assert_eq!(facade, typed, "user {id}");
                assert_eq!(facade, no_retry, "user {id}");
                assert_eq!(facade.user_id, Some(id));
                assert_eq!(value["user_id"], id.get(), "user {id}");
            }
        });
    }
}

#[derive(Debug, Clone, Copy)]
enum Variant {
    Crewsense,
    CrewsenseNoRetry,
    RawTyped,
    RawValue,
}

impl Variant {
    const ALL: [Variant; 4] = [
        Variant::Crewsense,
        Variant::CrewsenseNoRetry,
        Variant::RawTyped,
        Variant::RawValue,
    ];

    fn name(self) -> &'static str {
        match self {
            Variant::Crewsense => "crewsense",
            Variant::CrewsenseNoRetry => "crewsense_no_retry",
            Variant::RawTyped => "raw_typed",
            Variant::RawValue => "raw_value",
        }
    }

    /// `calls` sequential calls, each result dropped.
    fn run(self, bench: &Bench, calls: usize) {
        bench.rt.block_on(async {
            for call in 0..calls {
                let id = bench.id(call);
                match self {
                    Variant::Crewsense => {
                        drop(black_box(Bench::facade_user(&bench.facade, id).await))
                    }
                    Variant::CrewsenseNoRetry => {
                        drop(black_box(Bench::facade_user(&bench.no_retry, id).await))
                    }
                    Variant::RawTyped => drop(black_box(bench.raw_user::<User>(id).await)),
                    Variant::RawValue => {
                        drop(black_box(bench.raw_user::<serde_json::Value>(id).await))
                    }
                }
            }
        });
    }
}

/// The four ways, timed with `M`; each iteration is [`CALLS`] calls.
fn requests<M: Measurement>(c: &mut Criterion<M>, group: &str, bench: &Bench) {
    let mut group = c.benchmark_group(group);
    group
        .throughput(Throughput::Elements(CALLS as u64))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for variant in Variant::ALL {
        group.bench_function(variant.name(), |b| b.iter(|| variant.run(bench, CALLS)));
    }
    group.finish();
}

/// One iteration of one way, for an instruction count under callgrind;
/// `--toggle-collect` on this function leaves out the set-up and the warm-up.
#[inline(never)]
fn requests_once(variant: Variant, bench: &Bench) {
    variant.run(bench, CALLS);
}

/// The thread's CPU time as (user, system), from `getrusage(RUSAGE_THREAD)`.
fn thread_rusage() -> (Duration, Duration) {
    // SAFETY: an all-zero rusage is a valid value for getrusage to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
    assert_eq!(rc, 0, "getrusage(RUSAGE_THREAD) failed");
    let time = |t: libc::timeval| {
        Duration::new(t.tv_sec as u64, 0) + Duration::from_micros(t.tv_usec as u64)
    };
    (time(usage.ru_utime), time(usage.ru_stime))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// What [`rounds`] measures of one iteration, in milliseconds.
const MEASURES: [&str; 4] = ["wall", "cpu", "user", "system"];

/// `rounds` rounds of one iteration of each way, the order rotating each round;
/// prints milliseconds per iteration (wall, thread CPU, its user and system parts)
/// and each way's ratio to `raw_typed` within a round.
fn rounds(bench: &Bench, rounds: usize) {
    let ways = Variant::ALL.len();
    // samples[way][measure][round], in ms.
    let mut samples = vec![vec![Vec::new(); MEASURES.len()]; ways];
    for round in 0..rounds {
        for k in 0..ways {
            let way = (round + k) % ways;
            let (user, system) = thread_rusage();
            let (wall, cpu) = (Instant::now(), cpu_time::now_ns());
            Variant::ALL[way].run(bench, CALLS);
            let cpu = (cpu_time::now_ns() - cpu) as f64 / 1e6;
            let wall = wall.elapsed().as_secs_f64() * 1e3;
            let (user2, system2) = thread_rusage();
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            for (m, value) in [wall, cpu, ms(user2 - user), ms(system2 - system)]
                .into_iter()
                .enumerate()
            {
                samples[way][m].push(value);
            }
        }
    }
    let base = 2;
    assert_eq!(Variant::ALL[base].name(), "raw_typed");
    println!(
        "{rounds} rounds of {CALLS} calls; ms per iteration, median [q1-q3]; \
         xratio = median [q1-q3] of the per-round ratios to raw_typed"
    );
    let quartiles = |mut v: Vec<f64>| {
        let m = median(&mut v);
        let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
        (q(0.25), m, q(0.75))
    };
    for (way, variant) in Variant::ALL.iter().enumerate() {
        let mut line = format!("{:>18}", variant.name());
        for (m, name) in MEASURES.iter().enumerate() {
            let (q1, median, q3) = quartiles(samples[way][m].clone());
            let ratios = samples[way][m]
                .iter()
                .zip(&samples[base][m])
                .map(|(a, b)| a / b)
                .collect();
            let (r1, r, r3) = quartiles(ratios);
            line += &format!("  {name} {median:.1} [{q1:.1}-{q3:.1}] x{r:.3} [{r1:.3}-{r3:.3}]");
        }
        println!("{line}");
    }
}

/// A subscriber that wants every span and event and keeps none of them.
struct DropAll(AtomicU64);

impl tracing::Subscriber for DropAll {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> Interest {
        Interest::always()
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::TRACE)
    }

    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(self.0.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, _: &tracing::Event<'_>) {}

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

/// Installs the subscriber that `REQUESTS_SUBSCRIBER` names, and turns metrics on
/// if `REQUESTS_METRICS` is set.
fn install_subscriber() {
    if std::env::var_os("REQUESTS_METRICS").is_some() {
        crewsense::observe::record_metrics();
    }
    let name = std::env::var(SUBSCRIBER_ENV).unwrap_or_default();
    let installed = match name.as_str() {
        "" | "none" => return,
        "drop" => tracing::subscriber::set_global_default(DropAll(AtomicU64::new(1))),
        "fmt" => tracing::subscriber::set_global_default(
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::INFO)
                .with_writer(std::io::sink)
                .finish(),
        ),
        other => panic!("{SUBSCRIBER_ENV}={other}: expected none, drop or fmt"),
    };
    installed.expect("the only global subscriber");
}

fn main() {
    if std::env::var_os(SANDBOX_ENV).is_some() {
        serve_sandbox();
        return;
    }
    install_subscriber();
    let bench = Bench::new();
    bench.sanity();
    if let Ok(name) = std::env::var("REQUESTS_ONCE") {
        let variant = Variant::ALL
            .into_iter()
            .find(|v| v.name() == name)
            .unwrap_or_else(|| {
                let names: Vec<_> = Variant::ALL.iter().map(|v| v.name()).collect();
                panic!("REQUESTS_ONCE={name}: expected one of {names:?}")
            });
        variant.run(&bench, CALLS / 10);
        requests_once(variant, &bench);
        return;
    }
    if let Some(n) = std::env::var("REQUESTS_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        rounds(&bench, n);
        return;
    }
    let mut wall = Criterion::default().configure_from_args();
    requests(&mut wall, "requests", &bench);
    let mut cpu = Criterion::default()
        .with_measurement(ThreadCpuTime)
        .configure_from_args();
    requests(&mut cpu, "requests_cpu", &bench);
    cpu.final_summary();
}
