//! Which requests `doctor` sends: every `GET` operation of the catalogue, those
//! without a path id first, then those whose ids the earlier answers name.
//!
//! A path's `{user_id}` is the first user of `GET /users`; any other `{id}` is the
//! first record of the operation whose path is the part before it
//! (`/assignments/{id}/groups` takes the first id of `GET /assignments`). Query
//! parameters: `start`/`end` get the window, a required `user_id` the first user;
//! other optional ones are left out.

use std::collections::HashMap;

use crewsense::time::{Date, DateRange, LocalDateTime};
use crewsense::{Error, RawRequest};
use crewsense_gen::catalog::Operation;
use crewsense_gen::spec_shape::{Kind, OperationShape};
use serde_json::Value;

/// The operation whose answer gives `{user_id}`.
const USERS: &str = "list_users";

/// What an operation needs before it can be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// The first value of member `key` in the answer of operation `source`.
    Id {
        /// The operation whose answer holds it.
        source: &'static str,
        /// The member that holds it.
        key: &'static str,
    },
}

/// Every `GET` operation of the catalogue, in its order.
pub fn get_operations() -> impl Iterator<Item = &'static Operation> {
    crewsense::api::OPERATIONS
        .iter()
        .filter(|op| op.method == "GET")
}

/// The ids the path and query of `op` need, in order: path parameters first.
pub fn needs(op: &'static Operation) -> Vec<Need> {
    let mut needs = Vec::new();
    let mut prefix = String::new();
    for segment in op.path.split('/').filter(|s| !s.is_empty()) {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            needs.push(if name == "user_id" {
                user()
            } else {
                let source = get_operations()
                    .find(|candidate| candidate.path == prefix)
                    .map_or("", |candidate| candidate.id);
                Need::Id { source, key: "id" }
            });
        }
        prefix.push('/');
        prefix.push_str(segment);
    }
    let query = OperationShape::by_id(op.id).map_or(&[][..], |shape| shape.query);
    if query.iter().any(|q| q.required && q.name == "user_id") {
        needs.push(user());
    }
    needs
}

fn user() -> Need {
    Need::Id {
        source: USERS,
        key: "user_id",
    }
}

/// The request for `op` with `ids` (one per [`needs`], in order) and the window for
/// its date-ranged parameters.
pub fn request(
    op: &'static Operation,
    ids: &[String],
    window: DateRange,
) -> Result<RawRequest, Error> {
    let mut ids = ids.iter();
    let mut request = RawRequest::new(op.id)?;
    let templated = op.path.split('/').filter(|s| s.starts_with('{'));
    for (_, id) in templated.zip(&mut ids) {
        request = request.path_param(id);
    }
    let query = OperationShape::by_id(op.id).map_or(&[][..], |shape| shape.query);
    for parameter in query {
        let day = match parameter.name {
            "start" => Some(window.start()),
            "end" => Some(window.end()),
            _ => None,
        };
        request = match (day, parameter.kind) {
            (Some(day), Kind::Date) => request.query(parameter.name, day),
            (Some(day), _) => request.query(parameter.name, LocalDateTime::start_of(day)),
            (None, _) if parameter.required && parameter.name == "user_id" => match ids.next() {
                Some(id) => request.query(parameter.name, id),
                None => request,
            },
            (None, _) => request,
        };
    }
    Ok(request)
}

/// The ids found in answers so far, by operation and member.
#[derive(Debug, Default)]
pub struct Ids {
    found: HashMap<(&'static str, &'static str), Option<String>>,
}

/// Whether the ids an operation needs are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ready {
    /// All of them, in order.
    Yes(Vec<String>),
    /// Not yet: an operation they come from has not answered.
    Waiting,
    /// Never: this operation answered without one (or there is no such operation).
    Never(String),
}

impl Ids {
    /// Remembers the ids `answer` (the JSON text of the answer of `operation`) offers
    /// to the others; it is parsed only if some are wanted from it.
    pub fn learn(&mut self, operation: &'static str, answer: &[u8], wanted: &[Need]) {
        let mut parsed = None;
        for need in wanted {
            let Need::Id { source, key } = need;
            if *source == operation {
                let answer = parsed.get_or_insert_with(|| {
                    serde_json::from_slice::<Value>(answer).unwrap_or(Value::Null)
                });
                self.found
                    .entry((source, key))
                    .or_insert_with(|| first_id(answer, key));
            }
        }
    }

    /// Marks `operation` as answered with nothing to offer (it failed).
    pub fn failed(&mut self, operation: &'static str, wanted: &[Need]) {
        for need in wanted {
            let Need::Id { source, key } = need;
            if *source == operation {
                self.found.entry((source, key)).or_insert(None);
            }
        }
    }

    /// Whether `needs` can be met.
    pub fn ready(&self, needs: &[Need]) -> Ready {
        let mut ids = Vec::new();
        for need in needs {
            let Need::Id { source, key } = need;
            if source.is_empty() {
                return Ready::Never("no operation lists its ids".to_owned());
            }
            match self.found.get(&(*source, *key)) {
                None => return Ready::Waiting,
                Some(None) => return Ready::Never(format!("no `{key}` in the answer of {source}")),
                Some(Some(id)) => ids.push(id.clone()),
            }
        }
        Ready::Yes(ids)
    }
}

/// The first value of member `key` in `answer`, breadth first (the first record of a
/// list, of a page's items, of a map keyed by id), as text; else the first key of a
/// map whose keys are numbers.
fn first_id(answer: &Value, key: &str) -> Option<String> {
    let mut queue = std::collections::VecDeque::from([answer]);
    while let Some(value) = queue.pop_front() {
        match value {
            Value::Object(map) => {
                match map.get(key) {
                    Some(Value::Number(n)) => return Some(n.to_string()),
                    Some(Value::String(s))
                        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        return Some(s.clone());
                    }
                    _ => {}
                }
                let numbered = (key == "id")
                    .then(|| {
                        map.keys()
                            .find(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
                    })
                    .flatten();
                if let Some(number) = numbered {
                    return Some(number.clone());
                }
                queue.extend(map.values());
            }
            Value::Array(items) => queue.extend(items),
            _ => {}
        }
    }
    None
}

/// The default window: the seven days up to and including `today`.
pub fn last_week(today: Date) -> DateRange {
    let end = Date(today.0 + chrono::Days::new(1));
    DateRange::new(Date(end.0 - chrono::Days::new(7)), end)
}
