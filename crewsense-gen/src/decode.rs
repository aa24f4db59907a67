//! Decoding an answer so that one unreadable value degrades its own field, never the
//! call.
//!
//! A clean payload is decoded once, strictly, at full speed: nothing below runs. Only
//! when that fails is the payload parsed into a [`serde_json::Value`] and decoded again
//! with `serde_path_to_error`, which names the path of the first value that does not
//! fit. That value is left out (an absent field reads as `None`, an empty list or map,
//! or the field's default), and so is every equal value at the same place of sibling
//! records, since it would fail the same way; a required member that is now missing is
//! filled with an empty value. Then the payload is decoded again, until it fits.
//!
//! Each value left out is a [`Degradation`]: it is logged at WARN (target
//! `crewsense::decode`) and returned with the value. [`DecodeMode::Strict`] turns the
//! first one into an error naming its path instead. Three forms are not degradations
//! but the API's way of saying "no value", read as absent in both modes where the
//! field's type does not accept them: `""`, MySQL's zero date `0000-00-00` and zero
//! date-time `0000-00-00 00:00:00`.

use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeOwned, Error as _};
use serde_json::Value;

/// How [`decode`] treats a value it cannot read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeMode {
    /// Leave the value out, report it as a [`Degradation`] and decode the rest.
    #[default]
    Lenient,
    /// Fail with an error that names the value's path.
    Strict,
}

/// One value of an answer that could not be read and was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Degradation {
    /// The operation whose answer held the value (its `operationId`).
    pub operation: &'static str,
    /// Where the value was, such as `days.2025-06-02.assignments[3].shifts[0].recurring`
    /// (object members joined by `.`, array positions as `[i]`; `.` for the whole body).
    pub path: String,
    /// What the field's type expected, as serde words it.
    pub expected: String,
    /// The start of the value as it arrived, in JSON (`"(missing)"` for a required
    /// member that was absent).
    pub found: String,
}

impl fmt::Display for Degradation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: `{}` left out: expected {}, found {}",
            self.operation, self.path, self.expected, self.found
        )
    }
}

/// A decoded value and what had to be left out of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T> {
    /// The value.
    pub value: T,
    /// The values that could not be read, in the order they were found.
    pub degraded: Vec<Degradation>,
}

/// Decodes `bytes` as `T` for `operation`: strictly first, then field by field (see
/// the [module docs](self)).
///
/// Fails when the body is not JSON, when the body as a whole has no usable shape, or,
/// in [`DecodeMode::Strict`], at the first value that does not fit; the error message
/// starts with that value's path.
///
/// ```
/// use crewsense_gen::decode::{DecodeMode, decode};
/// use crewsense_gen::types::User;
///
/// let body = br#"{"user_id": "N/A", "first_name": "Ann", "accrual_start_date": "0000-00-00"}"#;
/// let user = decode::<User>(body, "get_user", DecodeMode::Lenient).unwrap();
/// assert_eq!(user.value.first_name.as_deref(), Some("Ann"));
/// assert_eq!(user.value.user_id, None);
/// assert_eq!(user.value.accrual_start_date, None);
/// assert_eq!(user.degraded.len(), 1, "a zero date is no date, not a degradation");
/// assert_eq!(user.degraded[0].path, "user_id");
///
/// let error = decode::<User>(body, "get_user", DecodeMode::Strict).unwrap_err();
/// assert!(error.to_string().starts_with("`user_id`"), "{error}");
/// ```
pub fn decode<T: DeserializeOwned>(
    bytes: &[u8],
    operation: &'static str,
    mode: DecodeMode,
) -> Result<Decoded<T>, serde_json::Error> {
    match serde_json::from_slice(bytes) {
        Ok(value) => {
            return Ok(Decoded {
                value,
                degraded: Vec::new(),
            });
        }
        Err(error) if !error.is_data() => return Err(error),
        Err(_) => {}
    }
    Repair {
        value: serde_json::from_slice(bytes)?,
        operation,
        mode,
        degraded: Vec::new(),
        fills: HashMap::new(),
        removed: HashMap::new(),
    }
    .run()
}

/// Every repair costs one more decode of the whole payload; past this many the answer
/// is too far from the spec to be worth reading.
const MAX_REPAIRS: usize = 256;

/// Empty values to put in place of a required member, tried in turn.
const FILLS: [fn() -> Value; 6] = [
    || Value::Array(Vec::new()),
    || Value::Object(serde_json::Map::new()),
    || Value::String(String::new()),
    || Value::from(0),
    || Value::Bool(false),
    || Value::Null,
];

/// The API's ways of sending "no value" where a date or a number belongs.
const BLANKS: [&str; 3] = ["", "0000-00-00", "0000-00-00 00:00:00"];

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

struct Repair {
    value: Value,
    operation: &'static str,
    mode: DecodeMode,
    degraded: Vec<Degradation>,
    /// How many [`FILLS`] were tried at each path.
    fills: HashMap<String, usize>,
    /// The positions removed from each array so far (ascending), by the array's path
    /// in the answer, so that a path in the repaired value is reported as it was sent.
    removed: HashMap<String, Vec<usize>>,
}

impl Repair {
    fn run<T: DeserializeOwned>(mut self) -> Result<Decoded<T>, serde_json::Error> {
        for _ in 0..MAX_REPAIRS {
            let error = match serde_path_to_error::deserialize::<_, T>(&self.value) {
                Ok(value) => {
                    return Ok(Decoded {
                        value,
                        degraded: self.degraded,
                    });
                }
                Err(error) => error,
            };
            let mut path = steps(error.path());
            let message = error.into_inner().to_string();
            if let Some(member) = missing_member(&message) {
                path.push(Step::Key(member));
                self.fill(&path, &message, "(missing)")?;
            } else if self.fills.contains_key(&render(&path)) || path.is_empty() {
                // A fill that does not fit either, or a body of the wrong shape.
                let found = excerpt(get(&self.value, &path));
                self.fill(&path, &message, &found)?;
            } else {
                self.leave_out(&path, &message)?;
            }
        }
        Err(serde_json::Error::custom(format!(
            "{}: gave up after {MAX_REPAIRS} unreadable values",
            self.operation
        )))
    }

    /// Puts the next of [`FILLS`] at `path`, reporting the first fill there.
    fn fill(&mut self, path: &[Step], message: &str, found: &str) -> Result<(), serde_json::Error> {
        let key = render(&self.as_sent(path));
        let tried = self.fills.entry(render(path)).or_default();
        let fill = FILLS.get(*tried).map(|fill| fill());
        *tried += 1;
        let first = *tried == 1;
        if self.mode == DecodeMode::Strict {
            return Err(at(&key, message));
        }
        let placed = fill.is_some_and(|fill| set(&mut self.value, path, fill));
        if !placed {
            // Nothing fits there: the record that needs it goes instead.
            return match path.split_last() {
                Some((_, parent)) if !parent.is_empty() => self.leave_out(parent, message),
                _ => Err(at(&key, message)),
            };
        }
        if first && !self.degraded.iter().any(|d| d.path == key) {
            self.report(key, message, found.to_owned());
        }
        Ok(())
    }

    /// Leaves out the value at `path` and every equal value at the same place of its
    /// sibling records.
    fn leave_out(&mut self, path: &[Step], message: &str) -> Result<(), serde_json::Error> {
        let key = render(&self.as_sent(path));
        let Some(bad) = get(&self.value, path).cloned() else {
            return Err(at(&key, message));
        };
        let blank = bad.as_str().is_some_and(|s| BLANKS.contains(&s));
        if !blank && self.mode == DecodeMode::Strict {
            return Err(at(&key, message));
        }
        let mut places = Vec::new();
        matching(&self.value, path, &bad, &mut Vec::new(), &mut places);
        let sent: Vec<Vec<Step>> = places.iter().map(|place| self.as_sent(place)).collect();
        // Later places first, so that removing an array element shifts none of the rest.
        for place in places.iter().rev() {
            remove(&mut self.value, place);
        }
        for place in &sent {
            self.note_removed(place);
        }
        if blank {
            tracing::debug!(target: "crewsense::decode", operation = self.operation, path = %key, "read as no value");
            return Ok(());
        }
        let found = excerpt(Some(&bad));
        for place in sent {
            self.report(render(&place), message, found.clone());
        }
        Ok(())
    }

    /// `path` in the repaired value as it was in the answer: each position counts the
    /// elements removed before it from its array.
    fn as_sent(&self, path: &[Step]) -> Vec<Step> {
        let mut sent = Vec::with_capacity(path.len());
        for step in path {
            let step = match step {
                Step::Index(index) => {
                    let gone = self
                        .removed
                        .get(&render(&sent))
                        .map_or(&[][..], Vec::as_slice);
                    let mut original = *index;
                    for &removed in gone {
                        if removed <= original {
                            original += 1;
                        }
                    }
                    Step::Index(original)
                }
                Step::Key(key) => Step::Key(key.clone()),
            };
            sent.push(step);
        }
        sent
    }

    /// Records that the array element at `place` (a path as sent) was removed.
    fn note_removed(&mut self, place: &[Step]) {
        if let Some((Step::Index(index), array)) = place.split_last() {
            let gone = self.removed.entry(render(array)).or_default();
            if let Err(at) = gone.binary_search(index) {
                gone.insert(at, *index);
            }
        }
    }

    fn report(&mut self, path: String, message: &str, found: String) {
        let expected = expected(message);
        tracing::warn!(
            target: "crewsense::decode",
            operation = self.operation,
            path = %path,
            expected = %expected,
            found = %found,
            "a value of the answer could not be read and was left out"
        );
        self.degraded.push(Degradation {
            operation: self.operation,
            path,
            expected,
            found,
        });
    }
}

/// The path as steps, up to the first step that is neither a member nor a position.
fn steps(path: &serde_path_to_error::Path) -> Vec<Step> {
    use serde_path_to_error::Segment;
    path.iter()
        .map_while(|segment| match segment {
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

/// `a.b[2].c`, or `.` for the whole body.
fn render(path: &[Step]) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(index) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    out
}

fn at(path: &str, message: &str) -> serde_json::Error {
    serde_json::Error::custom(format!("`{path}`: {message}"))
}

/// The path that an error of [`decode`] names, if it names one.
///
/// ```
/// use crewsense_gen::decode::{DecodeMode, decode, error_path};
/// let body = br#"{"user_id": "N/A"}"#;
/// let error = decode::<crewsense_gen::types::User>(body, "get_user", DecodeMode::Strict)
///     .unwrap_err();
/// assert_eq!(error_path(&error).as_deref(), Some("user_id"));
/// ```
pub fn error_path(error: &serde_json::Error) -> Option<String> {
    let message = error.to_string();
    let rest = message.strip_prefix('`')?;
    let end = rest.find("`: ")?;
    Some(rest[..end].to_owned())
}

/// The member named by serde's "missing field `x`".
fn missing_member(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.get(..rest.find('`')?)?.to_owned())
}

/// What serde says the type expected, from its message.
fn expected(message: &str) -> String {
    let text = message
        .find("expected ")
        .map_or(message, |at| &message[at + "expected ".len()..]);
    let text = text.split(", found ").next().unwrap_or(text);
    truncate(text, 120)
}

/// The start of `value` in JSON.
fn excerpt(value: Option<&Value>) -> String {
    value.map_or_else(|| "(missing)".to_owned(), |v| truncate(&v.to_string(), 60))
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

fn get<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get(key),
        Step::Index(index) => value.get(index),
    })
}

fn get_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get_mut(key),
        Step::Index(index) => value.get_mut(index),
    })
}

/// Sets the value at `path`, creating the last member if needed; `false` when the
/// parent is not there.
fn set(value: &mut Value, path: &[Step], new: Value) -> bool {
    let Some((last, parent)) = path.split_last() else {
        *value = new;
        return true;
    };
    match (get_mut(value, parent), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.insert(key.clone(), new);
            true
        }
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            items[*index] = new;
            true
        }
        _ => false,
    }
}

fn remove(value: &mut Value, path: &[Step]) {
    let Some((last, parent)) = path.split_last() else {
        return;
    };
    match (get_mut(value, parent), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.remove(key);
        }
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            items.remove(*index);
        }
        _ => {}
    }
}

/// A step that may vary between sibling records: a position, or a key that is a date
/// or an id (the keys of date- and id-keyed maps) rather than a member name.
fn varies(step: &Step) -> bool {
    match step {
        Step::Index(_) => true,
        Step::Key(key) => {
            let bytes = key.as_bytes();
            !bytes.is_empty()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_digit() || *b == b'-' || *b == b' ' || *b == b':')
        }
    }
}

/// Collects into `out` every path that has `pattern`'s shape (varying steps may differ)
/// and holds a value equal to `bad`, in document order.
fn matching(
    value: &Value,
    pattern: &[Step],
    bad: &Value,
    here: &mut Vec<Step>,
    out: &mut Vec<Vec<Step>>,
) {
    let Some((step, rest)) = pattern.split_first() else {
        if value == bad {
            out.push(here.clone());
        }
        return;
    };
    if !varies(step) {
        let child = match step {
            Step::Key(key) => value.get(key),
            Step::Index(index) => value.get(index),
        };
        if let Some(child) = child {
            here.push(step.clone());
            matching(child, rest, bad, here, out);
            here.pop();
        }
        return;
    }
    match (value, step) {
        (Value::Array(items), Step::Index(_)) => {
            for (index, child) in items.iter().enumerate() {
                here.push(Step::Index(index));
                matching(child, rest, bad, here, out);
                here.pop();
            }
        }
        (Value::Object(map), Step::Key(_)) => {
            for (key, child) in map.iter().filter(|(k, _)| varies(&Step::Key((*k).clone()))) {
                here.push(Step::Key(key.clone()));
                matching(child, rest, bad, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_members_with_dots_and_positions_in_brackets() {
        let path = [
            Step::Key("days".into()),
            Step::Key("2025-06-02".into()),
            Step::Key("assignments".into()),
            Step::Index(3),
            Step::Key("recurring".into()),
        ];
        assert_eq!(render(&path), "days.2025-06-02.assignments[3].recurring");
        assert_eq!(render(&[Step::Index(0)]), "[0]");
        assert_eq!(render(&[]), ".");
    }

    /// The paths of what `body` had to leave out, decoded as a user.
    fn left_out(body: &str) -> Vec<String> {
        let decoded =
            decode::<crate::types::User>(body.as_bytes(), "get_user", DecodeMode::Lenient).unwrap();
        decoded.degraded.into_iter().map(|d| d.path).collect()
    }

    #[test]
    fn each_element_left_out_is_named_by_its_position_in_the_answer() {
        assert_eq!(
            left_out(r#"{"emails": [1, 2]}"#),
            ["emails[0]", "emails[1]"]
        );
        assert_eq!(
            left_out(r#"{"emails": [1, "a@b.org", 2, "c@d.org", 3]}"#),
            ["emails[0]", "emails[2]", "emails[4]"]
        );
        assert_eq!(
            left_out(r#"{"fields": [7, {"id": "x"}, 8, {"id": "y"}]}"#),
            ["fields[0]", "fields[1].id", "fields[2]", "fields[3].id"]
        );
    }

    #[test]
    fn a_list_whose_every_element_is_unreadable_reads_as_empty_like_one_that_keeps_some() {
        let all = decode::<crate::types::User>(
            br#"{"emails": [1, 2], "fields": [true]}"#,
            "get_user",
            DecodeMode::Lenient,
        )
        .unwrap();
        assert_eq!(all.value.emails, Some(Vec::new()));
        assert_eq!(all.value.fields, Some(Vec::new()));
    }

    #[test]
    fn the_expected_type_is_read_from_serde_messages() {
        assert_eq!(
            expected("invalid type: string \"yes\", expected a boolean"),
            "a boolean"
        );
        assert_eq!(
            expected("expected a date YYYY-MM-DD, found \"N/A\""),
            "a date YYYY-MM-DD"
        );
        assert_eq!(
            missing_member("missing field `items`").as_deref(),
            Some("items")
        );
    }

    #[test]
    fn equal_values_at_the_same_place_of_sibling_records_are_found_together() {
        let value = serde_json::json!({
            "days": {
                "2025-06-01": [{"flag": "yes"}, {"flag": 1}],
                "2025-06-02": [{"flag": "yes"}],
            },
            "flag": "yes",
        });
        let pattern = [
            Step::Key("days".into()),
            Step::Key("2025-06-01".into()),
            Step::Index(0),
            Step::Key("flag".into()),
        ];
        let mut out = Vec::new();
        matching(&value, &pattern, &"yes".into(), &mut Vec::new(), &mut out);
        let found: Vec<String> = out.iter().map(|p| render(p)).collect();
        assert_eq!(
            found,
            ["days.2025-06-01[0].flag", "days.2025-06-02[0].flag"]
        );
    }
}
