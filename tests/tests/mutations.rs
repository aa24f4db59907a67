//! Any single garbled value in any recorded answer degrades its own field, never the
//! call.
//!
//! Property: take a recorded success answer (`tests/fixtures`, or the folder named by
//! `CREWSENSE_FIXTURES_DIR`), replace one value at any depth with a form PHP backends
//! are known to send, and decode it as the client does. Lenient decoding succeeds; if
//! it left something out, that is the garbled value (or a member below it), strict
//! decoding fails naming the same path, and everything else decodes exactly as it does
//! from the original without that value. If nothing was left out, the garbled form
//! was readable (or a "no value" form) and strict decoding agrees.

use std::sync::LazyLock;

use crewsense_gen::catalog::Operation;
use crewsense_gen::decode::{DecodeMode, error_path};
use crewsense_tests::fixtures::{Direction, fixture_dirs, load_manifest};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};

/// The forms a garbled value takes: MySQL zero dates, PHP's empty values and empty
/// relations, placeholders, and values of the wrong kind.
fn garbles() -> Vec<Value> {
    vec![
        json!("0000-00-00"),
        json!("0000-00-00 00:00:00"),
        json!(""),
        json!("N/A"),
        json!("yes"),
        json!("null"),
        json!(false),
        json!(true),
        json!({}),
        json!([]),
        json!(12345),
        json!(-1),
        json!(1.5),
        json!("12abc"),
        json!({"unexpected": [1, 2]}),
        json!([{"id": "x"}]),
        Value::Null,
    ]
}

/// One recorded success answer and every place in it.
struct Answer {
    file: String,
    op: &'static Operation,
    value: Value,
    places: Vec<Vec<Step>>,
    size: usize,
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

static ANSWERS: LazyLock<Vec<Answer>> = LazyLock::new(|| {
    let mut answers = Vec::new();
    for dir in fixture_dirs() {
        for fixture in load_manifest(&dir).expect("a manifest") {
            let ok = (200..300).contains(&fixture.status.unwrap_or(200));
            let Some(method) = fixture.method.as_deref() else {
                continue;
            };
            let Some(op) = Operation::find(method, &fixture.path) else {
                continue;
            };
            if fixture.direction != Direction::Response || !ok {
                continue;
            }
            let bytes = fixture.read().expect("a fixture");
            let value: Value = serde_json::from_slice(&bytes).expect("fixtures are JSON");
            let mut places = Vec::new();
            collect(&value, &mut Vec::new(), &mut places);
            answers.push(Answer {
                file: fixture.file,
                op,
                value,
                places,
                size: bytes.len(),
            });
        }
    }
    assert!(!answers.is_empty(), "no recorded success answers found");
    answers
});

/// Every place below the root, in document order.
fn collect(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    let children: Vec<(Step, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Step::Index(i), v))
            .collect(),
        _ => return,
    };
    for (step, child) in children {
        here.push(step);
        out.push(here.clone());
        collect(child, here, out);
        here.pop();
    }
}

fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn slot<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |value, step| match step {
        Step::Key(key) => &mut value[key.as_str()],
        Step::Index(i) => &mut value[*i],
    })
}

/// The answer without the value at `path`.
fn without(value: &Value, path: &[Step]) -> Value {
    let mut value = value.clone();
    let (last, parent) = path.split_last().expect("below the root");
    match (slot(&mut value, parent), last) {
        (Value::Object(map), Step::Key(key)) => {
            map.remove(key);
        }
        (Value::Array(items), Step::Index(i)) => {
            items.remove(*i);
        }
        _ => unreachable!("paths come from the value"),
    }
    value
}

fn decode(
    answer: &Answer,
    value: &Value,
    mode: DecodeMode,
) -> Result<crewsense_gen::decode::Decoded<Value>, serde_json::Error> {
    let bytes = serde_json::to_vec(value).expect("a value encodes");
    (answer.op.lenient_response)(&bytes, answer.op.id, mode)
}

fn check(answer: &Answer, path: &[Step], garble: &Value) -> Result<(), TestCaseError> {
    let at = render(path);
    let context = format!("{} ({}), `{at}` = {garble}", answer.file, answer.op.id);
    let mut mutated = answer.value.clone();
    *slot(&mut mutated, path) = garble.clone();

    let lenient = decode(answer, &mutated, DecodeMode::Lenient)
        .map_err(|e| TestCaseError::fail(format!("{context}: lenient decoding failed: {e}")))?;
    let strict = decode(answer, &mutated, DecodeMode::Strict);

    if lenient.degraded.is_empty() {
        let strict = strict.map_err(|e| {
            TestCaseError::fail(format!(
                "{context}: strict failed where lenient left nothing out: {e}"
            ))
        })?;
        prop_assert_eq!(&strict.value, &lenient.value, "{}", context);
        return Ok(());
    }

    // A required member that cannot be read takes its record with it.
    let rest = decode(answer, &without(&answer.value, path), DecodeMode::Strict);
    let required = rest.is_err();
    let record = render(&path[..path.len() - 1]);
    for degraded in &lenient.degraded {
        prop_assert!(
            degraded.path.starts_with(&at) || (required && degraded.path == record),
            "{}: left out `{}`, not the garbled value",
            context,
            degraded.path
        );
        prop_assert_eq!(degraded.operation, answer.op.id);
    }
    let error = match strict {
        Ok(_) => {
            return Err(TestCaseError::fail(format!(
                "{context}: strict decoding accepted it"
            )));
        }
        Err(error) => error,
    };
    let named = error_path(&error);
    prop_assert_eq!(
        named.as_deref(),
        Some(lenient.degraded[0].path.as_str()),
        "{}: strict error {}",
        context,
        error
    );

    // Left out alone: the rest is what the original decodes to without that value.
    let alone = lenient.degraded.len() == 1 && lenient.degraded[0].path == at;
    match rest {
        Ok(expected) if alone => prop_assert_eq!(&lenient.value, &expected.value, "{}", context),
        _ => {}
    }
    Ok(())
}

/// Answers small enough to garble a thousand times in a debug build; the larger
/// production `/schedule` answer gets a few garbles of its own below.
const EXHAUSTIVE_BYTES: usize = 64 * 1024;

proptest! {
    #![proptest_config(Config {
        cases: 1000,
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn one_garbled_value_degrades_only_its_own_field(
        answer in any::<prop::sample::Index>(),
        place in any::<prop::sample::Index>(),
        garble in 0..garbles().len(),
    ) {
        let small: Vec<&Answer> = ANSWERS.iter().filter(|a| a.size <= EXHAUSTIVE_BYTES).collect();
        let answer = small[answer.index(small.len())];
        if answer.places.is_empty() {
            return Ok(());
        }
        let path = &answer.places[place.index(answer.places.len())];
        check(answer, path, &garbles()[garble])?;
    }
}

#[test]
fn every_garble_near_the_top_of_every_small_answer_degrades_alone() {
    let garbles = garbles();
    let mut checked = 0;
    for answer in ANSWERS.iter().filter(|a| a.size <= EXHAUSTIVE_BYTES) {
        for path in answer.places.iter().filter(|p| p.len() <= 2) {
            for garble in &garbles {
                if let Err(failure) = check(answer, path, garble) {
                    panic!("{failure}");
                }
                checked += 1;
            }
        }
    }
    println!("checked {checked} garbled answers");
    assert!(checked > 1000, "only {checked} garbled answers");
}

#[test]
fn garbled_shift_fields_deep_in_the_production_schedule_degrade_alone() {
    let answer = ANSWERS
        .iter()
        .filter(|a| a.size > EXHAUSTIVE_BYTES)
        .max_by_key(|a| a.size)
        .expect("the recorded production /schedule answer");
    // Members of shifts, deep in the day map: days.<date>.assignments[i].shifts[j].<member>.
    let deep: Vec<&Vec<Step>> = answer
        .places
        .iter()
        .filter(|p| p.len() == 6 && render(p).contains(".shifts["))
        .collect();
    assert!(deep.len() > 100, "{} shift members", deep.len());
    for (n, garble) in [json!("yes"), json!({}), json!("0000-00-00")]
        .iter()
        .enumerate()
    {
        let path = deep[(n * 7919) % deep.len()];
        if let Err(failure) = check(answer, path, garble) {
            panic!("{failure}");
        }
    }
}
