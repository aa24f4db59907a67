//! The API's lenient primitives: ids and numbers that may arrive as strings, flags as
//! `0`/`1`, colours, objects that may arrive as `[]`, maps keyed by date, enums the
//! server may extend, and error messages that are one string or several.
//!
//! Each reads every form the API has been seen to send and writes one canonical form.
//! The date and time formats are in [`crate::time`].

pub use crewsense_gen::wire::{
    Color, DateMap, Decimal, Empty, EmptyOr, Flag, Id, Integer, Messages, Open, ParseError,
};
