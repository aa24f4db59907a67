//! Hours per work period (`Client::hours`, 28 days / 212 hours from the range's
//! start, the default concurrency) for a year of the sandbox's schedule against a
//! month: wall time and peak resident set size.
//!
//! Each run is a child process (this binary with `HOURS_CHILD=month|year`) holding
//! the client alone, the sandbox serving from the parent. The child makes one call
//! to warm up (the connection, the first allocations), takes its peak RSS (`VmHWM`)
//! as the baseline, reads the range's hours to the end, dropping
//! each period once seen, and prints `before_kib peak_kib wall_us periods rows`.
//! Months and years alternate; the medians are printed, with the ratios year/month
//! of the peak and of the peak above the baseline.
//!
//! Run with `cargo bench -p crewsense-tests --bench hours` (`HOURS_RUNS`, default 5,
//! sets the children of each range; `HOURS_LATENCY_MS` adds that much time to each
//! `/schedule` answer, default 0).

#[path = "shared/child.rs"]
mod child;
#[path = "shared/max_rss.rs"]
mod max_rss;
#[path = "shared/sandbox.rs"]
mod sandbox;

use std::hint::black_box;
use std::time::{Duration, Instant};

use child::{figures, median};
use crewsense::hours::Preset;
use crewsense::time::{Date, DateRange};
use futures::TryStreamExt;
use max_rss::max_rss_kib;

const CHILD: &str = "HOURS_CHILD";

fn range(mode: &str) -> DateRange {
    let date = |s: &str| s.parse::<Date>().expect("a date");
    match mode {
        "month" => DateRange::month(2025, 6).expect("June"),
        _ => DateRange::from(date("2025-01-01")..date("2026-01-01")),
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What a child reports.
#[derive(Debug)]
struct Run {
    before_kib: u64,
    peak_kib: u64,
    wall_us: u64,
    periods: u64,
    rows: u64,
}

impl Run {
    fn above_kib(&self) -> f64 {
        self.peak_kib.saturating_sub(self.before_kib) as f64
    }
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD) {
        child(&mode);
        return;
    }
    let (_server, sandbox) = sandbox::serve();
    let latency = Duration::from_millis(env_number("HOURS_LATENCY_MS", 0));
    sandbox.set_route_latency("GET /schedule", latency);
    let runs = env_number("HOURS_RUNS", 5);
    let run = |mode: &str| {
        let f = figures(CHILD, mode, &sandbox);
        Run {
            before_kib: f[0],
            peak_kib: f[1],
            wall_us: f[2],
            periods: f[3],
            rows: f[4],
        }
    };
    let (mut month, mut year) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        month.push(run("month"));
        year.push(run("year"));
    }
    // June from June 1: June 1 to 29, and June 29 to July 27 cut by the month.
    assert!(month.iter().all(|r| r.periods == 2), "{month:?}");
    // 2025 from January 1: 13 whole periods and one cut by the year.
    assert!(year.iter().all(|r| r.periods == 14), "{year:?}");
    let med = |runs: &[Run], figure: fn(&Run) -> f64| median(runs.iter().map(figure).collect());
    let (m_peak, y_peak) = (
        med(&month, |r| r.peak_kib as f64),
        med(&year, |r| r.peak_kib as f64),
    );
    let (m_above, y_above) = (med(&month, Run::above_kib), med(&year, Run::above_kib));
    let (m_wall, y_wall) = (
        med(&month, |r| r.wall_us as f64 / 1e3),
        med(&year, |r| r.wall_us as f64 / 1e3),
    );
    println!(
        "hours, 28/212, default concurrency, /schedule latency {} ms, median of {runs} children each",
        latency.as_millis()
    );
    println!("  range  periods  rows   wall ms   peak KiB   above baseline KiB");
    for (name, runs, wall, peak, above) in [
        ("month", &month, m_wall, m_peak, m_above),
        ("year", &year, y_wall, y_peak, y_above),
    ] {
        println!(
            "  {name:<5}  {:>7}  {:>5}  {wall:>8.1}  {peak:>9.0}  {above:>10.0}",
            runs[0].periods, runs[0].rows
        );
    }
    println!(
        "  year / month: wall {:.2}x, peak RSS {:.2}x, above the baseline {:.2}x",
        y_wall / m_wall,
        y_peak / m_peak,
        y_above / m_above
    );
    println!("  month runs: {month:?}\n  year runs:  {year:?}");
}

/// A child: the client alone, reading the hours of `mode`'s range.
fn child(mode: &str) {
    let (rt, client) = child::client();
    let range = range(mode);
    let period = Preset::Fire28Days.anchored(range.start());
    let before = max_rss_kib();
    let started = Instant::now();
    let hours = client
        .hours(range, period)
        .try_fold((0, 0), |(periods, rows), period| {
            let people = black_box(period).people.len();
            async move { Ok((periods + 1, rows + people)) }
        });
    let (periods, rows) = rt.block_on(hours).expect("the hours");
    let wall = started.elapsed().as_micros();
    println!("{before} {} {wall} {periods} {rows}", max_rss_kib());
}
