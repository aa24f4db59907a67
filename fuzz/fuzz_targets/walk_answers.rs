//! Reads arbitrary bytes along every answer's shape with `spec_shape::walk` and
//! `rewrite`. They must never panic, must read a text exactly when `serde_json` reads
//! it, and a rewrite that replaces nothing must give the text back byte for byte.
#![no_main]

use crewsense_gen::OPERATIONS;
use crewsense_gen::spec_shape::{JsonType, Kind, OperationShape, Visitor, rewrite, walk};
use libfuzzer_sys::fuzz_target;

struct Keep;

impl Visitor for Keep {
    fn unknown(&mut self, _: &str, _: JsonType) {}

    fn string(&mut self, _: &str, _: &str, _: Option<Kind>, _: &str) -> Option<&str> {
        None
    }
}

fuzz_target!(|data: &[u8]| {
    let json = serde_json::from_slice::<serde_json::Value>(data).is_ok();
    let roots = OPERATIONS
        .iter()
        .map(|op| OperationShape::by_id(op.id).and_then(|shape| shape.response))
        .chain([None]);
    for root in roots {
        assert_eq!(walk(data, root, &mut Keep).is_ok(), json);
        if let Ok(text) = rewrite(data, root, &mut Keep) {
            assert_eq!(text, data);
        }
    }
});
