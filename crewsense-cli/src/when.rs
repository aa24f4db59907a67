//! `--at`: an instant in the organisation's local time, and the time zone that
//! `now` needs (the API's date-times carry none).

use std::str::FromStr;

use chrono::{NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;
use crewsense::time::LocalDateTime;

use crate::failure::Failure;

/// What `--at` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The current time in the organisation's zone.
    Now,
    /// A wall-clock time in the organisation's zone.
    Local(LocalDateTime),
}

impl FromStr for At {
    type Err = String;

    /// `now`, or `YYYY-MM-DD hh:mm[:ss]` (a `T` between date and time is read too).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("now") {
            return Ok(At::Now);
        }
        [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|t| At::Local(LocalDateTime(t)))
        .ok_or_else(|| format!("`{text}` is not `now` nor a time `YYYY-MM-DD hh:mm[:ss]`"))
    }
}

/// Where the organisation's zone may come from, in order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Zones<'a> {
    /// `--tz`.
    pub flag: Option<&'a str>,
    /// The profile's `timezone`, and the profile's name.
    pub profile: Option<(&'a str, &'a str)>,
    /// The `TZ` environment variable.
    pub env: Option<&'a str>,
}

impl At {
    /// The local date-time this names, `now` read on the clock in the zone `zones`
    /// find (`--tz`, the profile, `TZ`, the machine's own zone).
    pub fn resolve(self, zones: Zones<'_>) -> Result<LocalDateTime, Failure> {
        match self {
            At::Local(t) => Ok(t),
            At::Now => {
                let zone = zones.zone()?;
                let now = Utc::now().with_timezone(&zone).naive_local();
                Ok(LocalDateTime(now.with_nanosecond(0).unwrap_or(now)))
            }
        }
    }
}

impl Zones<'_> {
    /// The first zone given, which must be an IANA name.
    fn zone(&self) -> Result<Tz, Failure> {
        let named = |name: &str, source: &str| {
            name.trim().parse::<Tz>().map_err(|_| {
                Failure::usage(format!(
                    "{source} `{name}` is not an IANA time zone name (such as America/Phoenix)"
                ))
            })
        };
        if let Some(name) = self.flag {
            return named(name, "--tz");
        }
        if let Some((name, profile)) = self.profile {
            return named(name, &format!("the timezone of profile `{profile}`"));
        }
        if let Some(tz) = self.env.filter(|tz| !tz.is_empty()) {
            // `TZ=:Europe/Paris` and `TZ=/usr/share/zoneinfo/Europe/Paris` name a zone too.
            let name = tz.trim_start_matches(':');
            let name = name.rsplit_once("zoneinfo/").map_or(name, |(_, n)| n);
            return named(name, "TZ");
        }
        let machine = iana_time_zone::get_timezone().map_err(|e| {
            Failure::usage(format!(
                "`--at now` needs the organisation's time zone and this machine's is unknown \
                 ({e}): pass --tz ZONE or store one with `crewsense auth login --timezone ZONE`"
            ))
        })?;
        named(&machine, "this machine's time zone")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(zones: Zones<'_>) -> Result<Tz, String> {
        zones.zone().map_err(|e| e.to_string())
    }

    #[test]
    fn at_reads_now_and_times_with_or_without_seconds() {
        let at = |s: &str| s.parse::<At>();
        assert_eq!(at(" NOW "), Ok(At::Now));
        let local = |s: &str| At::Local(s.parse().unwrap());
        assert_eq!(at("2025-06-03 07:30"), Ok(local("2025-06-03 07:30:00")));
        assert_eq!(at("2025-06-03T07:30:15"), Ok(local("2025-06-03 07:30:15")));
        assert!(at("2025-06-03").is_err());
        assert!(at("2025-06-31 07:30").is_err());
    }

    #[test]
    fn the_flag_wins_over_the_profile_and_the_profile_over_tz() {
        let all = Zones {
            flag: Some("America/Phoenix"),
            profile: Some(("Europe/Paris", "station1")),
            env: Some("Asia/Tokyo"),
        };
        assert_eq!(zone(all), Ok(Tz::America__Phoenix));
        let no_flag = Zones { flag: None, ..all };
        assert_eq!(zone(no_flag), Ok(Tz::Europe__Paris));
        let env_only = Zones {
            profile: None,
            ..no_flag
        };
        assert_eq!(zone(env_only), Ok(Tz::Asia__Tokyo));
    }

    #[test]
    fn tz_may_name_a_zone_file_and_a_bad_name_is_a_usage_error_naming_its_source() {
        let env = |tz| Zones {
            env: Some(tz),
            ..Zones::default()
        };
        assert_eq!(
            zone(env(":/usr/share/zoneinfo/Europe/Paris")),
            Ok(Tz::Europe__Paris)
        );
        let bad = zones_error(Zones {
            profile: Some(("Mars/Olympus", "station1")),
            ..Zones::default()
        });
        assert!(
            bad.contains("profile `station1`") && bad.contains("Mars/Olympus"),
            "{bad}"
        );
        assert!(zones_error(env("EST-5-nonsense")).starts_with("TZ "));
    }

    fn zones_error(zones: Zones<'_>) -> String {
        match zones.zone() {
            Err(failure) => {
                assert_eq!(failure.exit_code(), 2);
                failure.to_string()
            }
            Ok(zone) => panic!("{zone} accepted"),
        }
    }
}
