//! Adding up hours per person and work period, day by day, handing out each period
//! as soon as no later day can change it.

use std::collections::BTreeMap;

use chrono::TimeDelta;

use crewsense_gen::types::ScheduleDay;

use super::period::WorkPeriod;
use crate::duty::{self, Person, Span};
use crate::ids::UserId;
use crate::time::{Date, DateRange, LocalDateTime};
use crate::wire::Id;

/// The hours of one work period.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PeriodHours {
    /// The whole work period.
    pub period: DateRange,
    /// The days of the period inside the range asked for: those whose hours count.
    pub counted: DateRange,
    /// Whether the range cuts the period (`counted` is shorter than `period`), so
    /// that its overtime is not computed.
    pub partial: bool,
    /// The people with a shift in `counted`, by user id.
    pub people: Vec<PersonHours>,
}

/// One person's hours in one work period.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PersonHours {
    /// The person.
    pub user: UserId,
    /// Their name as the schedule shows it.
    pub name: Option<String>,
    /// Time worked: the shifts' time inside the counted days, breaks left out.
    pub hours: f64,
    /// Hours above the period's threshold (0 when at or below it); `None` for a
    /// partial period.
    pub over_threshold: Option<f64>,
    /// Time off inside the counted days, per time off type (not time worked).
    pub time_off: Vec<TimeOffHours>,
}

impl PersonHours {
    /// The time off of every type, in hours.
    pub fn time_off_hours(&self) -> f64 {
        // Not `sum()`: an empty f64 sum is -0.
        self.time_off.iter().fold(0.0, |total, t| total + t.hours)
    }
}

/// Time off of one type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TimeOffHours {
    /// The time off type's id, as the schedule sent it.
    pub type_id: Option<Id>,
    /// The time off type's name, as the schedule sent it.
    pub name: Option<String>,
    /// Hours of it, breaks left out.
    pub hours: f64,
}

/// Hours per person and work period over a range, from the schedule's days as they
/// come: a pure fold that [`Client::hours`](crate::Client::hours) feeds from the
/// paging stream, usable on any decoded schedule.
///
/// Feed the days in date order, starting with the day before the range (a shift
/// that starts there reaches into it). A shift is listed on a day on or before the
/// one it starts (production lists the 00:00 to 08:00 end of a 24-hour assignment
/// on the day the assignment starts), so once day `d` comes, every period that ends
/// by `d` is complete and is handed out; the rest come out of
/// [`finish`](Self::finish). Only the periods not yet handed out are held.
///
/// Each shift counts `overlap(shift, window) - overlap(break, window)` in each
/// window: the part of a period inside the range. A shift across a period boundary
/// is split there; its break counts nowhere.
///
/// ```
/// use crewsense::hours::{Preset, Tally};
/// use crewsense::time::{Date, DateRange};
/// use crewsense::types::ScheduleDay;
///
/// let june: DateRange = DateRange::month(2025, 6).unwrap();
/// let mut tally = Tally::new(june, Preset::Fire7Days.anchored(june.start()));
/// for date in june.dates() {
///     let handed_out = tally.add_day(date, &ScheduleDay::default());
///     assert!(handed_out.iter().all(|p| p.people.is_empty()));
/// }
/// assert_eq!(tally.finish().len(), 1); // June 29 to July 6, cut by the range
/// ```
#[derive(Debug)]
pub struct Tally {
    period: WorkPeriod,
    range: DateRange,
    /// The range in local time; `None` for an empty range.
    window: Option<Span>,
    /// The periods not handed out yet, by index, with their totals so far.
    open: BTreeMap<i64, BTreeMap<UserId, Totals>>,
    /// The next period to hand out.
    next: i64,
    /// The last period of the range; `None` for an empty range.
    last: Option<i64>,
}

/// The time off type of a time off entry: its id and name, as sent.
type OffType = (Option<Id>, Option<String>);

/// One person's totals in one period, in seconds.
#[derive(Debug, Default)]
struct Totals {
    name: Option<String>,
    worked: i64,
    has_shift: bool,
    time_off: BTreeMap<OffType, i64>,
}

/// The local time at the start of `date`.
fn midnight(date: Date) -> LocalDateTime {
    LocalDateTime::start_of(date)
}

/// Seconds as hours.
fn hours(seconds: i64) -> f64 {
    seconds as f64 / 3600.0
}

impl Tally {
    /// A tally of `range` in the periods of `period`.
    pub fn new(range: DateRange, period: WorkPeriod) -> Self {
        let indices = period.indices(range);
        Self {
            period,
            range,
            window: Span::new(midnight(range.start()), midnight(range.end())),
            open: BTreeMap::new(),
            next: indices.as_ref().map_or(0, |i| *i.start()),
            last: indices.map(|i| *i.end()),
        }
    }

    /// Counts the shifts and time off listed on `date`; returns the periods that
    /// ended by `date`, complete, in order.
    pub fn add_day(&mut self, date: Date, day: &ScheduleDay) -> Vec<PeriodHours> {
        let done = self.hand_out(Some(date));
        for shift in duty::day_shifts(date, day) {
            self.add(shift.user(), shift.span, shift.break_span, None);
        }
        for entry in duty::day_time_off(date, day) {
            let kind = entry.entry.time_off_type.as_ref();
            let off = (kind.and_then(|k| k.id), kind.and_then(|k| k.name.clone()));
            self.add(entry.user(), entry.span, entry.break_span, Some(&off));
        }
        done
    }

    /// The periods not handed out yet, in order: call it after the last day.
    pub fn finish(mut self) -> Vec<PeriodHours> {
        self.hand_out(None)
    }

    /// Adds `person`'s entry of `span` (its break `rest` left out) to every period it
    /// reaches into: as time worked, or as time off of type `off`.
    fn add(&mut self, person: Person, span: Span, rest: Option<Span>, off: Option<&OffType>) {
        let Some(user) = person.user_id.map(UserId::from) else {
            tracing::warn!(start = %span.start(), "an entry without a person is left out of the hours");
            return;
        };
        let Some(inside) = self.window.and_then(|w| span.intersection(&w)) else {
            return;
        };
        let mut index = self.period.index_of(inside.start().date());
        while let Some(part) = self.period.nth(index).and_then(|p| {
            let period = Span::new(midnight(p.start()), midnight(p.end()))?;
            inside.intersection(&period)
        }) {
            if index < self.next {
                tracing::warn!(
                    %user,
                    start = %span.start(),
                    "an entry listed after its work period was complete is left out of that period"
                );
            } else {
                let rest = rest.and_then(|r| r.intersection(&part));
                let seconds = (part.duration() - rest.map_or(TimeDelta::zero(), |r| r.duration()))
                    .num_seconds();
                let totals = self.open.entry(index).or_default().entry(user).or_default();
                if totals.name.is_none() {
                    totals.name = person.name.clone();
                }
                match off {
                    None => {
                        totals.worked = totals.worked.saturating_add(seconds);
                        totals.has_shift = true;
                    }
                    Some(kind) => {
                        let off = totals.time_off.entry(kind.clone()).or_default();
                        *off = off.saturating_add(seconds);
                    }
                }
            }
            let Some(following) = index.checked_add(1) else {
                return;
            };
            index = following;
        }
    }

    /// Hands out the periods that end by `date` (all of them for `None`).
    fn hand_out(&mut self, date: Option<Date>) -> Vec<PeriodHours> {
        let mut done = Vec::new();
        while self.last.is_some_and(|last| self.next <= last) {
            let period = self.period.nth(self.next);
            if matches!((date, period), (Some(date), Some(p)) if p.end() > date) {
                break;
            }
            let people = self.open.remove(&self.next).unwrap_or_default();
            done.extend(period.map(|p| self.period_hours(p, people)));
            self.next += 1;
        }
        done
    }

    /// The hours of `period`, from its people's totals.
    fn period_hours(&self, period: DateRange, people: BTreeMap<UserId, Totals>) -> PeriodHours {
        let counted = DateRange::new(
            period.start().max(self.range.start()),
            period.end().min(self.range.end()),
        );
        let partial = counted != period;
        let threshold = self.period.threshold_hours();
        let people = people
            .into_iter()
            .filter(|(_, totals)| totals.has_shift)
            .map(|(user, totals)| {
                let worked = hours(totals.worked);
                PersonHours {
                    user,
                    name: totals.name,
                    hours: worked,
                    over_threshold: (!partial).then(|| (worked - threshold).max(0.0)),
                    time_off: totals
                        .time_off
                        .into_iter()
                        .map(|((type_id, name), seconds)| TimeOffHours {
                            type_id,
                            name,
                            hours: hours(seconds),
                        })
                        .collect(),
                }
            })
            .collect();
        PeriodHours {
            period,
            counted,
            partial,
            people,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::Preset;
    use crewsense_gen::types::{
        ScheduleAssignment, ScheduleShift, ScheduleTimeOff, ScheduleTimeOffType, ScheduleUser,
    };

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn at(s: &str) -> Option<LocalDateTime> {
        Some(s.parse().unwrap())
    }

    fn person(id: u64) -> Option<ScheduleUser> {
        Some(ScheduleUser {
            id: Some(Id(id)),
            name: Some(format!("User {id}")),
            ..Default::default()
        })
    }

    fn shift(user: u64, start: &str, end: &str) -> ScheduleShift {
        ScheduleShift {
            user: person(user),
            start: at(start),
            end: at(end),
            ..Default::default()
        }
    }

    fn with_break(shift: ScheduleShift, start: &str, end: &str) -> ScheduleShift {
        ScheduleShift {
            break_start: at(start),
            break_end: at(end),
            ..shift
        }
    }

    fn time_off(user: u64, kind: &str, start: &str, end: &str) -> ScheduleTimeOff {
        ScheduleTimeOff {
            user: person(user),
            start: at(start),
            end: at(end),
            time_off_type: Some(ScheduleTimeOffType {
                id: Some(Id(kind.len() as u64)),
                name: Some(kind.to_owned()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn day(shifts: Vec<ScheduleShift>, time_off: Vec<ScheduleTimeOff>) -> ScheduleDay {
        ScheduleDay {
            assignments: Some(vec![ScheduleAssignment {
                shifts: Some(shifts),
                ..Default::default()
            }]),
            time_off: Some(time_off),
            ..Default::default()
        }
    }

    /// Every period of `range`, from `days` fed in order.
    fn tally(
        range: (&str, &str),
        period: WorkPeriod,
        days: Vec<(&str, ScheduleDay)>,
    ) -> Vec<PeriodHours> {
        let mut tally = Tally::new(DateRange::new(date(range.0), date(range.1)), period);
        let mut periods = Vec::new();
        for (d, schedule) in days {
            periods.extend(tally.add_day(date(d), &schedule));
        }
        periods.extend(tally.finish());
        periods
    }

    /// The hours of `user` in the period that starts on `start`, if they are in it.
    fn hours_of(periods: &[PeriodHours], start: &str, user: u64) -> Option<f64> {
        let period = periods.iter().find(|p| p.period.start() == date(start))?;
        let person = period.people.iter().find(|p| p.user == UserId::new(user))?;
        Some(person.hours)
    }

    fn weeks() -> WorkPeriod {
        Preset::Fire7Days.anchored(date("2025-06-02"))
    }

    #[test]
    fn a_24_hour_shift_across_a_period_boundary_counts_on_each_side_for_its_part() {
        let across = shift(1, "2025-06-08 08:00:00", "2025-06-09 08:00:00");
        let periods = tally(
            ("2025-06-02", "2025-06-16"),
            weeks(),
            vec![("2025-06-08", day(vec![across], vec![]))],
        );
        assert_eq!(periods.len(), 2);
        assert_eq!(hours_of(&periods, "2025-06-02", 1), Some(16.0));
        assert_eq!(hours_of(&periods, "2025-06-09", 1), Some(8.0));
        assert!(periods.iter().all(|p| !p.partial));
    }

    #[test]
    fn a_break_across_the_boundary_counts_on_neither_side() {
        let night = with_break(
            shift(1, "2025-06-08 20:00:00", "2025-06-09 08:00:00"),
            "2025-06-08 23:00:00",
            "2025-06-09 01:00:00",
        );
        let periods = tally(
            ("2025-06-02", "2025-06-16"),
            weeks(),
            vec![("2025-06-08", day(vec![night], vec![]))],
        );
        assert_eq!(hours_of(&periods, "2025-06-02", 1), Some(3.0));
        assert_eq!(hours_of(&periods, "2025-06-09", 1), Some(7.0));
    }

    #[test]
    fn a_shift_that_ends_exactly_at_the_boundary_is_not_in_the_next_period() {
        let evening = shift(1, "2025-06-08 16:00:00", "2025-06-09 00:00:00");
        let periods = tally(
            ("2025-06-02", "2025-06-16"),
            weeks(),
            vec![("2025-06-08", day(vec![evening], vec![]))],
        );
        assert_eq!(hours_of(&periods, "2025-06-02", 1), Some(8.0));
        assert_eq!(hours_of(&periods, "2025-06-09", 1), None);
        assert!(periods[1].people.is_empty());
    }

    #[test]
    fn a_range_that_cuts_a_period_marks_it_partial_and_counts_only_its_days() {
        let month = Preset::Fire28Days.anchored(date("2025-05-25"));
        let days = vec![
            // The day before the range: its 24-hour shift reaches 8 hours in.
            (
                "2025-05-31",
                day(
                    vec![shift(1, "2025-05-31 08:00:00", "2025-06-01 08:00:00")],
                    vec![],
                ),
            ),
            (
                "2025-06-14",
                day(
                    vec![
                        shift(1, "2025-06-14 08:00:00", "2025-06-15 08:00:00"),
                        shift(2, "2025-06-15 00:00:00", "2025-06-15 08:00:00"),
                    ],
                    vec![],
                ),
            ),
        ];
        let periods = tally(("2025-06-01", "2025-06-15"), month, days);
        assert_eq!(periods.len(), 1);
        let cut = &periods[0];
        assert!(cut.partial);
        assert_eq!(
            (cut.period.start(), cut.period.end()),
            (date("2025-05-25"), date("2025-06-22"))
        );
        assert_eq!(
            (cut.counted.start(), cut.counted.end()),
            (date("2025-06-01"), date("2025-06-15"))
        );
        assert_eq!(hours_of(&periods, "2025-05-25", 1), Some(8.0 + 16.0));
        assert_eq!(cut.people[0].over_threshold, None);
        assert_eq!(cut.people.len(), 1, "user 2 works only after the range");
    }

    #[test]
    fn a_custom_anchor_places_the_periods_and_overtime_is_what_exceeds_the_threshold() {
        let fortnight = WorkPeriod::new(14, date("2025-06-05"), 80.0).unwrap();
        let days: Vec<(String, ScheduleDay)> = (4..=19)
            .map(|d| {
                let start = format!("2025-06-{d:02} 20:00:00");
                let end = format!("2025-06-{:02} 06:00:00", d + 1);
                (
                    format!("2025-06-{d:02}"),
                    day(vec![shift(1, &start, &end)], vec![]),
                )
            })
            .collect();
        let days = days.iter().map(|(d, s)| (d.as_str(), s.clone())).collect();
        let periods = tally(("2025-06-01", "2025-07-01"), fortnight, days);
        let starts: Vec<_> = periods
            .iter()
            .map(|p| (p.period.start(), p.partial))
            .collect();
        assert_eq!(
            starts,
            [
                (date("2025-05-22"), true),
                (date("2025-06-05"), false),
                (date("2025-06-19"), true),
            ]
        );
        // June 4 20:00 to 24:00, then 14 nights from June 4 to June 18, split at the
        // anchor and at June 19.
        assert_eq!(hours_of(&periods, "2025-05-22", 1), Some(4.0));
        let full = &periods[1].people[0];
        assert_eq!(full.hours, 6.0 + 13.0 * 10.0 + 4.0);
        assert_eq!(full.over_threshold, Some(full.hours - 80.0));
        assert_eq!(hours_of(&periods, "2025-06-19", 1), Some(6.0 + 10.0));
    }

    #[test]
    fn at_or_below_the_threshold_there_is_no_overtime() {
        let periods = tally(
            ("2025-06-02", "2025-06-09"),
            Preset::FortyHourWeek.anchored(date("2025-06-02")),
            vec![(
                "2025-06-02",
                day(
                    vec![shift(1, "2025-06-02 00:00:00", "2025-06-03 16:00:00")],
                    vec![],
                ),
            )],
        );
        assert_eq!(periods[0].people[0].hours, 40.0);
        assert_eq!(periods[0].people[0].over_threshold, Some(0.0));
        // Printed as 0, not -0.
        assert_eq!(periods[0].people[0].time_off_hours().to_string(), "0");
    }

    #[test]
    fn time_off_is_counted_per_type_apart_from_time_worked_and_alone_lists_nobody() {
        let both = day(
            vec![shift(1, "2025-06-03 08:00:00", "2025-06-03 18:00:00")],
            vec![
                time_off(1, "Vacation", "2025-06-04 08:00:00", "2025-06-05 08:00:00"),
                time_off(2, "Sick", "2025-06-03 08:00:00", "2025-06-04 08:00:00"),
            ],
        );
        let more = day(
            vec![],
            vec![time_off(
                1,
                "Sick",
                "2025-06-05 08:00:00",
                "2025-06-05 12:00:00",
            )],
        );
        let periods = tally(
            ("2025-06-02", "2025-06-09"),
            weeks(),
            vec![("2025-06-03", both), ("2025-06-05", more)],
        );
        let people = &periods[0].people;
        assert_eq!(people.len(), 1, "user 2 has only time off");
        let one = &people[0];
        assert_eq!(one.hours, 10.0);
        let off: Vec<_> = one
            .time_off
            .iter()
            .map(|t| (t.name.as_deref().unwrap(), t.hours))
            .collect();
        assert_eq!(off, [("Sick", 4.0), ("Vacation", 24.0)]);
        assert_eq!(one.time_off_hours(), 28.0);
    }

    #[test]
    fn an_unreadable_shift_is_left_out_and_an_unreadable_break_ignored() {
        let no_end = ScheduleShift {
            end: None,
            ..shift(1, "2025-06-03 08:00:00", "2025-06-03 18:00:00")
        };
        let backwards = shift(1, "2025-06-04 18:00:00", "2025-06-04 08:00:00");
        let half_break = ScheduleShift {
            break_start: at("2025-06-05 12:00:00"),
            ..shift(1, "2025-06-05 08:00:00", "2025-06-05 18:00:00")
        };
        let outside_break = with_break(
            shift(1, "2025-06-06 08:00:00", "2025-06-06 10:00:00"),
            "2025-06-07 12:00:00",
            "2025-06-07 13:00:00",
        );
        let nobody = ScheduleShift {
            user: None,
            ..shift(1, "2025-06-06 08:00:00", "2025-06-06 18:00:00")
        };
        let periods = tally(
            ("2025-06-02", "2025-06-09"),
            weeks(),
            vec![(
                "2025-06-03",
                day(
                    vec![no_end, backwards, half_break, outside_break, nobody],
                    vec![],
                ),
            )],
        );
        assert_eq!(hours_of(&periods, "2025-06-02", 1), Some(10.0 + 2.0));
    }

    #[test]
    fn an_entry_listed_after_its_period_was_handed_out_is_not_counted_twice() {
        let mut tally = Tally::new(
            DateRange::new(date("2025-06-02"), date("2025-06-16")),
            weeks(),
        );
        assert!(
            tally
                .add_day(date("2025-06-08"), &ScheduleDay::default())
                .is_empty()
        );
        let first = tally.add_day(date("2025-06-09"), &ScheduleDay::default());
        assert_eq!(first.len(), 1);
        // A server that lists a shift of June 8 on a later day.
        let late = day(
            vec![shift(1, "2025-06-08 20:00:00", "2025-06-09 04:00:00")],
            vec![],
        );
        assert!(tally.add_day(date("2025-06-10"), &late).is_empty());
        let second = tally.finish();
        assert_eq!(hours_of(&second, "2025-06-09", 1), Some(4.0));
    }

    #[test]
    fn an_empty_range_has_no_period() {
        let none = tally(("2025-06-02", "2025-06-02"), weeks(), vec![]);
        assert!(none.is_empty());
    }
}
