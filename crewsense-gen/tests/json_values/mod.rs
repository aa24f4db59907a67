//! Arbitrary JSON values for the property tests of this crate.

use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value: strings of any characters or shaped like dates and times, member
/// names like the API's or of any characters.
pub fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[0-9 :T+-]{0,25}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
    ];
    let name = prop_oneof!["[a-z0-9_-]{0,10}", any::<String>()];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(name.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
