//! Decoding a recorded production `GET /schedule` answer (1.4 MB), three ways:
//!
//! - `crewsense`: into the generated `crewsense_gen::types::Schedule`, whose fields are
//!   the lenient wire types (`Id`, `Decimal`, `Flag`, `LocalDateTime`, `DateMap`, ...),
//!   through `crewsense_gen::decode::decode` as the client decodes every answer;
//! - `garbled`: the same with one shift's `recurring` flag sent as `"yes"`, which the
//!   client leaves out (the cost of one degraded field: a second, repairing pass);
//! - `value`: into `serde_json::Value`, the untyped baseline;
//! - `strict`: into a strict serde mirror of the same shape with plain std types
//!   (`strict_schedule`), the floor for a typed decode.
//!
//! Each is timed twice: in wall time (`decode_schedule/*`) and in the thread's CPU
//! time (`decode_schedule_cpu/*`), which a busy machine disturbs less.
//!
//! Run with `cargo bench -p crewsense-tests --bench decode`; results and the goal
//! (lenient <= 1.25x strict) are in `BENCHMARKS.md`. `DECODE_ONCE=crewsense|garbled|value|strict`
//! makes the bench binary decode once and exit, for an instruction count under callgrind.

#[path = "shared/cpu_time.rs"]
mod cpu_time;
#[path = "decode/strict_schedule.rs"]
mod strict_schedule;

use std::hint::black_box;
use std::time::Duration;

use crewsense_gen::decode::{DecodeMode, decode as client_decode};
use crewsense_gen::types::Schedule;
use crewsense_tests::workspace_root;
use criterion::measurement::Measurement;
use criterion::{Criterion, Throughput};

use cpu_time::ThreadCpuTime;

const FIXTURE: &str = "tests/fixtures/real/schedule_2025_06_response.json";

fn payload() -> Vec<u8> {
    let path = workspace_root().join(FIXTURE);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The payload with the first shift's `recurring` flag sent as `"yes"`.
fn garbled(bytes: &[u8]) -> Vec<u8> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).expect("JSON");
    let shift = value["days"]
        .as_object_mut()
        .and_then(|days| days.values_mut().next())
        .and_then(|day| day["assignments"][0]["shifts"].get_mut(0))
        .expect("a shift on the first day");
    shift["recurring"] = "yes".into();
    serde_json::to_vec(&value).expect("JSON")
}

/// What the client does with an answer body.
fn client_path(bytes: &[u8]) -> Schedule {
    client_decode::<Schedule>(bytes, "get_schedule", DecodeMode::Lenient)
        .expect("lenient decode")
        .value
}

/// Days, assignments and shifts seen by a decode.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    days: usize,
    assignments: usize,
    shifts: usize,
    time_off: usize,
}

fn lenient_counts(schedule: &Schedule) -> Counts {
    let days = schedule.days.as_ref().expect("production sends days");
    let assignments = || {
        days.iter()
            .flat_map(|(_, day)| day.assignments.iter().flatten())
    };
    Counts {
        days: days.len(),
        assignments: assignments().count(),
        shifts: assignments()
            .map(|a| a.shifts.as_ref().map_or(0, Vec::len))
            .sum(),
        time_off: days
            .iter()
            .map(|(_, day)| day.time_off.as_ref().map_or(0, Vec::len))
            .sum(),
    }
}

fn strict_counts(schedule: &strict_schedule::Schedule) -> Counts {
    let days = &schedule.days;
    Counts {
        days: days.len(),
        assignments: days.values().map(|d| d.assignments.len()).sum(),
        shifts: days
            .values()
            .flat_map(|d| &d.assignments)
            .map(|a| a.shifts.len())
            .sum(),
        time_off: days.values().map(|d| d.time_off.len()).sum(),
    }
}

/// Outside the timed loop: both typed decodes succeed and see the same schedule.
fn sanity(bytes: &[u8], garbled: &[u8]) {
    let lenient = client_path(bytes);
    let degraded = client_decode::<Schedule>(garbled, "get_schedule", DecodeMode::Lenient)
        .expect("the garbled payload decodes");
    assert_eq!(degraded.degraded.len(), 1, "one value left out");
    assert_eq!(lenient_counts(&degraded.value), lenient_counts(&lenient));
    let strict: strict_schedule::Schedule = serde_json::from_slice(bytes).expect("strict decode");
    let (a, b) = (lenient_counts(&lenient), strict_counts(&strict));
    assert_eq!(a, b, "the lenient and strict decodes disagree");
    assert!(a.days == 30 && a.shifts > 0, "unexpected fixture: {a:?}");
    let first = lenient.days.as_ref().and_then(|d| d.iter().next());
    let first_strict = strict.days.keys().next();
    assert_eq!(
        first.map(|(date, _)| date.to_string()).as_ref(),
        first_strict
    );
}

/// The three decodes, timed with `M`; each iteration decodes and drops the result.
fn decode<M: Measurement>(c: &mut Criterion<M>, group: &str, bytes: &[u8], garbled: &[u8]) {
    let mut group = c.benchmark_group(group);
    group
        .throughput(Throughput::Bytes(bytes.len() as u64))
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("crewsense", |b| b.iter(|| client_path(black_box(bytes))));
    group.bench_function("garbled", |b| b.iter(|| client_path(black_box(garbled))));
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(bytes)).unwrap())
    });
    group.bench_function("strict", |b| {
        b.iter(|| serde_json::from_slice::<strict_schedule::Schedule>(black_box(bytes)).unwrap())
    });
    group.finish();
}

/// One decode of one variant, for an instruction count under callgrind (see
/// `BENCHMARKS.md`); `--toggle-collect` on this function leaves out the file read.
#[inline(never)]
fn decode_once(variant: &str, bytes: &[u8]) {
    match variant {
        "crewsense" | "garbled" => drop(black_box(client_path(bytes))),
        "value" => drop(black_box(
            serde_json::from_slice::<serde_json::Value>(bytes).unwrap(),
        )),
        "strict" => drop(black_box(
            serde_json::from_slice::<strict_schedule::Schedule>(bytes).unwrap(),
        )),
        other => panic!("DECODE_ONCE={other}: expected crewsense, garbled, value or strict"),
    }
}

fn main() {
    let bytes = payload();
    let garbled = garbled(&bytes);
    if let Ok(variant) = std::env::var("DECODE_ONCE") {
        let input = if variant == "garbled" {
            &garbled
        } else {
            &bytes
        };
        decode_once(&variant, black_box(input));
        return;
    }
    sanity(&bytes, &garbled);
    // Wall time, as criterion measures by default, then the thread's CPU time, which
    // leaves out the time other processes hold the core (see `cpu_time`).
    let mut wall = Criterion::default().configure_from_args();
    decode(&mut wall, "decode_schedule", &bytes, &garbled);
    let mut cpu = Criterion::default()
        .with_measurement(ThreadCpuTime)
        .configure_from_args();
    decode(&mut cpu, "decode_schedule_cpu", &bytes, &garbled);
    cpu.final_summary();
}
