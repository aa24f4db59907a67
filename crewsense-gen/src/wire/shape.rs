//! Containers for the shapes the API varies: empty objects sent as `[]`, maps keyed by
//! date that the reference shows as arrays, open enums and one-or-many messages.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, StrDeserializer};
use serde::de::{
    self, DeserializeSeed, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Date;

/// An object with no members. PHP serialises an empty map as `[]`, so both `{}` and
/// `[]` are read; `{}` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Empty;

/// An object of type `T`, or nothing when the API sent an empty `[]` (or `null`) in its
/// place, as PHP does for an empty map (`"metadata": []`).
///
/// ```
/// use crewsense_gen::wire::EmptyOr;
/// use std::collections::BTreeMap;
/// let empty: EmptyOr<BTreeMap<String, u8>> = serde_json::from_str("[]").unwrap();
/// assert!(empty.get().is_none());
/// let full: EmptyOr<BTreeMap<String, u8>> = serde_json::from_str(r#"{"a":1}"#).unwrap();
/// assert_eq!(full.get().unwrap()["a"], 1);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum EmptyOr<T> {
    /// The API sent `[]` or `null`.
    #[default]
    Empty,
    /// The API sent an object.
    Value(T),
}

impl<T> EmptyOr<T> {
    /// The object, if one was sent.
    pub fn get(&self) -> Option<&T> {
        match self {
            EmptyOr::Empty => None,
            EmptyOr::Value(v) => Some(v),
        }
    }

    /// The object, if one was sent.
    pub fn into_option(self) -> Option<T> {
        match self {
            EmptyOr::Empty => None,
            EmptyOr::Value(v) => Some(v),
        }
    }
}

impl<T> From<Option<T>> for EmptyOr<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(EmptyOr::Empty, EmptyOr::Value)
    }
}

/// Accepts an empty sequence or null as "nothing" and hands a map to `T`.
struct EmptyOrVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for EmptyOrVisitor<T> {
    type Value = EmptyOr<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object, or an empty array in its place")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(EmptyOr::Value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(EmptyOr::Empty),
            Some(_) => Err(de::Error::invalid_length(1, &"an empty array")),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(EmptyOr::Empty)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for EmptyOr<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EmptyOrVisitor(PhantomData))
    }
}

impl<T: Serialize> Serialize for EmptyOr<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Written as the API writes it, so a decoded value encodes back unchanged.
            EmptyOr::Empty => serializer.serialize_seq(Some(0))?.end(),
            EmptyOr::Value(v) => v.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Empty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match EmptyOr::<BTreeMap<String, IgnoredAny>>::deserialize(deserializer)? {
            EmptyOr::Value(map) if !map.is_empty() => {
                Err(de::Error::invalid_length(map.len(), &"an empty object"))
            }
            _ => Ok(Empty),
        }
    }
}

impl Serialize for Empty {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

/// Values keyed by date, in date order.
///
/// Production sends an object keyed by `YYYY-MM-DD`; the reference documents an array
/// of objects that each carry a `date` member. Both decode to the same map; the
/// production form is written.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMap<T>(pub BTreeMap<Date, T>);

impl<T> DateMap<T> {
    /// The entries in date order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Date, &T)> + DoubleEndedIterator {
        self.0.iter()
    }

    /// The value for `date`, if the server sent one.
    pub fn get(&self, date: &Date) -> Option<&T> {
        self.0.get(date)
    }

    /// How many dates there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no dates.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> Default for DateMap<T> {
    fn default() -> Self {
        Self(BTreeMap::new())
    }
}

impl<T> IntoIterator for DateMap<T> {
    type Item = (Date, T);
    type IntoIter = std::collections::btree_map::IntoIter<Date, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

struct DateMapVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for DateMapVisitor<T> {
    type Value = DateMap<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object keyed by date, or an array of objects with a `date` member")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((date, value)) = map.next_entry::<Date, T>()? {
            out.insert(date, value);
        }
        Ok(DateMap(out))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((date, value)) = seq.next_element_seed(Dated::<T>(PhantomData))? {
            out.insert(date, value);
        }
        Ok(DateMap(out))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(DateMap::default())
    }
}

/// One element of the array form: its `date` member and the whole element as `T`,
/// read in one pass so that an error inside keeps its path.
struct Dated<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Dated<T> {
    type Value = (Date, T);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Dated<T> {
    type Value = (Date, T);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a `date` member")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut date = None;
        let value = T::deserialize(MapAccessDeserializer::new(DateCapture {
            inner: map,
            date: &mut date,
            pending: None,
        }))?;
        let date = date.ok_or_else(|| de::Error::missing_field("date"))?;
        Ok((date, value))
    }
}

/// Hands an object's members on to `T`, keeping a copy of its `date`.
struct DateCapture<'a, A> {
    inner: A,
    date: &'a mut Option<Date>,
    /// The `date` value, read already, for `T` to read next.
    pending: Option<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for DateCapture<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some(key) = self.inner.next_key::<String>()? else {
            return Ok(None);
        };
        if key == "date" {
            let date: Date = self.inner.next_value()?;
            self.pending = Some(date.to_string());
            *self.date = Some(date);
        }
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.pending.take() {
            // A JSON value, not serde's plain string deserializer, so that an
            // `Option<Date>` member reads it as `Some`.
            Some(date) => seed
                .deserialize(serde_json::Value::String(date))
                .map_err(de::Error::custom),
            None => self.inner.next_value_seed(seed),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for DateMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateMapVisitor(PhantomData))
    }
}

impl<T: Serialize> Serialize for DateMap<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (date, value) in &self.0 {
            map.serialize_entry(date, value)?;
        }
        map.end()
    }
}

/// An enum the server may extend: a known value of `E`, or any other string.
///
/// An unknown value never fails a decode; it is kept as [`Open::Other`].
///
/// ```
/// use crewsense_gen::wire::Open;
/// #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
/// #[serde(rename_all = "lowercase")]
/// enum Kind { Approved }
/// let known: Open<Kind> = serde_json::from_str("\"approved\"").unwrap();
/// assert_eq!(known, Open::Known(Kind::Approved));
/// let other: Open<Kind> = serde_json::from_str("\"escalated\"").unwrap();
/// assert_eq!(other, Open::Other("escalated".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Open<E> {
    /// A value the spec documents.
    Known(E),
    /// A value the spec does not know (yet).
    Other(String),
}

impl<E> Open<E> {
    /// The documented value, if it is one.
    pub fn known(&self) -> Option<&E> {
        match self {
            Open::Known(e) => Some(e),
            Open::Other(_) => None,
        }
    }
}

impl<E> From<E> for Open<E> {
    fn from(value: E) -> Self {
        Open::Known(value)
    }
}

impl<E: fmt::Display> fmt::Display for Open<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Open::Known(e) => e.fmt(f),
            Open::Other(s) => f.write_str(s),
        }
    }
}

struct OpenVisitor<E>(PhantomData<E>);

impl<'de, E: Deserialize<'de>> Visitor<'de> for OpenVisitor<E> {
    type Value = Open<E>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<Er: de::Error>(self, v: &str) -> Result<Self::Value, Er> {
        let known: Result<E, de::value::Error> = E::deserialize(StrDeserializer::new(v));
        Ok(known.map_or_else(|_| Open::Other(v.to_owned()), Open::Known))
    }
}

impl<'de, E: Deserialize<'de>> Deserialize<'de> for Open<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(OpenVisitor(PhantomData))
    }
}

impl<E: Serialize> Serialize for Open<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Open::Known(e) => e.serialize(serializer),
            Open::Other(s) => serializer.serialize_str(s),
        }
    }
}

/// The `error_message` of an API error: one message, or a list of them (422).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Messages(pub Vec<String>);

impl Messages {
    /// The messages, in the order the server sent them.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Display for Messages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

struct MessagesVisitor;

impl<'de> Visitor<'de> for MessagesVisitor {
    type Value = Messages;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message or a list of messages")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Messages, E> {
        Ok(Messages(vec![v.to_owned()]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Messages, A::Error> {
        Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Messages)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Messages, E> {
        Ok(Messages::default())
    }
}

impl<'de> Deserialize<'de> for Messages {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MessagesVisitor)
    }
}

impl Serialize for Messages {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => serializer.serialize_str(one),
            many => many.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Meta {
        page: u8,
    }

    #[test]
    fn empty_or_reads_an_empty_array_as_nothing() {
        let empty: EmptyOr<Meta> = serde_json::from_str("[]").unwrap();
        assert_eq!(empty, EmptyOr::Empty);
        assert_eq!(serde_json::to_string(&empty).unwrap(), "[]");
        let full: EmptyOr<Meta> = serde_json::from_str(r#"{"page":2}"#).unwrap();
        assert_eq!(full.get(), Some(&Meta { page: 2 }));
        assert!(serde_json::from_str::<EmptyOr<Meta>>("[1]").is_err());
        assert!(serde_json::from_str::<EmptyOr<Meta>>(r#"{"page":"x"}"#).is_err());
    }

    #[test]
    fn empty_accepts_both_empty_forms_only() {
        assert_eq!(serde_json::from_str::<Empty>("[]").unwrap(), Empty);
        assert_eq!(serde_json::from_str::<Empty>("{}").unwrap(), Empty);
        assert!(serde_json::from_str::<Empty>(r#"{"a":1}"#).is_err());
    }

    #[test]
    fn date_maps_read_both_shapes_in_date_order() {
        let map: DateMap<serde_json::Value> =
            serde_json::from_str(r#"{"2025-06-02":{"n":2},"2025-06-01":{"n":1}}"#).unwrap();
        let list: DateMap<serde_json::Value> =
            serde_json::from_str(r#"[{"date":"2025-06-02","n":2},{"date":"2025-06-01","n":1}]"#)
                .unwrap();
        let dates = |m: &DateMap<serde_json::Value>| {
            m.iter().map(|(d, _)| d.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(dates(&map), ["2025-06-01", "2025-06-02"]);
        assert_eq!(dates(&list), dates(&map));
        assert_eq!(list.iter().next().unwrap().1["n"], 1);
        assert!(serde_json::from_str::<DateMap<serde_json::Value>>(r#"[{"n":1}]"#).is_err());
        assert!(serde_json::from_str::<DateMap<u8>>(r#"{"June":1}"#).is_err());
    }

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    enum Kind {
        #[serde(rename = "approved")]
        Approved,
    }

    #[test]
    fn open_enums_keep_unknown_values() {
        let known: Open<Kind> = serde_json::from_str("\"approved\"").unwrap();
        assert_eq!(known.known(), Some(&Kind::Approved));
        let other: Open<Kind> = serde_json::from_str("\"escalated\"").unwrap();
        assert_eq!(other, Open::Other("escalated".into()));
        assert_eq!(serde_json::to_string(&other).unwrap(), "\"escalated\"");
        assert!(serde_json::from_str::<Open<Kind>>("3").is_err());
    }

    #[test]
    fn messages_read_one_or_many() {
        let one: Messages = serde_json::from_str("\"not found\"").unwrap();
        let many: Messages = serde_json::from_str(r#"["a","b"]"#).unwrap();
        assert_eq!(one.iter().collect::<Vec<_>>(), ["not found"]);
        assert_eq!(many.to_string(), "a; b");
        assert_eq!(serde_json::to_string(&one).unwrap(), "\"not found\"");
    }
}
