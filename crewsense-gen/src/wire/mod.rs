//! Lenient wire types: the primitives the CrewSense API is inconsistent about.
//!
//! Each type decodes every form the API has been seen to send, encodes one canonical
//! form, and implements `Display`/`FromStr` in the API's own text format. The spec
//! names them with `x-rust-type`, so the generated code uses them directly.

mod color;
mod number;
#[cfg(feature = "schemars")]
mod schema;
mod shape;
mod time;
mod union;

pub use color::Color;
pub use number::{Decimal, Flag, Id, Integer};
pub use shape::{DateMap, Empty, EmptyOr, Messages, Open};
pub use time::{Date, LocalDateTime, LocalOrTimestamp, Timestamp};
pub(crate) use union::{ShapeUnion, deserialize_by_shape};

use std::fmt;

/// A value that could not be read as one of the wire types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    expected: &'static str,
    input: String,
}

impl ParseError {
    fn new(expected: &'static str, input: &str) -> Self {
        // Keep errors short: the input may be a whole body fragment.
        let input: String = input.chars().take(64).collect();
        Self { expected, input }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {:?}", self.expected, self.input)
    }
}

impl std::error::Error for ParseError {}

/// `From` both ways between a wire newtype and the value it wraps.
macro_rules! newtype_from {
    ($ty:ident, $inner:ty) => {
        impl From<$inner> for $ty {
            fn from(value: $inner) -> Self {
                Self(value)
            }
        }

        impl From<$ty> for $inner {
            fn from(value: $ty) -> Self {
                value.0
            }
        }
    };
}
pub(crate) use newtype_from;
