//! Property tests for the lenient wire types: the canonical form round-trips, every
//! lenient form the API sends is accepted, and arbitrary input never panics.

mod json_values;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use crewsense_gen::wire::{
    Color, Date, DateMap, Decimal, Empty, EmptyOr, Flag, Id, Integer, LocalDateTime,
    LocalOrTimestamp, Messages, Open, Timestamp,
};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use self::json_values::arbitrary_json;

fn round_trips<T>(value: &T) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(value).unwrap();
    let back: T =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{json}: {e}")))?;
    prop_assert_eq!(&back, value, "{}", json);
    Ok(())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1900i32..2100, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn time() -> impl Strategy<Value = NaiveTime> {
    (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| NaiveTime::from_hms_opt(h, m, s).unwrap())
}

fn timestamp() -> impl Strategy<Value = DateTime<FixedOffset>> {
    // Whole-minute offsets from -12:00 to +14:00, as real zones use.
    (date(), time(), -720i32..=840).prop_map(|(d, t, minutes)| {
        FixedOffset::east_opt(minutes * 60)
            .unwrap()
            .from_local_datetime(&NaiveDateTime::new(d, t))
            .unwrap()
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Kind {
    #[serde(rename = "pending")]
    Pending,
    #[serde(rename = "approved")]
    Approved,
}

proptest! {
    #[test]
    fn ids_round_trip_and_read_numeric_strings(v in any::<u64>()) {
        round_trips(&Id(v))?;
        prop_assert_eq!(serde_json::from_str::<Id>(&format!("\"{v}\"")).unwrap(), Id(v));
        prop_assert_eq!(v.to_string().parse::<Id>().unwrap(), Id(v));
    }

    #[test]
    fn integers_round_trip_and_read_numeric_strings(v in any::<i64>()) {
        round_trips(&Integer(v))?;
        prop_assert_eq!(serde_json::from_str::<Integer>(&format!("\"{v}\"")).unwrap(), Integer(v));
    }

    #[test]
    fn decimals_round_trip_and_read_strings(v in -1.0e9f64..1.0e9) {
        round_trips(&Decimal(v))?;
        prop_assert_eq!(serde_json::from_str::<Decimal>(&format!("\"{v}\"")).unwrap(), Decimal(v));
        // The API's fixed two-decimal strings ("8.50") read as the same number.
        let fixed = format!("{v:.2}");
        prop_assert_eq!(fixed.parse::<Decimal>().unwrap(), Decimal(fixed.parse().unwrap()));
    }

    #[test]
    fn flags_round_trip_in_every_form(v in any::<bool>()) {
        round_trips(&Flag(v))?;
        let n = u8::from(v);
        for json in [format!("{n}"), format!("\"{n}\""), format!("{v}"), format!("\"{v}\"")] {
            prop_assert_eq!(serde_json::from_str::<Flag>(&json).unwrap(), Flag(v), "{}", json);
        }
    }

    #[test]
    fn dates_round_trip_with_or_without_a_midnight_time(d in date()) {
        round_trips(&Date(d))?;
        let text = d.format("%Y-%m-%d").to_string();
        prop_assert_eq!(Date(d).to_string(), text.clone());
        prop_assert_eq!(format!("{text} 00:00:00").parse::<Date>().unwrap(), Date(d));
    }

    #[test]
    fn local_date_times_round_trip(d in date(), t in time()) {
        let value = LocalDateTime(NaiveDateTime::new(d, t));
        round_trips(&value)?;
        prop_assert_eq!(value.to_string().parse::<LocalDateTime>().unwrap(), value);
    }

    #[test]
    fn timestamps_round_trip_with_either_offset_form(t in timestamp()) {
        let value = Timestamp(t);
        round_trips(&value)?;
        let canonical = value.to_string();
        let compact = format!("{}{}", &canonical[..canonical.len() - 3], &canonical[canonical.len() - 2..]);
        prop_assert_eq!(compact.parse::<Timestamp>().unwrap(), value);
        prop_assert_eq!(value.value().is_none(), t.timestamp() == 0);
    }

    #[test]
    fn local_or_timestamps_round_trip_in_the_form_they_were_read(t in timestamp()) {
        let offset = LocalOrTimestamp::Timestamp(Timestamp(t));
        let local = LocalOrTimestamp::Local(LocalDateTime(t.naive_local()));
        round_trips(&offset)?;
        round_trips(&local)?;
        prop_assert_eq!(offset.to_string().parse::<LocalOrTimestamp>().unwrap(), offset);
        prop_assert_eq!(local.to_string().parse::<LocalOrTimestamp>().unwrap(), local);
        prop_assert_eq!(offset.local(), local.local());
    }

    #[test]
    fn colors_keep_any_text(s in ".*") {
        round_trips(&Color(s.clone()))?;
        prop_assert_eq!(Color(s.clone()).to_string(), s);
    }

    #[test]
    fn open_enums_keep_every_string(s in "[a-z_]{0,12}") {
        let value: Open<Kind> = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        match s.as_str() {
            "pending" => prop_assert_eq!(&value, &Open::Known(Kind::Pending)),
            "approved" => prop_assert_eq!(&value, &Open::Known(Kind::Approved)),
            _ => prop_assert_eq!(&value, &Open::Other(s.clone())),
        }
        round_trips(&value)?;
    }

    #[test]
    fn messages_round_trip(list in proptest::collection::vec(".*", 0..4)) {
        round_trips(&Messages(list))?;
    }

    #[test]
    fn date_maps_round_trip_and_read_the_array_form(
        days in proptest::collection::btree_map(date(), any::<u32>(), 0..8),
    ) {
        let map = DateMap(days.into_iter().map(|(d, n)| (Date(d), n)).collect());
        round_trips(&map)?;
        #[derive(Serialize)]
        struct Day { date: String, n: u32 }
        #[derive(Debug, PartialEq, Deserialize, Serialize)]
        struct N { n: u32 }
        let array: Vec<Day> = map.iter().map(|(d, n)| Day { date: d.to_string(), n: *n }).collect();
        let read: DateMap<N> = serde_json::from_value(serde_json::to_value(&array).unwrap()).unwrap();
        prop_assert_eq!(read.len(), map.len());
        for ((a, n), (b, m)) in read.iter().zip(map.iter()) {
            prop_assert_eq!(a, b);
            prop_assert_eq!(n.n, *m);
        }
    }

    #[test]
    fn arbitrary_json_never_panics(json in arbitrary_json()) {
        let text = json.to_string();
        let _ = serde_json::from_str::<Id>(&text);
        let _ = serde_json::from_str::<Integer>(&text);
        let _ = serde_json::from_str::<Decimal>(&text);
        let _ = serde_json::from_str::<Flag>(&text);
        let _ = serde_json::from_str::<Date>(&text);
        let _ = serde_json::from_str::<LocalDateTime>(&text);
        let _ = serde_json::from_str::<Timestamp>(&text);
        let _ = serde_json::from_str::<LocalOrTimestamp>(&text);
        let _ = serde_json::from_str::<Color>(&text);
        let _ = serde_json::from_str::<Empty>(&text);
        let _ = serde_json::from_str::<EmptyOr<std::collections::BTreeMap<String, u8>>>(&text);
        let _ = serde_json::from_str::<DateMap<serde_json::Value>>(&text);
        let _ = serde_json::from_str::<Open<Kind>>(&text);
        let _ = serde_json::from_str::<Messages>(&text);
    }

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC*") {
        let _ = s.parse::<Id>();
        let _ = s.parse::<Integer>();
        let _ = s.parse::<Decimal>();
        let _ = s.parse::<Flag>();
        let _ = s.parse::<Date>();
        let _ = s.parse::<LocalDateTime>();
        let _ = s.parse::<Timestamp>();
        let _ = s.parse::<LocalOrTimestamp>();
    }
}
