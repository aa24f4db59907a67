//! Numbers and flags that the API sends either as JSON numbers/booleans or as strings.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{ParseError, newtype_from};

/// A record id: a non-negative integer, sent as a number or a numeric string
/// (`1773` or `"1773"`). Encoded as a number.
///
/// ```
/// use crewsense_gen::wire::Id;
/// let a: Id = serde_json::from_str("\"1773\"").unwrap();
/// let b: Id = serde_json::from_str("1773").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a.to_string(), "1773");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Id(pub u64);

/// A count or ordinal, sent as a number or a numeric string. Encoded as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Integer(pub i64);

/// A decimal quantity (hours, amounts, coordinates), sent as a number or a numeric
/// string (`"0.00"`, `"42.457"`). Encoded as a number.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Decimal(pub f64);

/// A boolean, sent as `true`/`false`, `0`/`1`, `"0"`/`"1"` or `"true"`/`"false"`.
/// Encoded as a JSON boolean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Flag(pub bool);

impl Id {
    /// The id as an integer.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl Integer {
    /// The value as an integer.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl Decimal {
    /// The value as a float.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl Flag {
    /// The value as a boolean.
    pub fn get(self) -> bool {
        self.0
    }
}

/// The numbers print as they are; a flag prints `true` or `false`.
macro_rules! display_inner {
    ($($ty:ident),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    )*};
}

newtype_from!(Id, u64);
newtype_from!(Integer, i64);
newtype_from!(Decimal, f64);
newtype_from!(Flag, bool);
display_inner!(Id, Integer, Decimal, Flag);

impl FromStr for Id {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse()
            .map(Id)
            .map_err(|_| ParseError::new("an id (non-negative integer)", s))
    }
}

impl FromStr for Integer {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse()
            .map(Integer)
            .map_err(|_| ParseError::new("an integer", s))
    }
}

impl FromStr for Decimal {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Decimal(v)),
            _ => Err(ParseError::new("a decimal number", s)),
        }
    }
}

impl FromStr for Flag {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "1" | "true" => Ok(Flag(true)),
            "0" | "false" => Ok(Flag(false)),
            _ => Err(ParseError::new("a flag (0, 1, true or false)", s)),
        }
    }
}

/// One visitor for the three numeric types: numbers in range, or strings via `FromStr`.
struct NumberVisitor<T>(&'static str, std::marker::PhantomData<T>);

trait FromNumber: FromStr<Err = ParseError> + Sized {
    fn from_i64(v: i64) -> Option<Self>;
    fn from_u64(v: u64) -> Option<Self>;
    fn from_f64(v: f64) -> Option<Self>;
}

impl FromNumber for Id {
    fn from_i64(v: i64) -> Option<Self> {
        u64::try_from(v).ok().map(Id)
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(Id(v))
    }
    fn from_f64(v: f64) -> Option<Self> {
        // Some serialisers write integral ids as `12.0`.
        (v.fract() == 0.0 && v >= 0.0 && v < u64::MAX as f64).then_some(Id(v as u64))
    }
}

impl FromNumber for Integer {
    fn from_i64(v: i64) -> Option<Self> {
        Some(Integer(v))
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok().map(Integer)
    }
    fn from_f64(v: f64) -> Option<Self> {
        (v.fract() == 0.0 && v.abs() < i64::MAX as f64).then_some(Integer(v as i64))
    }
}

impl FromNumber for Decimal {
    fn from_i64(v: i64) -> Option<Self> {
        Some(Decimal(v as f64))
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(Decimal(v as f64))
    }
    fn from_f64(v: f64) -> Option<Self> {
        v.is_finite().then_some(Decimal(v))
    }
}

impl<T: FromNumber> Visitor<'_> for NumberVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} as a number or a numeric string", self.0)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_u64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_f64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }
}

macro_rules! number_serde {
    ($ty:ident, $what:literal, $ser:ident) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(NumberVisitor($what, std::marker::PhantomData))
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.$ser(self.0)
            }
        }
    };
}

number_serde!(Id, "an id", serialize_u64);
number_serde!(Integer, "an integer", serialize_i64);
number_serde!(Decimal, "a decimal", serialize_f64);

struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = Flag;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a flag: true, false, 0, 1, \"0\" or \"1\"")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
        Ok(Flag(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Flag, E> {
        match v {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
        match v {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
        v.parse().map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlagVisitor)
    }
}

impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_decode_from_numbers_and_numeric_strings() {
        for json in ["1773", "\"1773\"", "1773.0", "\" 1773\""] {
            assert_eq!(
                serde_json::from_str::<Id>(json).unwrap(),
                Id(1773),
                "{json}"
            );
        }
        for json in ["-1", "\"abc\"", "\"\"", "1.5", "true", "null"] {
            assert!(serde_json::from_str::<Id>(json).is_err(), "{json}");
        }
        assert_eq!(serde_json::to_string(&Id(7)).unwrap(), "7");
    }

    #[test]
    fn integers_accept_negative_values() {
        assert_eq!(
            serde_json::from_str::<Integer>("\"-3\"").unwrap(),
            Integer(-3)
        );
        assert_eq!(serde_json::from_str::<Integer>("-3").unwrap(), Integer(-3));
        assert!(serde_json::from_str::<Integer>("\"1e3\"").is_err());
    }

    #[test]
    fn decimals_decode_from_strings() {
        assert_eq!(
            serde_json::from_str::<Decimal>("\"0.00\"").unwrap(),
            Decimal(0.0)
        );
        assert_eq!(
            serde_json::from_str::<Decimal>("\"42.457\"").unwrap(),
            Decimal(42.457)
        );
        assert_eq!(
            serde_json::from_str::<Decimal>("12").unwrap(),
            Decimal(12.0)
        );
        assert!(serde_json::from_str::<Decimal>("\"NaN\"").is_err());
        assert!(serde_json::from_str::<Decimal>("\"12 hours\"").is_err());
    }

    #[test]
    fn flags_decode_every_observed_form() {
        for (json, want) in [
            ("true", true),
            ("false", false),
            ("1", true),
            ("0", false),
            ("\"1\"", true),
            ("\"0\"", false),
            ("\"true\"", true),
        ] {
            assert_eq!(
                serde_json::from_str::<Flag>(json).unwrap(),
                Flag(want),
                "{json}"
            );
        }
        for json in ["2", "\"yes\"", "null", "[]"] {
            assert!(serde_json::from_str::<Flag>(json).is_err(), "{json}");
        }
        assert_eq!(serde_json::to_string(&Flag(true)).unwrap(), "true");
    }
}
