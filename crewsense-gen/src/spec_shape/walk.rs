//! Reading a JSON text along a shape, token by token, without building it: each value
//! is met once, its node looked up as it starts, and a rewrite copies the text between
//! the strings it replaces as it came. The text is checked as strictly as
//! `serde_json` checks it (the same grammar, nesting at most 127 deep), so that what
//! is rewritten is JSON again; a text that is not is a [`SyntaxError`], never a panic.

use std::borrow::Cow;
use std::fmt;

use super::{JsonType, Kind, Node, Others, Visitor, node, resolve};

/// How deep arrays and objects may nest: as deep as `serde_json` reads them.
const MAX_DEPTH: usize = 127;

/// Why a text could not be read as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    offset: usize,
    expected: &'static str,
}

impl SyntaxError {
    /// The byte offset in the text where reading stopped.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What was expected there.
    pub fn expected(&self) -> &'static str {
        self.expected
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at byte {}", self.expected, self.offset)
    }
}

impl std::error::Error for SyntaxError {}

/// The shape of the value being read: a node of the table, or none (a value the spec
/// says nothing of: its strings have no kind, and no member of it is reported).
type Shape = Option<Node>;

/// One walk over one text.
pub(super) struct Walk<'j, 'v, V> {
    json: &'j [u8],
    /// `json` as text (a JSON text is UTF-8).
    text: &'j str,
    /// The next byte to read.
    at: usize,
    visitor: &'v mut V,
    /// The place being read (see the module docs of `spec_shape`).
    path: String,
    depth: usize,
    /// The text rewritten so far, if it is being rewritten.
    out: Option<Vec<u8>>,
    /// How much of `json` has been copied into `out`.
    copied: usize,
}

impl<'j, 'v, V: Visitor> Walk<'j, 'v, V> {
    /// A walk over `json`, rewriting it if `rewrite`; an error if it is not UTF-8.
    pub(super) fn new(
        json: &'j [u8],
        visitor: &'v mut V,
        rewrite: bool,
    ) -> Result<Self, SyntaxError> {
        let text = std::str::from_utf8(json).map_err(|error| SyntaxError {
            offset: error.valid_up_to(),
            expected: "UTF-8 text",
        })?;
        Ok(Walk {
            json,
            text,
            at: 0,
            visitor,
            path: String::new(),
            depth: 0,
            out: rewrite.then(|| Vec::with_capacity(json.len())),
            copied: 0,
        })
    }

    /// Reads the whole text as one value along the node at `root`, and returns the
    /// rewritten text (empty when not rewriting).
    pub(super) fn run(mut self, root: Option<usize>) -> Result<Vec<u8>, SyntaxError> {
        self.value(root.map(node), "")?;
        self.skip_whitespace();
        if self.at < self.json.len() {
            return Err(self.error("the end of the text"));
        }
        let Some(mut out) = self.out.take() else {
            return Ok(Vec::new());
        };
        out.extend_from_slice(self.json.get(self.copied..).unwrap_or_default());
        Ok(out)
    }

    fn error(&self, expected: &'static str) -> SyntaxError {
        SyntaxError {
            offset: self.at,
            expected,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.json.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Reads `byte`, after any whitespace.
    fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), SyntaxError> {
        self.skip_whitespace();
        if self.peek() != Some(byte) {
            return Err(self.error(expected));
        }
        self.at += 1;
        Ok(())
    }

    /// The type of the value that starts at the next byte, after any whitespace.
    fn next_type(&mut self) -> Result<JsonType, SyntaxError> {
        self.skip_whitespace();
        self.peek()
            .and_then(JsonType::starting)
            .ok_or_else(|| self.error("a value"))
    }

    /// A value where `shape` is expected, in the member named `key`.
    fn value(&mut self, shape: Shape, key: &str) -> Result<(), SyntaxError> {
        let json_type = self.next_type()?;
        let shape = shape.and_then(|shape| resolve(shape, json_type));
        match (json_type, shape) {
            (JsonType::String, Some(Node::Scalar(kind))) => self.string(Some(kind), key),
            (JsonType::String, _) => self.string(None, key),
            (JsonType::Array, Some(Node::Array(items))) => self.array(Some(node(items)), key),
            (JsonType::Array, _) => self.array(None, key),
            (JsonType::Object, Some(Node::Object { members, others })) => {
                self.object(Some((members, others)), key)
            }
            (JsonType::Object, _) => self.object(None, key),
            (JsonType::Null | JsonType::Boolean | JsonType::Number, _) => self.scalar(json_type),
        }
    }

    /// Enters the array or object that starts at the next byte, which `close` ends;
    /// `true` if it is empty, and then it is left already.
    fn enter(&mut self, close: u8) -> Result<bool, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("arrays and objects nested at most 127 deep"));
        }
        self.at += 1;
        self.skip_whitespace();
        let empty = self.peek() == Some(close);
        if empty {
            self.leave();
        }
        Ok(empty)
    }

    /// Leaves an array or object at its closing byte.
    fn leave(&mut self) {
        self.at += 1;
        self.depth -= 1;
    }

    /// An array whose items are `items`.
    fn array(&mut self, items: Shape, key: &str) -> Result<(), SyntaxError> {
        if self.enter(b']')? {
            return Ok(());
        }
        let len = self.path.len();
        self.path.push_str("[]");
        loop {
            self.value(items, key)?;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => break,
                _ => return Err(self.error("',' or ']'")),
            }
        }
        self.path.truncate(len);
        self.leave();
        Ok(())
    }

    /// An object with these documented members and others; `None` when the spec says
    /// nothing of it.
    fn object(
        &mut self,
        shape: Option<(&'static [(&'static str, usize)], Others)>,
        key: &str,
    ) -> Result<(), SyntaxError> {
        if self.enter(b'}')? {
            return Ok(());
        }
        // Where the next member is likely documented: answers list their members in
        // the order of the spec, so looking there first mostly saves the search.
        let mut next = 0;
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("a member name"));
            }
            let name = self.text()?;
            self.expect(b':', "':'")?;
            let len = self.path.len();
            let documented = shape.map(|(members, others)| {
                let found = match members.get(next) {
                    Some((member, _)) if *member == name => Some(next),
                    _ => members.iter().position(|(member, _)| *member == name),
                };
                next = found.map_or(next, |found| found + 1);
                (
                    found.and_then(|found| members.get(found)).map(|m| m.1),
                    others,
                )
            });
            match documented {
                Some((Some(member), _)) => {
                    push_key(&mut self.path, &name);
                    self.value(Some(node(member)), &name)?;
                }
                Some((None, Others::Of(member))) => {
                    push_key(&mut self.path, "*");
                    self.value(Some(node(member)), key)?;
                }
                Some((None, Others::None)) => {
                    push_key(&mut self.path, &name);
                    let json_type = self.next_type()?;
                    self.visitor.unknown(&self.path, json_type);
                    self.value(None, &name)?;
                }
                Some((None, Others::Any)) | None => {
                    push_key(&mut self.path, &name);
                    self.value(None, &name)?;
                }
            }
            self.path.truncate(len);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => break,
                _ => return Err(self.error("',' or '}'")),
            }
        }
        self.leave();
        Ok(())
    }

    /// A string of `kind`, told to the visitor and replaced by what it returns.
    fn string(&mut self, kind: Option<Kind>, key: &str) -> Result<(), SyntaxError> {
        let start = self.at;
        let value = self.text()?;
        let replacement = self.visitor.string(&self.path, key, kind, &value);
        if let (Some(out), Some(replacement)) = (self.out.as_mut(), replacement) {
            out.extend_from_slice(self.json.get(self.copied..start).unwrap_or_default());
            write_string(out, replacement);
            self.copied = self.at;
        }
        Ok(())
    }

    /// The string that starts at the next byte (a `"`), unescaped.
    fn text(&mut self) -> Result<Cow<'j, str>, SyntaxError> {
        let start = self.at;
        let mut escaped = false;
        let mut end = start + 1;
        loop {
            let rest = self.json.get(end..).unwrap_or_default();
            let Some(special) = rest
                .iter()
                .position(|b| matches!(b, b'"' | b'\\' | 0..=0x1f))
            else {
                self.at = self.json.len();
                return Err(self.error("the end of the string"));
            };
            end += special;
            match rest.get(special) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    end += 2;
                }
                _ => {
                    self.at = end;
                    return Err(self.error("the end of the string"));
                }
            }
        }
        let text = if escaped {
            let quoted = self.json.get(start..=end).unwrap_or_default();
            serde_json::from_slice::<String>(quoted)
                .ok()
                .map(Cow::Owned)
        } else {
            self.text.get(start + 1..end).map(Cow::Borrowed)
        };
        match text {
            Some(text) => {
                self.at = end + 1;
                Ok(text)
            }
            None => Err(self.error("a string with valid escapes")),
        }
    }

    /// `null`, `true`, `false` or a number.
    fn scalar(&mut self, json_type: JsonType) -> Result<(), SyntaxError> {
        let rest = self.json.get(self.at..).unwrap_or_default();
        let literal: &[u8] = match json_type {
            JsonType::Null => b"null",
            JsonType::Boolean if rest.first() == Some(&b't') => b"true",
            JsonType::Boolean => b"false",
            _ => return self.number(),
        };
        if !rest.starts_with(literal) {
            return Err(self.error("null, true or false"));
        }
        self.at += literal.len();
        Ok(())
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<(), SyntaxError> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.some_digits()?;
        }
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Result<(), SyntaxError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.error("a digit"));
        }
        self.digits();
        Ok(())
    }
}

/// Appends `.key` (or `key` at the top) to `path`.
fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// Writes `value` as a JSON string.
fn write_string(out: &mut Vec<u8>, value: &str) {
    out.push(b'"');
    for c in value.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{0}'..='\u{1f}' => {
                out.extend_from_slice(format!("\\u{:04x}", u32::from(c)).as_bytes())
            }
            c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    out.push(b'"');
}
