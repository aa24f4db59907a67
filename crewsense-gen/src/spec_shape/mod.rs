//! What the spec says each operation's answer looks like, reduced to what a reader of
//! raw answers needs: which members an object has, and what kind of value each holds.
//!
//! The table is generated from the spec with the client (`cargo xtask codegen`).
//! [`walk`] reads an answer's JSON text along its shape and tells a [`Visitor`] about
//! every member the spec does not know and every string, with the kind the spec gives
//! it: `crewsense doctor` reports the first to show how the API drifted from the
//! spec, and scrubs personal data from the second with [`rewrite`], which writes the
//! text again with the strings the visitor replaced. Neither builds the answer in
//! memory: they read it once, token by token, and copy what they keep as it came.
//!
//! Paths name a place in the shape, not one value: object members joined by `.`,
//! `[]` for any item of an array and `*` for any member of a map
//! (`days.*.assignments[].shifts[].user.first_name`), so that a member the spec does
//! not know is reported once, not once per record.

#[rustfmt::skip]
mod table;
mod walk;

pub use self::walk::SyntaxError;
use self::walk::Walk;

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

/// What [`walk`] and [`rewrite`] report.
pub trait Visitor {
    /// A member at `path` that the spec does not know, holding a value of `json_type`
    /// (see [`JsonType::name`]). Its strings are visited next, with no kind.
    fn unknown(&mut self, path: &str, json_type: JsonType);

    /// A string at `path`, in the member (or the array of the member) named `key`
    /// (`""` at the top), of `kind` if the spec knows the place. What it returns
    /// takes the string's place in what [`rewrite`] writes.
    fn string(&mut self, path: &str, key: &str, kind: Option<Kind>, value: &str) -> Option<&str>;
}

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl JsonType {
    /// The type's name, as JSON Schema spells it (`"object"`, `"string"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    /// The type of the value that starts with `byte`, if one can.
    fn starting(byte: u8) -> Option<JsonType> {
        Some(match byte {
            b'n' => JsonType::Null,
            b't' | b'f' => JsonType::Boolean,
            b'-' | b'0'..=b'9' => JsonType::Number,
            b'"' => JsonType::String,
            b'[' => JsonType::Array,
            b'{' => JsonType::Object,
            _ => return None,
        })
    }
}

/// Walks the JSON text `json` along the node at `root` (`None`: the spec gives the
/// answer no shape), telling `visitor` about every member the spec does not know and
/// every string (see the [module docs](self)). What the visitor returns for a string
/// is ignored.
pub fn walk(
    json: &[u8],
    root: Option<usize>,
    visitor: &mut impl Visitor,
) -> Result<(), SyntaxError> {
    Walk::new(json, visitor, false)?.run(root).map(drop)
}

/// Walks `json` as [`walk`] does and returns it with each string the visitor replaced
/// in its place; everything else stays byte for byte as it came.
pub fn rewrite(
    json: &[u8],
    root: Option<usize>,
    visitor: &mut impl Visitor,
) -> Result<Vec<u8>, SyntaxError> {
    Walk::new(json, visitor, true)?.run(root)
}

/// Whether a value of `json_type` is one `node` can hold.
fn accepts(node: Node, json_type: JsonType) -> bool {
    match (node, json_type) {
        (Node::Any, _) => true,
        (Node::Scalar(Kind::Null), json_type) => json_type == JsonType::Null,
        (Node::Scalar(_), json_type) => {
            matches!(
                json_type,
                JsonType::Boolean | JsonType::Number | JsonType::String
            )
        }
        (Node::Array(_), json_type) => json_type == JsonType::Array,
        (Node::Object { .. }, json_type) => json_type == JsonType::Object,
        (Node::OneOf(alternatives), json_type) => alternatives
            .iter()
            .any(|a| accepts(self::node(*a), json_type)),
    }
}

/// What `shape` is for a value of `json_type`: itself, or the first alternative of a
/// [`Node::OneOf`] that can hold it; `None` if none can, or for [`Node::Any`] (the
/// spec says nothing of the value).
fn resolve(shape: Node, json_type: JsonType) -> Option<Node> {
    match shape {
        Node::OneOf(alternatives) => alternatives
            .iter()
            .map(|a| node(*a))
            .find(|alternative| accepts(*alternative, json_type))
            .and_then(|alternative| resolve(alternative, json_type)),
        Node::Any => None,
        shape => Some(shape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Seen {
        unknown: Vec<(String, JsonType)>,
        strings: Vec<(String, Option<Kind>)>,
    }

    impl Visitor for Seen {
        fn unknown(&mut self, path: &str, json_type: JsonType) {
            self.unknown.push((path.to_owned(), json_type));
        }

        fn string(&mut self, path: &str, _: &str, kind: Option<Kind>, _: &str) -> Option<&str> {
            self.strings.push((path.to_owned(), kind));
            None
        }
    }

    fn schedule_root() -> Option<usize> {
        OperationShape::by_id("get_schedule").and_then(|shape| shape.response)
    }

    #[test]
    fn a_member_the_spec_does_not_know_is_named_by_its_place_in_every_record() {
        let schedule = br#"{
            "start": "2025-06-02 00:00:00",
            "days": {
                "2025-06-02": {"assignments": [{"id": 1, "name": "Engine 1", "siren": "loud"}]},
                "2025-06-03": {"assignments": [{"id": 2, "name": "Engine 2", "siren": 3}]}
            }
        }"#;
        let mut seen = Seen::default();
        walk(schedule, schedule_root(), &mut seen).unwrap();
        assert_eq!(
            seen.unknown,
            [
                ("days.*.assignments[].siren".to_owned(), JsonType::String),
                ("days.*.assignments[].siren".to_owned(), JsonType::Number),
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
    fn a_member_name_with_escapes_is_the_member_it_spells() {
        let mut seen = Seen::default();
        walk(
            br#"{"st\u0061rt": "2025-06-02 00:00:00"}"#,
            schedule_root(),
            &mut seen,
        )
        .unwrap();
        assert!(seen.unknown.is_empty(), "{:?}", seen.unknown);
        assert_eq!(seen.strings, [("start".to_owned(), Some(Kind::DateTime))]);
    }

    #[test]
    fn a_value_of_another_type_than_the_spec_gives_has_no_kind_and_no_unknown_members() {
        // `days` is a map of days or an empty array; a string is neither.
        let mut seen = Seen::default();
        walk(
            br#"{"days": "none", "next": ["y"]}"#,
            schedule_root(),
            &mut seen,
        )
        .unwrap();
        assert!(seen.strings.contains(&("days".to_owned(), None)));
        assert!(seen.strings.contains(&("next[]".to_owned(), None)));
        assert!(seen.unknown.is_empty(), "{:?}", seen.unknown);
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
