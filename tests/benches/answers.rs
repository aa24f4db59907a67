//! What the department answers cost on the recorded production June 2025 `/schedule`
//! (1.4 MB, 30 days), decoded once, against the time to decode that month:
//!
//! - `decode`: the month through the client's decode path (`crewsense_gen::decode`);
//! - `roster_at`: who is on duty at one instant (2025-06-03 07:30, when the crews
//!   of the day before are still on);
//! - `staffing_at`: staffing by seats at the same instant;
//! - `short_intervals`: the short stretches of every occurrence of the month.
//!
//! Goals (issue 21): one instant (roster + staffing) under 1% of the decode, the
//! whole month's intervals under the decode. Each is timed in wall time
//! (`answers/*`) and in the thread's CPU time (`answers_cpu/*`).
//!
//! Run with `cargo bench -p crewsense-tests --bench answers`; results in
//! `BENCHMARKS.md`.

#[path = "shared/cpu_time.rs"]
mod cpu_time;

use std::hint::black_box;
use std::time::Duration;

use crewsense::roster::roster_at;
use crewsense::staffing::{short_intervals, staffing_at};
use crewsense::time::{DateRange, LocalDateTime};
use crewsense::types::{Schedule, ScheduleDay};
use crewsense::wire::DateMap;
use crewsense_gen::decode::{DecodeMode, decode};
use crewsense_tests::workspace_root;
use criterion::Criterion;
use criterion::measurement::Measurement;

use cpu_time::ThreadCpuTime;

const FIXTURE: &str = "tests/fixtures/real/schedule_2025_06_response.json";

fn decoded(bytes: &[u8]) -> Schedule {
    decode::<Schedule>(bytes, "get_schedule", DecodeMode::Lenient)
        .expect("the recorded answer decodes")
        .value
}

fn answers<M: Measurement>(c: &mut Criterion<M>, group: &str, bytes: &[u8]) {
    let june: DateMap<ScheduleDay> = decoded(bytes).days.expect("production sends days");
    let t: LocalDateTime = "2025-06-03 07:30:00".parse().expect("a time");
    let month = DateRange::month(2025, 6).expect("a month");
    // Outside the timed loop: the answers are not empty.
    assert!(roster_at(&june, t).crews.len() >= 5);
    assert!(!staffing_at(&june, t).is_empty());
    assert!(!short_intervals(&june, month).is_empty());

    let mut group = c.benchmark_group(group);
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.bench_function("decode", |b| b.iter(|| decoded(black_box(bytes))));
    group.bench_function("roster_at", |b| b.iter(|| roster_at(black_box(&june), t)));
    group.bench_function("staffing_at", |b| {
        b.iter(|| staffing_at(black_box(&june), t))
    });
    group.bench_function("short_intervals", |b| {
        b.iter(|| short_intervals(black_box(&june), month))
    });
    group.finish();
}

fn main() {
    let path = workspace_root().join(FIXTURE);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut wall = Criterion::default().configure_from_args();
    answers(&mut wall, "answers", &bytes);
    let mut cpu = Criterion::default()
        .with_measurement(ThreadCpuTime)
        .configure_from_args();
    answers(&mut cpu, "answers_cpu", &bytes);
    cpu.final_summary();
}
