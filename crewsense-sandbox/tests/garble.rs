//! `Fault::Garble`: one value inside a record replaced, and reported exactly.

mod common;

use std::collections::BTreeSet;

use common::Harness;
use crewsense_sandbox::{Fault, Garbled, Mode, Sandbox};
use serde_json::{Value, json};

const SCHEDULE: &str = "/schedule?start=2025-06-02 00:00:00&end=2025-06-04 00:00:00";
const TIME_OFFS: &str = "/time_offs?start=2025-06-01 00:00:00&end=2025-08-01 00:00:00";
const CONTROL_KEYS: [&str; 6] = ["metadata", "pagination", "links", "href", "next", "prev"];

/// One step of a reported path: an object key or an array index.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Parses `days.2025-06-02.assignments[3].shifts[0].recurring`.
fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, indices) = part.split_once('[').map_or((part, ""), |(k, i)| (k, i));
        if !key.is_empty() {
            out.push(Step::Key(key.to_owned()));
        }
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            out.push(Step::Index(index.trim_end_matches(']').parse().unwrap()));
        }
    }
    out
}

fn at<'a>(doc: &'a mut Value, path: &str) -> &'a mut Value {
    steps(path).iter().fold(doc, |v, step| match step {
        Step::Key(k) => v
            .get_mut(k.as_str())
            .unwrap_or_else(|| panic!("{path}: no {k}")),
        Step::Index(i) => v.get_mut(*i).unwrap_or_else(|| panic!("{path}: no [{i}]")),
    })
}

/// Garbles one answer of `path` with `seed`; returns the real answer, the
/// garbled one and the report.
async fn garbled_once(h: &Harness, route: &str, path: &str, seed: u64) -> (Value, Value, Garbled) {
    let (_, real) = h.get(path).await;
    h.sandbox.fail_next(route, 1, Fault::Garble { seed });
    let (status, garbled) = h.get(path).await;
    assert_eq!(status, 200);
    let report = h
        .sandbox
        .garbled()
        .pop()
        .expect("one garbled value reported");
    (real, garbled, report)
}

/// The report's path names exactly the one value that differs.
fn assert_exactly_the_reported_value(mut real: Value, mut garbled: Value, g: &Garbled) {
    assert_eq!(*at(&mut real, &g.path), g.original, "{}", g.path);
    let spot = at(&mut garbled, &g.path);
    assert_eq!(*spot, g.replacement);
    *spot = g.original.clone();
    assert!(garbled == real, "something else changed besides {}", g.path);
    assert!(!g.original.is_null());
    assert_ne!(
        std::mem::discriminant(&g.original),
        std::mem::discriminant(&g.replacement)
    );
    let keyed = |k: &str| k.bytes().all(|c| c.is_ascii_digit()) || k.starts_with("2025-");
    let in_keyed_map = g.path.split('.').take(2).any(keyed);
    assert!(
        g.path.contains('[') || in_keyed_map,
        "inside a record: {}",
        g.path
    );
    for step in steps(&g.path) {
        if let Step::Key(k) = step {
            assert!(
                !CONTROL_KEYS.contains(&k.as_str()),
                "paging value garbled: {}",
                g.path
            );
        }
    }
}

#[tokio::test]
async fn a_garbled_schedule_differs_from_the_real_one_in_exactly_the_reported_value() {
    let h = Harness::start().await;
    let (real, garbled, report) = garbled_once(&h, "GET /schedule", SCHEDULE, 7).await;
    assert_eq!(report.route, "GET /schedule");
    assert!(report.path.starts_with("days.2025-06-0"), "{}", report.path);
    assert_exactly_the_reported_value(real.clone(), garbled, &report);
    let (_, after) = h.get(SCHEDULE).await;
    assert!(after == real, "one fault garbles one answer");
    assert_eq!(h.sandbox.garbled().len(), 1);
}

#[tokio::test]
async fn the_same_seed_garbles_the_same_value_the_same_way() {
    let (a, b) = (Harness::start().await, Harness::start().await);
    let (_, first, report_a) = garbled_once(&a, "GET /schedule", SCHEDULE, 42).await;
    let (_, second, report_b) = garbled_once(&b, "GET /schedule", SCHEDULE, 42).await;
    assert_eq!(report_a, report_b);
    let without_host = |doc: &Value, h: &Harness| doc.to_string().replace(h.sandbox.base_url(), "");
    assert!(without_host(&first, &a) == without_host(&second, &b));
}

#[tokio::test]
async fn many_seeds_use_every_form_and_never_touch_a_paging_value() {
    let h = Harness::start().await;
    let mut forms = BTreeSet::new();
    for seed in 0..120 {
        let (path, route) = if seed % 2 == 0 {
            (SCHEDULE, "GET /schedule")
        } else {
            (TIME_OFFS, "GET /time_offs")
        };
        let (real, garbled, report) = garbled_once(&h, route, path, seed).await;
        assert_eq!(garbled["metadata"], real["metadata"]);
        assert_exactly_the_reported_value(real, garbled, &report);
        forms.insert(report.replacement.to_string());
    }
    let expected: BTreeSet<String> = [
        json!("0000-00-00"),
        json!("0000-00-00 00:00:00"),
        json!(""),
        json!("N/A"),
        json!("yes"),
        json!(false),
        json!({}),
        json!([]),
        json!(12345),
    ]
    .iter()
    .map(Value::to_string)
    .collect();
    assert_eq!(forms, expected);
}

#[tokio::test]
async fn any_route_garbling_reaches_keyed_maps_and_documented_day_lists() {
    let h = Harness::with(
        Sandbox::builder()
            .mode(Mode::Documented)
            .start()
            .await
            .unwrap(),
    )
    .await;
    let (real, garbled, report) = garbled_once(&h, "*", SCHEDULE, 3).await;
    assert_eq!(report.route, "GET /schedule");
    assert!(report.path.starts_with("days["), "{}", report.path);
    assert_exactly_the_reported_value(real, garbled, &report);
    let (real, garbled, report) = garbled_once(&h, "*", "/forms", 5).await;
    assert_eq!(report.route, "GET /forms");
    assert_exactly_the_reported_value(real, garbled, &report);
}

#[tokio::test]
async fn an_answer_without_records_is_sent_unchanged_and_not_reported() {
    let h = Harness::start().await;
    h.sandbox
        .fail_next("GET /company", 1, Fault::Garble { seed: 1 });
    let (status, company) = h.get("/company").await;
    assert_eq!(status, 200);
    assert_eq!(company, h.get("/company").await.1);
    assert_eq!(h.sandbox.pending_faults("GET /company"), 0);
    assert!(h.sandbox.garbled().is_empty());
}
