//! Decodes arbitrary bytes as every response type of the API (each operation's
//! success type, the error body and the token answer). A decode may fail; it must
//! never panic, and whatever decodes must encode again.
#![no_main]

use crewsense_gen::OPERATIONS;
use crewsense_gen::catalog::{error_codec, token_codec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let codecs = OPERATIONS
        .iter()
        .map(|op| op.response)
        .chain([error_codec, token_codec]);
    for codec in codecs {
        if let Ok(value) = codec(data) {
            serde_json::to_vec(&value).expect("a decoded value encodes");
        }
    }
});
