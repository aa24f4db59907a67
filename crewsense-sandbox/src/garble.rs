//! The garbling fault ([`crate::Fault::Garble`]): the real answer with exactly one
//! value replaced by a form that PHP/MySQL backends are known to send, and a
//! record of what was done ([`Garbled`]).
//!
//! Only values *inside a record* are candidates: a field (at any depth) of an
//! element of an array, or of an entry of a map keyed by date (`days`,
//! `/day_labels`) or by id (`/forms`). The elements and entries themselves are
//! not replaced, nor is anything under a paging control key (`metadata`,
//! `pagination`, `links`, `href`, `next`, `prev`), nor `null`. The seed picks
//! the candidate (in document order) and the replacement among the forms whose
//! JSON kind differs from the original's.

use axum::body::{Body, to_bytes};
use axum::http::header;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::etag;
use crate::rng::Rng;

/// One value the sandbox garbled, as [`crate::Sandbox::garbled`] reports it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Garbled {
    /// The route key of the garbled answer (`"GET /schedule"`).
    pub route: String,
    /// Where the value was: object keys joined by `.`, array indices as `[i]`
    /// (`days.2025-06-02.assignments[3].shifts[0].recurring`,
    /// `[4].user.name` in a bare array).
    pub path: String,
    /// The value the real answer had there (never `null`).
    pub original: Value,
    /// What was sent instead (of another JSON kind than `original`).
    pub replacement: Value,
}

/// Keys whose subtrees steer paging and are never garbled. `created` is the cursor
/// of `/logs`, which production pages by its newest entry's `created`.
const CONTROL_KEYS: [&str; 7] = [
    "metadata",
    "pagination",
    "links",
    "href",
    "next",
    "prev",
    "created",
];

/// The forms a replacement is chosen from: MySQL zero dates, empty and
/// placeholder text, a PHP flag word, `false` for an empty relation, an empty
/// object or list, and a number for text.
fn forms() -> [Value; 9] {
    [
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
}

fn kind(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// `YYYY-MM-DD`, by shape.
fn is_date_key(key: &str) -> bool {
    let b = key.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A map keyed by date or by id, whose entries are records.
fn is_keyed_map(map: &Map<String, Value>) -> bool {
    !map.is_empty()
        && (map.keys().all(|k| is_date_key(k))
            || map
                .keys()
                .all(|k| !k.is_empty() && k.bytes().all(|c| c.is_ascii_digit())))
}

/// A candidate: its path for people and its JSON pointer for the replacement.
struct Spot {
    path: String,
    pointer: String,
}

fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Collects the candidates under `v`; `inside` tells whether `v` is within a record.
fn spots(v: &Value, path: &str, pointer: &str, inside: bool, out: &mut Vec<Spot>) {
    match v {
        Value::Object(map) => {
            let records = is_keyed_map(map);
            for (key, child) in map {
                if CONTROL_KEYS.contains(&key.as_str()) {
                    continue;
                }
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                let pointer = format!("{pointer}/{}", pointer_token(key));
                if inside && !records && !child.is_null() {
                    out.push(Spot {
                        path: path.clone(),
                        pointer: pointer.clone(),
                    });
                }
                spots(child, &path, &pointer, inside || records, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                spots(
                    item,
                    &format!("{path}[{i}]"),
                    &format!("{pointer}/{i}"),
                    true,
                    out,
                );
            }
        }
        _ => {}
    }
}

/// Replaces one value of `doc` as chosen by `seed`; `None` when `doc` has no
/// value inside a record.
pub(crate) fn garble_value(doc: &mut Value, seed: u64) -> Option<(String, Value, Value)> {
    let mut found = Vec::new();
    spots(doc, "", "", false, &mut found);
    let mut rng = Rng::new(seed);
    let spot = found.get(rng.below(found.len().max(1) as u64) as usize)?;
    let target = doc.pointer_mut(&spot.pointer)?;
    let choices: Vec<Value> = forms()
        .into_iter()
        .filter(|f| kind(f) != kind(target))
        .collect();
    let replacement = rng.pick(&choices).clone();
    let original = std::mem::replace(target, replacement.clone());
    Some((spot.path.clone(), original, replacement))
}

/// Garbles a successful JSON answer of `route`; other answers, and answers with
/// nothing inside a record, pass unchanged (and `None` is returned).
pub(crate) async fn garble(
    seed: u64,
    route: &str,
    response: Response,
) -> (Response, Option<Garbled>) {
    if !response.status().is_success() {
        return (response, None);
    }
    let (mut parts, body) = response.into_parts();
    // The handlers' bodies are complete in memory: buffering cannot fail.
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let Ok(mut doc) = serde_json::from_slice::<Value>(&bytes) else {
        return (Response::from_parts(parts, Body::from(bytes)), None);
    };
    let Some((path, original, replacement)) = garble_value(&mut doc, seed) else {
        return (Response::from_parts(parts, Body::from(bytes)), None);
    };
    let text = doc.to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    if parts.headers.contains_key(header::ETAG) {
        parts
            .headers
            .insert(header::ETAG, etag::tag(text.as_bytes()));
    }
    let garbled = Garbled {
        route: route.to_owned(),
        path,
        original,
        replacement,
    };
    (Response::from_parts(parts, Body::from(text)), Some(garbled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_values_inside_records_outside_paging_controls_are_candidates() {
        let doc = json!({
            "start": "2025-06-01",
            "days": { "2025-06-01": { "notes": "x", "gone": null, "list": [{ "id": 1 }] } },
            "items": [{ "id": "7", "href": "http://h/v1/x", "links": { "next": "y" } }],
            "metadata": { "links": { "next": null } },
        });
        let mut found = Vec::new();
        spots(&doc, "", "", false, &mut found);
        let paths: Vec<&str> = found.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "days.2025-06-01.list",
                "days.2025-06-01.list[0].id",
                "days.2025-06-01.notes",
                "items[0].id",
            ]
        );
    }

    #[test]
    fn a_replacement_differs_in_kind_and_the_same_seed_picks_the_same() {
        for seed in 0..200 {
            let mut a = json!([{ "n": 1, "s": "t", "b": true, "o": { "k": 1 }, "l": [1] }]);
            let mut b = a.clone();
            let (path, original, replacement) = garble_value(&mut a, seed).unwrap();
            assert_ne!(kind(&original), kind(&replacement), "{path}");
            assert_eq!(
                garble_value(&mut b, seed),
                Some((path, original, replacement))
            );
        }
    }

    #[test]
    fn an_answer_without_records_has_nothing_to_garble() {
        assert_eq!(garble_value(&mut json!({ "success": true }), 1), None);
        assert_eq!(garble_value(&mut json!([1, 2, 3]), 1), None);
    }
}
