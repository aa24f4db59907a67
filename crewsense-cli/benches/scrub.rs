//! Scrubbing a recorded production `GET /schedule` answer (1.4 MB) as `crewsense doctor
//! --capture` does, against decoding it as the client does:
//!
//! - `decode`: into `crewsense_gen::types::Schedule` through the client's lenient
//!   `decode` (the goal: scrubbing is at least as fast);
//! - `parse`: into a `serde_json::Value`, the first half of scrubbing;
//! - `parse_and_scrub`: parsed, then every string walked along the spec's shape and
//!   the personal ones replaced by pseudonyms (a fresh scrubber each time, so every
//!   pseudonym is handed out anew);
//! - `scrub`: the walk and the pseudonyms alone, on a parsed copy made outside the
//!   timing.
//!
//! Run by hand with `cargo bench -p crewsense-cli --bench scrub`; results are in
//! `BENCHMARKS.md`.

// The scrubber itself, compiled into the bench (the CLI's modules are private); its
// unit tests are compiled out here, so their imports go unused.
#[allow(dead_code, unused_imports)]
#[path = "../src/doctor/scrub.rs"]
mod scrub;

use std::hint::black_box;
use std::path::Path;

use crewsense_gen::decode::{DecodeMode, decode};
use crewsense_gen::spec_shape::OperationShape;
use crewsense_gen::types::Schedule;
use criterion::{BatchSize, Criterion, Throughput};

const FIXTURE: &str = "../tests/fixtures/real/schedule_2025_06_response.json";

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let root = OperationShape::by_id("get_schedule")
        .and_then(|shape| shape.response)
        .expect("the schedule's shape");
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("scrub_schedule");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("decode", |b| {
        b.iter(|| decode::<Schedule>(black_box(&bytes), "get_schedule", DecodeMode::Lenient))
    });
    group.bench_function("parse", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&bytes)))
    });
    group.bench_function("parse_and_scrub", |b| {
        b.iter(|| {
            let mut value: serde_json::Value =
                serde_json::from_slice(black_box(&bytes)).expect("JSON");
            let mut scrubber = scrub::Scrubber::new();
            scrubber.scrub("get_schedule", &mut value, root);
            value
        })
    });
    let parsed: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    group.bench_function("scrub", |b| {
        b.iter_batched(
            || parsed.clone(),
            |mut value| {
                scrub::Scrubber::new().scrub("get_schedule", &mut value, root);
                value
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
    criterion.final_summary();
}
