//! One-of unions told apart by their JSON shape.
//!
//! serde's `untagged` buffers the value, tries each variant in turn and, when none
//! fits, reports "data did not match any variant" with no path. The API's unions
//! (a list of users or one user; an id or an object) differ in shape, so the shape
//! picks the variant without buffering, and an error inside it keeps its path.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor};

/// A union whose variants are an array, an object and a scalar (at most one each).
///
/// The codegen implements it for every one-of union of the spec; each method reads its
/// variant, and a shape without a variant is an error.
///
/// ```
/// use crewsense_gen::types::ListUsersResponse;
/// let one: ListUsersResponse = serde_json::from_str(r#"{"user_id": 7}"#).unwrap();
/// assert!(matches!(one, ListUsersResponse::User(_)));
/// // The error of the chosen variant, not "did not match any variant".
/// let error = serde_json::from_str::<ListUsersResponse>(r#"[{"user_id": []}]"#).unwrap_err();
/// assert!(error.to_string().starts_with("invalid type: sequence"), "{error}");
/// ```
pub(crate) trait ShapeUnion: Sized {
    /// What the union accepts, for error messages ("an array or an object").
    const EXPECTING: &'static str;

    /// Reads the array variant.
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        drop(seq);
        Err(de::Error::invalid_type(
            Unexpected::Seq,
            &Expecting(Self::EXPECTING),
        ))
    }

    /// Reads the object variant.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        drop(map);
        Err(de::Error::invalid_type(
            Unexpected::Map,
            &Expecting(Self::EXPECTING),
        ))
    }

    /// Reads the scalar variant from a string, number or boolean.
    fn from_scalar<'de, D: Deserializer<'de>>(scalar: D) -> Result<Self, D::Error> {
        drop(scalar);
        Err(de::Error::invalid_type(
            Unexpected::Other("a scalar"),
            &Expecting(Self::EXPECTING),
        ))
    }
}

/// Deserializes a [`ShapeUnion`] by the shape of the value.
pub(crate) fn deserialize_by_shape<'de, D: Deserializer<'de>, T: ShapeUnion>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(ShapeVisitor(PhantomData))
}

struct Expecting(&'static str);

impl de::Expected for Expecting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

struct ShapeVisitor<T>(PhantomData<T>);

impl<'de, T: ShapeUnion> Visitor<'de> for ShapeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::from_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        T::from_scalar(v.into_deserializer())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_scalar(v.into_deserializer())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_scalar(v.into_deserializer())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_scalar(v.into_deserializer())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::from_scalar(v.into_deserializer())
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<T, E> {
        T::from_scalar(de::value::BorrowedStrDeserializer::new(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        T::from_scalar(v.into_deserializer())
    }
}
