//! Colours, which the API sends as hex strings of 3 or 6 digits (or, rarely, free text).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ParseError;

/// A colour as the API sent it (`#ff0000`, `#f00`, sometimes without `#`).
///
/// The text is kept as sent, so unusual values survive a round trip; [`Color::rgb`]
/// reads the hex forms.
///
/// ```
/// use crewsense_gen::wire::Color;
/// let c: Color = "#f80".parse().unwrap();
/// assert_eq!(c.rgb(), Some((0xff, 0x88, 0x00)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Color(pub String);

impl Color {
    /// The colour as red, green and blue, if it is a 3- or 6-digit hex colour.
    pub fn rgb(&self) -> Option<(u8, u8, u8)> {
        let hex = self.0.trim().trim_start_matches('#');
        let digit = |i: usize, width: usize| {
            let part = hex.get(i * width..(i + 1) * width)?;
            let v = u8::from_str_radix(part, 16).ok()?;
            Some(if width == 1 { v * 17 } else { v })
        };
        let width = match hex.len() {
            3 => 1,
            6 => 2,
            _ => return None,
        };
        Some((digit(0, width)?, digit(1, width)?, digit(2, width)?))
    }

    /// The colour as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Color {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Color(s.to_owned()))
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Color)
    }
}

impl Serialize for Color {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_three_and_six_digit_hex() {
        assert_eq!(Color("#ff0000".into()).rgb(), Some((255, 0, 0)));
        assert_eq!(Color("0f0".into()).rgb(), Some((0, 255, 0)));
        assert_eq!(Color("red".into()).rgb(), None);
        assert_eq!(Color("#ff00".into()).rgb(), None);
    }
}
