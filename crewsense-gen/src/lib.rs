#![doc = include_str!("../README.md")]

// The spec names the hand-written wire types by their crate path
// (`::crewsense_gen::wire::Id`), which must resolve from inside this crate too.
extern crate self as crewsense_gen;

pub mod catalog;
pub mod decode;
pub mod hooks;
pub mod retry_after;
pub mod spec_shape;
pub mod wire;

// Formatted by prettyplease in the xtask; rustfmt would reformat doc comments.
#[rustfmt::skip]
#[allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    irrefutable_let_patterns
)]
mod generated;

pub use generated::*;
