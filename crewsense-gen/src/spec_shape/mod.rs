//! What the spec says each operation's answer looks like, reduced to what a reader of
//! raw answers needs: which members an object has, and what kind of value each holds.
//!
//! The table is generated from the spec with the client (`cargo xtask codegen`).
//! [`walk`] goes through an answer as a [`serde_json::Value`] along its shape and
//! tells a [`Visitor`] about every member the spec does not know and every string,
//! with the kind the spec gives it: `crewsense doctor` reports the first to show how
//! the API drifted from the spec, and scrubs personal data from the second.
//!
//! Paths name a place in the shape, not one value: object members joined by `.`,
//! `[]` for any item of an array and `*` for any member of a map
//! (`days.*.assignments[].shifts[].user.first_name`), so that a member the spec does
//! not know is reported once, not once per record.

#[rustfmt::skip]
mod table;

use serde_json::Value;

/// What kind of value a scalar of the spec is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A record id (`Id`).
    Id,
    /// An integer, or a count sent as a numeric string (`Integer`).
    Integer,
    /// A decimal number (`Decimal`, `type: number`).
    Number,
    /// A boolean sent as `true`, `1` or `"1"` (`Flag`).
    Flag,
    /// A plain boolean.
    Boolean,
    /// A calendar date.
    Date,
    /// A date and time, local or with an offset.
    DateTime,
    /// A colour.
    Color,
    /// A link (`Href`): the paging links.
    Href,
    /// One of the values the spec lists.
    Enum,
    /// Only `null`.
    Null,
    /// A file's bytes.
    Binary,
    /// Any other string: names, e-mails, notes, free text.
    Text,
}

impl Kind {
    /// Whether a string of this kind never holds personal data: everything but
    /// [`Kind::Text`] (and [`Kind::Binary`], a file's contents).
    pub fn is_impersonal(self) -> bool {
        !matches!(self, Kind::Text | Kind::Binary)
    }
}

/// One node of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Node {
    /// A scalar of this kind.
    Scalar(Kind),
    /// An object: its documented members with their nodes, and what the others are.
    Object {
        /// The documented members, by name, with the index of their node.
        members: &'static [(&'static str, usize)],
        /// What members not named in `members` are.
        others: Others,
    },
    /// An array whose items are the node at this index.
    Array(usize),
    /// One of the nodes at these indexes.
    OneOf(&'static [usize]),
    /// Anything: the spec says nothing of the value.
    Any,
}

/// What an object's members not named by the spec are (`additionalProperties`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Others {
    /// There should be none: each is a member the spec does not know.
    None,
    /// Anything may come, and the spec says nothing of it (kept as sent).
    Any,
    /// A map: every member is the node at this index (keyed by date, by id).
    Of(usize),
}

/// A query parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueryParameter {
    /// Its name.
    pub name: &'static str,
    /// Whether the operation requires it.
    pub required: bool,
    /// The kind of its value.
    pub kind: Kind,
}

/// The shape of one operation: its answer, and its query parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationShape {
    /// The operation's `operationId`.
    pub id: &'static str,
    /// The node of its success answer, if it answers JSON.
    pub response: Option<usize>,
    /// Its query parameters, in the order of the spec.
    pub query: &'static [QueryParameter],
}

impl OperationShape {
    /// The shape of the operation with this `operationId`.
    pub fn by_id(id: &str) -> Option<&'static OperationShape> {
        table::OPERATIONS.iter().find(|op| op.id == id)
    }
}

/// The node at `index` ([`Node::Any`] for an index outside the table).
pub fn node(index: usize) -> Node {
    table::NODES.get(index).copied().unwrap_or(Node::Any)
}

/// What [`walk`] reports.
pub trait Visitor {
    /// A member at `path` that the spec does not know; `value` is what it holds.
    /// Its strings are visited next, with no kind.
    fn unknown(&mut self, path: &str, value: &Value);

    /// A string at `path`, in the member (or the array of the member) named `key`
    /// (`""` at the top), of `kind` if the spec knows the place. The visitor may
    /// change it.
    fn string(&mut self, path: &str, key: &str, kind: Option<Kind>, value: &mut String);
}

/// Walks `value` along the node at `root`, telling `visitor` about every member the
/// spec does not know and every string (see the [module docs](self)).
pub fn walk(value: &mut Value, root: usize, visitor: &mut impl Visitor) {
    let mut path = String::new();
    Walk { visitor }.known(value, root, &mut path, "");
}

struct Walk<'v, V> {
    visitor: &'v mut V,
}

/// Appends `.key` (or `key` at the top) to `path`.
fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

impl<V: Visitor> Walk<'_, V> {
    /// A value where the spec expects the node at `index`.
    fn known(&mut self, value: &mut Value, index: usize, path: &mut String, key: &str) {
        match (node(index), value) {
            (Node::Scalar(kind), Value::String(s)) => {
                self.visitor.string(path, key, Some(kind), s);
            }
            (Node::Scalar(_), Value::Null | Value::Bool(_) | Value::Number(_)) => {}
            (Node::Array(items), Value::Array(values)) => {
                let len = path.len();
                path.push_str("[]");
                for item in values {
                    self.known(item, items, path, key);
                }
                path.truncate(len);
            }
            (Node::Object { members, others }, Value::Object(map)) => {
                for (name, member) in map.iter_mut() {
                    let len = path.len();
                    match (members.iter().find(|(m, _)| m == name), others) {
                        (Some((_, node)), _) => {
                            push_key(path, name);
                            self.known(member, *node, path, name);
                        }
                        (None, Others::Of(node)) => {
                            push_key(path, "*");
                            self.known(member, node, path, key);
                        }
                        (None, Others::Any) => {
                            push_key(path, name);
                            self.outside(member, path, name);
                        }
                        (None, Others::None) => {
                            push_key(path, name);
                            self.visitor.unknown(path, member);
                            self.outside(member, path, name);
                        }
                    }
                    path.truncate(len);
                }
            }
            (Node::OneOf(alternatives), value) => {
                match alternatives.iter().find(|a| accepts(node(**a), value)) {
                    Some(alternative) => self.known(value, *alternative, path, key),
                    None => self.outside(value, path, key),
                }
            }
            // A value of another shape than the spec's (which decoding reports), or
            // one the spec says nothing of.
            (_, value) => self.outside(value, path, key),
        }
    }

    /// A value the spec says nothing of: its strings, with no kind.
    fn outside(&mut self, value: &mut Value, path: &mut String, key: &str) {
        match value {
            Value::String(s) => self.visitor.string(path, key, None, s),
            Value::Array(values) => {
                let len = path.len();
                path.push_str("[]");
                for item in values {
                    self.outside(item, path, key);
                }
                path.truncate(len);
            }
            Value::Object(map) => {
                for (name, member) in map.iter_mut() {
                    let len = path.len();
                    push_key(path, name);
                    self.outside(member, path, name);
                    path.truncate(len);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// Whether `value`'s JSON type is one `node` can hold.
fn accepts(node: Node, value: &Value) -> bool {
    match (node, value) {
        (Node::Any, _) => true,
        (Node::Scalar(Kind::Null), value) => value.is_null(),
        (Node::Scalar(_), value) => !value.is_array() && !value.is_object() && !value.is_null(),
        (Node::Array(_), value) => value.is_array(),
        (Node::Object { .. }, value) => value.is_object(),
        (Node::OneOf(alternatives), value) => {
            alternatives.iter().any(|a| accepts(self::node(*a), value))
        }
    }
}

/// The JSON type of `value`, as a report names it.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Default)]
    struct Seen {
        unknown: Vec<(String, &'static str)>,
        strings: Vec<(String, Option<Kind>)>,
    }

    impl Visitor for Seen {
        fn unknown(&mut self, path: &str, value: &Value) {
            self.unknown.push((path.to_owned(), json_type(value)));
        }

        fn string(&mut self, path: &str, _: &str, kind: Option<Kind>, _: &mut String) {
            self.strings.push((path.to_owned(), kind));
        }
    }

    fn schedule_root() -> usize {
        OperationShape::by_id("get_schedule")
            .and_then(|shape| shape.response)
            .unwrap()
    }

    #[test]
    fn a_member_the_spec_does_not_know_is_named_by_its_place_in_every_record() {
        let mut schedule = json!({
            "start": "2025-06-02 00:00:00",
            "days": {
                "2025-06-02": {"assignments": [{"id": 1, "name": "Engine 1", "siren": "loud"}]},
                "2025-06-03": {"assignments": [{"id": 2, "name": "Engine 2", "siren": 3}]}
            }
        });
        let mut seen = Seen::default();
        walk(&mut schedule, schedule_root(), &mut seen);
        assert_eq!(
            seen.unknown,
            [
                ("days.*.assignments[].siren".to_owned(), "string"),
                ("days.*.assignments[].siren".to_owned(), "number"),
            ]
        );
        assert!(
            seen.strings
                .contains(&("start".to_owned(), Some(Kind::DateTime)))
        );
        assert!(
            seen.strings
                .contains(&("days.*.assignments[].name".to_owned(), Some(Kind::Text)))
        );
        assert!(
            seen.strings
                .contains(&("days.*.assignments[].siren".to_owned(), None))
        );
    }

    #[test]
    fn every_operation_with_a_json_answer_has_a_shape() {
        for op in crate::OPERATIONS.iter() {
            assert!(OperationShape::by_id(op.id).is_some(), "{}", op.id);
        }
        assert!(
            table::NODES
                .iter()
                .all(|n| !matches!(n, Node::OneOf(alternatives) if alternatives.is_empty()))
        );
    }
}
