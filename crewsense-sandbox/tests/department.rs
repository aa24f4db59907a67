//! A sandbox serving a department from a capture directory: the seeded sandbox's
//! own answers, written in the contract-fixture format, served again.

mod common;

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use common::Harness;
use crewsense_sandbox::{Department, DepartmentError, Fault, Mode, Sandbox};
use reqwest::Method;
use serde_json::{Value, json};

/// The window captured: a quarter with the three short days of June 2025, the
/// day staff's weekends off and vacations shown on their platoon's duty days only.
const WINDOW: &str = "/schedule?start=2025-04-01%2000:00:00&end=2025-07-01%2000:00:00";

/// The reads captured, with the spec's path of each.
const READS: [(&str, &str); 8] = [
    ("/company", "/company"),
    ("/users", "/users"),
    ("/assignments", "/assignments"),
    ("/qualifiers", "/qualifiers"),
    ("/work_types", "/work_types"),
    ("/work_subtypes", "/work_subtypes"),
    ("/time_off_types", "/time_off_types"),
    (WINDOW, "/schedule"),
];

/// An answer with the sandbox's own address taken out, so that two sandboxes'
/// answers compare.
async fn read(h: &Harness, path: &str) -> Value {
    let (status, body) = h.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    let text = body.to_string().replace(h.sandbox.base_url(), "BASE");
    serde_json::from_str(&text).unwrap()
}

/// Where two answers first differ, and how.
fn difference(want: &Value, got: &Value, at: &str) -> Option<String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            w.keys()
                .chain(g.keys())
                .find_map(|k| match (w.get(k), g.get(k)) {
                    (Some(a), Some(b)) => difference(a, b, &format!("{at}.{k}")),
                    (a, b) => Some(format!("{at}.{k}: {a:?} != {b:?}")),
                })
        }
        (Value::Array(w), Value::Array(g)) => w
            .iter()
            .zip(g)
            .enumerate()
            .find_map(|(i, (a, b))| difference(a, b, &format!("{at}[{i}]")))
            .or_else(|| {
                (w.len() != g.len()).then(|| format!("{at}: {} items != {}", w.len(), g.len()))
            }),
        _ if want == got => None,
        _ => Some(format!("{at}: {want} != {got}")),
    }
}

/// Writes `entries` (`(file, spec path, body)`) and their manifest into `dir`.
fn write_capture(dir: &Path, entries: &[(&str, &str, Value)]) {
    let mut manifest = Vec::new();
    for (file, path, body) in entries {
        fs::write(dir.join(file), serde_json::to_vec_pretty(body).unwrap()).unwrap();
        manifest.push(json!({
            "file": file, "method": "GET", "path": path,
            "direction": "response", "status": 200, "note": null,
        }));
    }
    fs::write(
        dir.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
}

/// Captures the reads of `h` into `dir`, with an entry to ignore and a summary file.
async fn capture(h: &Harness, dir: &Path) {
    let mut entries = Vec::new();
    for (i, (read, path)) in READS.iter().enumerate() {
        let (status, body) = h.get(read).await;
        assert_eq!(status, 200, "{read}: {body}");
        entries.push((format!("{i:03}_response.json"), *path, body));
    }
    let (_, labels) = h.get("/day_labels").await;
    entries.push(("day_labels.json".into(), "/day_labels", labels));
    let entries: Vec<(&str, &str, Value)> = entries
        .iter()
        .map(|(f, p, b)| (f.as_str(), *p, b.clone()))
        .collect();
    write_capture(dir, &entries);
    fs::write(dir.join("capture.json"), r#"{"window": "ignored"}"#).unwrap();
}

async fn round_trip(mode: Mode) {
    let seeded = Harness::with(Sandbox::builder().mode(mode).start().await.unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    capture(&seeded, dir.path()).await;
    let loaded = Harness::with(
        Sandbox::builder()
            .mode(mode)
            .department(dir.path())
            .start()
            .await
            .unwrap(),
    )
    .await;
    for (path, _) in READS {
        let (want, got) = (read(&seeded, path).await, read(&loaded, path).await);
        assert_eq!(difference(&want, &got, path), None);
    }
    let schedule = read(&loaded, WINDOW).await;
    let shifts = schedule.to_string().matches("/shifts/").count();
    assert!(shifts > 1500, "a quarter of shifts, {shifts} of them");
    assert_eq!(loaded.sandbox.today().to_string(), "2025-04-01");
}

#[tokio::test]
async fn a_captured_seeded_department_reads_as_the_seeded_one_in_its_window() {
    round_trip(Mode::Production).await;
}

#[tokio::test]
async fn a_capture_with_days_as_an_array_reads_as_the_seeded_one_as_well() {
    round_trip(Mode::Documented).await;
}

#[tokio::test]
async fn a_served_department_takes_writes_and_faults_like_the_seeded_one() {
    let seeded = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    capture(&seeded, dir.path()).await;
    let department = Department::load(dir.path()).unwrap();
    assert_eq!(department.users(), 60);
    let (first, end) = department.window().unwrap();
    assert_eq!(
        (first.to_string(), end.to_string()),
        ("2025-04-01".into(), "2025-07-01".into())
    );
    let h = Harness::with(
        Sandbox::builder()
            .loaded_department(department)
            .start()
            .await
            .unwrap(),
    )
    .await;
    let (status, created) = h
        .send(
            h.req(Method::POST, "/qualifiers")
                .json(&json!({"name": "Swift Water", "shortcode": "SW"})),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let (_, qualifiers) = h.get("/qualifiers").await;
    assert!(qualifiers.to_string().contains("Swift Water"));
    h.sandbox.fail_next("GET /users", 1, Fault::Status(503));
    assert_eq!(h.get("/users").await.0, 503);
    assert_eq!(h.get("/users").await.0, 200);
    let (status, _) = h.get("/schedule?start=2025-07-01&end=2025-07-02").await;
    assert_eq!(
        status, 200,
        "a day outside the window is served, without shifts"
    );
}

#[tokio::test]
async fn a_capture_without_a_table_serves_that_table_empty() {
    let dir = tempfile::tempdir().unwrap();
    let users = json!([{"user_id": "7", "first_name": "Pat", "last_name": "Doe"}]);
    write_capture(dir.path(), &[("users.json", "/users", users)]);
    let h = Harness::with(
        Sandbox::builder()
            .department(dir.path())
            .start()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(h.get("/work_types").await.1, json!([]));
    assert_eq!(h.get("/assignments").await.1, json!([]));
    let (_, users) = h.get("/users").await;
    assert_eq!(users[0]["user_id"], 7);
    assert_eq!(users[0]["full_name"], "Pat Doe");
    let (_, day) = h.get("/schedule?start=2025-06-01&end=2025-06-02").await;
    assert_eq!(day["days"]["2025-06-01"]["assignments"], json!([]));
}

#[tokio::test]
async fn a_malformed_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let schedule = json!({"days": {"2025-06-01": {"assignments": [{"id": 1, "start": "soon"}]}}});
    write_capture(dir.path(), &[("schedule.json", "/schedule", schedule)]);
    match Department::load(dir.path()) {
        Err(DepartmentError::Malformed { file, at, .. }) => {
            assert!(file.ends_with("schedule.json"), "{}", file.display());
            assert_eq!(at, "days.2025-06-01.assignments[0].start");
        }
        other => panic!("not a malformed file: {other:?}"),
    }
    let started = Sandbox::builder().department(dir.path()).start().await;
    let error = started.expect_err("a malformed capture does not start");
    assert_eq!(error.kind(), ErrorKind::InvalidData);
    assert!(error.to_string().contains("schedule.json"), "{error}");
    assert!(
        error
            .get_ref()
            .is_some_and(|e| e.downcast_ref::<DepartmentError>().is_some())
    );
}

#[tokio::test]
async fn an_id_past_the_largest_php_integer_is_refused_and_the_largest_leaves_room_to_create() {
    let dir = tempfile::tempdir().unwrap();
    let users = json!([{"user_id": u64::MAX, "first_name": "Pat", "last_name": "Doe"}]);
    write_capture(dir.path(), &[("users.json", "/users", users)]);
    match Department::load(dir.path()) {
        Err(DepartmentError::Malformed { file, at, source }) => {
            assert!(file.ends_with("users.json"), "{}", file.display());
            assert_eq!(at, "[0].user_id");
            assert!(source.to_string().contains("expected an id"), "{source}");
        }
        other => panic!("not a malformed file: {other:?}"),
    }
    let users = json!([{"user_id": i64::MAX, "first_name": "Pat", "last_name": "Doe"}]);
    write_capture(dir.path(), &[("users.json", "/users", users)]);
    let h = Harness::with(
        Sandbox::builder()
            .department(dir.path())
            .start()
            .await
            .unwrap(),
    )
    .await;
    let (status, created) = h
        .send(
            h.req(Method::POST, "/qualifiers")
                .json(&json!({"name": "Swift Water", "shortcode": "SW"})),
        )
        .await;
    assert_eq!(status, 200, "{created}");
}

#[test]
fn a_missing_manifest_or_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    match Department::load(dir.path()) {
        Err(DepartmentError::Unreadable { file, .. }) => assert!(file.ends_with("manifest.json")),
        other => panic!("not unreadable: {other:?}"),
    }
    fs::write(dir.path().join("manifest.json"), "{not json").unwrap();
    match Department::load(dir.path()) {
        Err(DepartmentError::Malformed { file, .. }) => assert!(file.ends_with("manifest.json")),
        other => panic!("not malformed: {other:?}"),
    }
    write_capture(dir.path(), &[]);
    let manifest = json!([{"file": "gone.json", "method": "GET", "path": "/users"}]);
    fs::write(dir.path().join("manifest.json"), manifest.to_string()).unwrap();
    match Department::load(dir.path()) {
        Err(DepartmentError::Unreadable { file, .. }) => assert!(file.ends_with("gone.json")),
        other => panic!("not unreadable: {other:?}"),
    }
}

/// The repository's recorded answers (`tests/fixtures/{docs,real}`).
fn fixtures(kind: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(kind)
}

/// Who works and who is off, day by day: `(date, assignment, shift, user, start,
/// end)` of every shift, and `(date, time off, user, start, end)` of every time off
/// segment, in order.
fn bookings(schedule: &Value) -> (Vec<[String; 6]>, Vec<[String; 5]>) {
    let mut shifts = Vec::new();
    let mut time_off = Vec::new();
    for (date, day) in schedule["days"].as_object().unwrap() {
        for a in day["assignments"].as_array().unwrap() {
            for sh in a["shifts"].as_array().unwrap() {
                let f = |v: &Value| v.to_string();
                shifts.push([
                    date.clone(),
                    f(&a["id"]),
                    f(&sh["id"]),
                    f(&sh["user"]["id"]),
                    f(&sh["start"]),
                    f(&sh["end"]),
                ]);
            }
        }
        for t in day["time_off"].as_array().unwrap() {
            let f = |v: &Value| v.to_string();
            time_off.push([
                date.clone(),
                f(&t["id"]),
                f(&t["user"]["id"]),
                f(&t["start"]),
                f(&t["end"]),
            ]);
        }
    }
    shifts.sort();
    time_off.sort();
    (shifts, time_off)
}

/// Production's recorded June 2025 (no `/users` or `/assignments` answers, shifts of
/// a recurring series under one id, time off on days of its own pattern) is served
/// with the same people on the same assignments and the same time off. Which
/// assignments a day lists, and in what order, production decides day by day; the
/// sandbox's assignments recur daily, so those lists are not compared.
#[tokio::test]
async fn the_recorded_production_schedule_is_served_with_its_shifts_and_time_off() {
    let file = fixtures("real").join("schedule_2025_06_response.json");
    let recorded: Value = serde_json::from_slice(&fs::read(file).unwrap()).unwrap();
    let h = Harness::with(
        Sandbox::builder()
            .department(fixtures("real"))
            .start()
            .await
            .unwrap(),
    )
    .await;
    let served = read(
        &h,
        "/schedule?start=2025-06-01%2000:00:00&end=2025-07-01%2000:00:00",
    )
    .await;
    let (want, got) = (bookings(&recorded), bookings(&served));
    assert!(want.0.len() > 900 && want.1.len() > 200);
    assert!(want == got, "the bookings differ");
    assert_eq!(
        served["days"]["2025-06-03"]["day_color"],
        recorded["days"]["2025-06-03"]["day_color"]
    );
}

#[test]
fn the_reference_examples_load_as_a_department() {
    let department = Department::load(fixtures("docs")).unwrap();
    assert!(department.users() > 0 && department.window().is_some());
}

/// A capture with one answer garbled as a PHP backend garbles (one value replaced by
/// `"0000-00-00"`, `""`, `"N/A"`, `"yes"`, `false`, `{}`, `[]` or `12345`) loads,
/// leniently (a "nothing" in a field that may be empty), or is an error naming the
/// garbled file (an id, a date-time or a list that is not one): never a panic.
#[tokio::test]
async fn a_garbled_capture_loads_or_names_the_garbled_file() {
    let seeded = Harness::start().await;
    let week = "/schedule?start=2025-06-01%2000:00:00&end=2025-06-08%2000:00:00";
    let (mut loaded, mut refused) = (0, 0);
    for seed in 0..24 {
        let dir = tempfile::tempdir().unwrap();
        let mut entries = Vec::new();
        let reads = [
            ("users.json", "/users", "/users"),
            ("time_off_types.json", "/time_off_types", "/time_off_types"),
            ("schedule.json", week, "/schedule"),
        ];
        // One answer of the three is garbled.
        let (_, _, target) = reads[seed as usize % reads.len()];
        seeded
            .sandbox
            .fail_next(&format!("GET {target}"), 1, Fault::Garble { seed });
        for (file, read, path) in reads {
            entries.push((file, path, seeded.get(read).await.1));
        }
        write_capture(dir.path(), &entries);
        match Department::load(dir.path()) {
            Ok(_) => loaded += 1,
            Err(DepartmentError::Malformed { file, .. }) => {
                let garbled = seeded.sandbox.garbled();
                let named = garbled
                    .iter()
                    .any(|g| file.ends_with(entries_file(&entries, &g.route)));
                assert!(named, "{} is not a garbled file", file.display());
                refused += 1;
            }
            Err(other) => panic!("{other}"),
        }
        seeded.sandbox.reset_counters();
    }
    assert!(
        loaded > 0 && refused > 0,
        "{loaded} loaded, {refused} refused"
    );
}

/// The file of the entry whose operation is `route` (`"GET /users"`).
fn entries_file<'a>(entries: &[(&'a str, &str, Value)], route: &str) -> &'a str {
    entries
        .iter()
        .find(|(_, path, _)| route.strip_prefix("GET ") == Some(path))
        .map_or("", |(file, _, _)| file)
}
