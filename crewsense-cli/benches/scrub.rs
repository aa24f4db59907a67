//! Scrubbing a recorded production `GET /schedule` answer (1.4 MB) as `crewsense doctor
//! --capture` does, against decoding it as the client does:
//!
//! - `decode`: into `crewsense_gen::types::Schedule` through the client's lenient
//!   `decode` (the goal: scrubbing is at least as fast);
//! - `scrub`: the JSON text read along the spec's shape and written again with its
//!   personal strings replaced by pseudonyms, by a fresh scrubber each time (every
//!   pseudonym handed out anew, as for the first answer of a capture);
//! - `scrub_known`: the same by a scrubber that has seen the answer once (every
//!   pseudonym known, as for the answers after the first that name the same people);
//! - `walk`: the read alone, as `doctor` does to find the members the spec does not
//!   know.
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
use crewsense_gen::spec_shape::{JsonType, Kind, OperationShape, Visitor, walk};
use crewsense_gen::types::Schedule;
use criterion::{Criterion, Throughput};

const FIXTURE: &str = "../tests/fixtures/real/schedule_2025_06_response.json";

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let root = OperationShape::by_id("get_schedule").and_then(|shape| shape.response);
    assert!(root.is_some(), "the schedule's shape");
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("scrub_schedule");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("decode", |b| {
        b.iter(|| decode::<Schedule>(black_box(&bytes), "get_schedule", DecodeMode::Lenient))
    });
    group.bench_function("scrub", |b| {
        b.iter(|| scrub::Scrubber::new().scrub("get_schedule", black_box(&bytes), root, |_, _| {}))
    });
    let mut known = scrub::Scrubber::new();
    known
        .scrub("get_schedule", &bytes, root, |_, _| {})
        .expect("JSON");
    group.bench_function("scrub_known", |b| {
        b.iter(|| known.scrub("get_schedule", black_box(&bytes), root, |_, _| {}))
    });
    group.bench_function("walk", |b| {
        b.iter(|| walk(black_box(&bytes), root, &mut Ignore))
    });
    group.finish();
    criterion.final_summary();
}

/// A visitor that keeps everything.
struct Ignore;

impl Visitor for Ignore {
    fn unknown(&mut self, _: &str, _: JsonType) {}

    fn string(&mut self, _: &str, _: &str, _: Option<Kind>, _: &str) -> Option<&str> {
        None
    }
}
