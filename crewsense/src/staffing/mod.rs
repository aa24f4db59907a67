//! Staffing against the minimums: at an instant, and the short intervals of a range.
//!
//! An assignment's occurrence has a period, a `minimum_staffing` (a head count) and
//! `qualifiers_needed`, each with its own `minimum_staffing`: those are its *seats*.
//! A person fills one seat, not one per qualifier they hold: a captain who is also
//! an engineer staffs the captain's seat or the engineer's, never both. So the seats
//! left empty are the seats less a maximum matching of the people on duty to the
//! seats their shift's qualifiers allow (matched by qualifier id). That number is
//! the same for every maximum matching; which seats stay empty is not, and the seats
//! shown are one matching that reaches it, each person placed by the first of their
//! shift's qualifiers that leads to it.
//!
//! An occurrence is **short** when fewer people are on duty than its minimum, or
//! when a seat stays empty. On duty means on a shift of the same assignment (by id,
//! whichever day lists the shift) that covers the instant, as in [`crate::roster`].
//!
//! ```
//! use crewsense::staffing::staffing_at;
//! use crewsense::types::ScheduleDay;
//! use crewsense::wire::DateMap;
//!
//! // An engine needs a captain and an engineer. Two people are on it, a captain
//! // who is also an engineer and a firefighter: two heads, both qualifiers held,
//! // and still one seat empty.
//! let schedule: DateMap<ScheduleDay> = serde_json::from_str(r#"{"2025-06-02": {"assignments": [
//!   {"id": 64291, "name": "E1", "minimum_staffing": 2,
//!    "start": "2025-06-02 08:00:00", "end": "2025-06-03 08:00:00",
//!    "qualifiers_needed": [{"id": 9869, "shortcode": "CPT", "minimum_staffing": 1},
//!                          {"id": 9870, "shortcode": "ENG", "minimum_staffing": 1}],
//!    "shifts": [
//!      {"user": {"id": 1001}, "start": "2025-06-02 08:00:00", "end": "2025-06-03 08:00:00",
//!       "qualifiers": [{"id": 9869, "shortcode": "CPT"}, {"id": 9870, "shortcode": "ENG"}]},
//!      {"user": {"id": 1002}, "start": "2025-06-02 08:00:00", "end": "2025-06-03 08:00:00",
//!       "qualifiers": [{"id": 9871, "shortcode": "FF"}]}]}]}}"#).unwrap();
//! let e1 = &staffing_at(&schedule, "2025-06-02 20:00:00".parse().unwrap())[0];
//! assert_eq!((e1.on_duty.len(), e1.seat_count(), e1.unfilled_seats), (2, 2, 1));
//! assert!(e1.short);
//! assert_eq!(e1.shortfall().to_string(), "unfilled: ENG");
//! ```

mod seats;

use std::collections::HashMap;
use std::fmt;

use crewsense_gen::types::{ScheduleAssignment, ScheduleDay};
use crewsense_gen::wire::{DateMap, Id};
use serde::Serialize;

use crate::duty::{self, AssignmentKey, AssignmentRef, Person, QualifierRef, ShiftSpan, Span};
use crate::time::{Date, DateRange, LocalDateTime};

/// How one assignment occurrence is staffed at an instant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Staffing {
    /// The occurrence whose period covers the instant.
    pub assignment: AssignmentRef,
    /// Its head count minimum (`minimum_staffing`; 0 when not set).
    pub minimum: u64,
    /// The people on duty on it, each once.
    pub on_duty: Vec<Person>,
    /// Its seats, one group per qualifier needed, with who fills them in one maximum
    /// matching.
    pub seats: Vec<SeatGroup>,
    /// The seats no assignment of the people on duty can fill.
    pub unfilled_seats: u64,
    /// Whether fewer people are on duty than the minimum, or a seat stays empty.
    pub short: bool,
}

/// The seats of one qualifier on an assignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SeatGroup {
    /// The qualifier.
    pub qualifier: QualifierRef,
    /// How many seats need it (its `minimum_staffing`).
    pub needed: u64,
    /// Who sits in them.
    pub filled_by: Vec<Person>,
}

impl SeatGroup {
    /// How many of the seats stay empty.
    pub fn unfilled(&self) -> u64 {
        self.needed.saturating_sub(self.filled_by.len() as u64)
    }
}

/// What an occurrence lacks: people below its minimum, and the seats left empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Shortfall {
    /// How many more people the head count minimum needs.
    pub people: u64,
    /// The empty seats, by qualifier, in the order the assignment needs them.
    pub seats: Vec<EmptySeats>,
}

/// Seats of one qualifier left empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EmptySeats {
    /// The qualifier.
    pub qualifier: QualifierRef,
    /// How many of its seats are empty.
    pub count: u64,
}

impl Shortfall {
    /// Whether nothing is lacking.
    pub fn is_empty(&self) -> bool {
        self.people == 0 && self.seats.is_empty()
    }
}

/// In words: `1 person below minimum; unfilled: ENG, 2 FF`.
impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.people {
            0 => {}
            1 => f.write_str("1 person below minimum")?,
            n => write!(f, "{n} people below minimum")?,
        }
        if !self.seats.is_empty() {
            if self.people > 0 {
                f.write_str("; ")?;
            }
            f.write_str("unfilled: ")?;
            for (i, empty) in self.seats.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                match empty.count {
                    1 => f.write_str(&empty.qualifier.label())?,
                    n => write!(f, "{n} {}", empty.qualifier.label())?,
                }
            }
        }
        Ok(())
    }
}

impl Staffing {
    /// How many seats the occurrence has: the sum of its qualifiers' minimums.
    pub fn seat_count(&self) -> u64 {
        self.seats
            .iter()
            .fold(0u64, |sum, g| sum.saturating_add(g.needed))
    }

    /// What it lacks.
    pub fn shortfall(&self) -> Shortfall {
        Shortfall {
            people: self.minimum.saturating_sub(self.on_duty.len() as u64),
            seats: self
                .seats
                .iter()
                .filter(|g| g.unfilled() > 0)
                .map(|g| EmptySeats {
                    qualifier: g.qualifier.clone(),
                    count: g.unfilled(),
                })
                .collect(),
        }
    }
}

/// A stretch of an occurrence's period in which it is short, for one reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ShortInterval {
    /// The occurrence.
    pub assignment: AssignmentRef,
    /// The first instant of the stretch.
    pub from: LocalDateTime,
    /// The first instant after it.
    pub to: LocalDateTime,
    /// The head count minimum.
    pub minimum: u64,
    /// How many people are on duty throughout the stretch.
    pub on_duty: u64,
    /// The seats no assignment of them can fill.
    pub unfilled_seats: u64,
    /// What is lacking.
    pub missing: Shortfall,
}

/// How every occurrence whose period covers `at` is staffed, in the schedule's order
/// (earlier days first).
pub fn staffing_at(schedule: &DateMap<ScheduleDay>, at: LocalDateTime) -> Vec<Staffing> {
    let mut on: HashMap<AssignmentKey, Vec<ShiftSpan<'_>>> = HashMap::new();
    for shift in duty::shifts_at(schedule, at) {
        on.entry(AssignmentKey::of(shift.assignment))
            .or_default()
            .push(shift);
    }
    occurrences(
        schedule,
        |_| true,
        |a| a.start <= Some(at) && Some(at) < a.end,
    )
    .filter(|(_, _, period)| period.contains(at))
    .map(|(date, assignment, _)| {
        let shifts = on.get(&AssignmentKey::of(assignment));
        let needed = requirements(date, assignment);
        staff(date, assignment, &needed, shifts.into_iter().flatten())
    })
    .collect()
}

/// The stretches in which the occurrences listed on the days of `days` are short, by
/// sweeping their shifts' starts and ends across each period; adjacent stretches
/// short for the same reason are one. Each occurrence's whole period counts, also
/// where it reaches past `days`; `schedule` should hold the days around `days` too,
/// so that shifts listed under a neighbouring day are seen.
pub fn short_intervals(schedule: &DateMap<ScheduleDay>, days: DateRange) -> Vec<ShortInterval> {
    let mut by_assignment: HashMap<AssignmentKey, Vec<ShiftSpan<'_>>> = HashMap::new();
    for shift in duty::shifts(schedule) {
        by_assignment
            .entry(AssignmentKey::of(shift.assignment))
            .or_default()
            .push(shift);
    }
    let mut short: Vec<ShortInterval> = Vec::new();
    for (date, assignment, period) in occurrences(schedule, |date| days.contains(date), |_| true) {
        let shifts: Vec<&ShiftSpan<'_>> = by_assignment
            .get(&AssignmentKey::of(assignment))
            .into_iter()
            .flatten()
            .filter(|s| s.span.intersection(&period).is_some())
            .collect();
        let mut cuts: Vec<LocalDateTime> = shifts
            .iter()
            .flat_map(|s| [s.span.start(), s.span.end()])
            .filter(|t| period.contains(*t))
            .chain([period.start(), period.end()])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let needed = requirements(date, assignment);
        for pair in cuts.windows(2) {
            let &[from, to] = pair else { continue };
            let here = shifts.iter().copied().filter(|s| s.span.contains(from));
            let staffing = staff(date, assignment, &needed, here);
            if !staffing.short {
                continue;
            }
            let interval = ShortInterval {
                minimum: staffing.minimum,
                on_duty: staffing.on_duty.len() as u64,
                unfilled_seats: staffing.unfilled_seats,
                missing: staffing.shortfall(),
                assignment: staffing.assignment,
                from,
                to,
            };
            match short.last_mut() {
                Some(last) if continues(last, &interval) => last.to = to,
                _ => short.push(interval),
            }
        }
    }
    short
}

/// Whether `next` goes on where `last` ends, short for the same reason.
fn continues(last: &ShortInterval, next: &ShortInterval) -> bool {
    last.to == next.from
        && last.assignment == next.assignment
        && (last.on_duty, last.unfilled_seats, &last.missing)
            == (next.on_duty, next.unfilled_seats, &next.missing)
}

/// Each occurrence listed on a day that `day` accepts and that `this` accepts, with
/// its period; those without one are left out (with a warning).
fn occurrences(
    schedule: &DateMap<ScheduleDay>,
    day: impl Fn(Date) -> bool,
    this: impl Fn(&ScheduleAssignment) -> bool + Copy,
) -> impl Iterator<Item = (Date, &ScheduleAssignment, Span)> {
    schedule
        .iter()
        .filter(move |(date, _)| day(**date))
        .flat_map(move |(date, day)| {
            day.assignments
                .iter()
                .flatten()
                .filter(move |a| this(a))
                .filter_map(|a| Some((*date, a, duty::period(*date, a)?)))
        })
}

/// How `assignment`'s occurrence of `date`, with the seats `needed`, is staffed by
/// the people of `shifts`.
fn staff<'s, 'a: 's>(
    date: Date,
    assignment: &ScheduleAssignment,
    needed: &[(QualifierRef, u64)],
    shifts: impl Iterator<Item = &'s ShiftSpan<'a>>,
) -> Staffing {
    let mut people: Vec<(Person, Vec<Id>)> = Vec::new();
    for shift in shifts {
        let person = shift.user();
        let held = shift.qualifiers().filter_map(|q| q.id);
        let same = people
            .iter_mut()
            .find(|(p, _)| p.user_id.is_some() && p.user_id == person.user_id);
        match same {
            Some((_, qualifiers)) => qualifiers.extend(held),
            None => people.push((person, held.collect())),
        }
    }
    let allowed: Vec<Vec<usize>> = people
        .iter()
        .map(|(_, held)| {
            let seats_held = held
                .iter()
                .filter_map(|id| needed.iter().position(|(q, _)| q.id == Some(*id)));
            let mut groups: Vec<usize> = Vec::new();
            for g in seats_held {
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
            groups
        })
        .collect();
    let capacity: Vec<u64> = needed.iter().map(|(_, n)| *n).collect();
    let seat_of = seats::assign(&capacity, &allowed);
    let seats: Vec<SeatGroup> = needed
        .iter()
        .enumerate()
        .map(|(g, (qualifier, needed))| SeatGroup {
            qualifier: qualifier.clone(),
            needed: *needed,
            filled_by: people
                .iter()
                .zip(&seat_of)
                .filter(|(_, seat)| **seat == Some(g))
                .map(|((p, _), _)| p.clone())
                .collect(),
        })
        .collect();
    let minimum = assignment
        .minimum_staffing
        .map_or(0, |m| u64::try_from(m.get()).unwrap_or(0));
    let unfilled_seats = seats
        .iter()
        .fold(0u64, |sum, g| sum.saturating_add(g.unfilled()));
    let on_duty: Vec<Person> = people.into_iter().map(|(p, _)| p).collect();
    Staffing {
        assignment: AssignmentRef::of(date, assignment),
        minimum,
        short: (on_duty.len() as u64) < minimum || unfilled_seats > 0,
        on_duty,
        seats,
        unfilled_seats,
    }
}

/// The seats of an occurrence: each qualifier it needs (the same one listed twice
/// counts once, with both minimums) and how many. A requirement without a qualifier
/// id cannot be matched to anyone and is left out with a warning.
fn requirements(date: Date, assignment: &ScheduleAssignment) -> Vec<(QualifierRef, u64)> {
    let mut needed: Vec<(QualifierRef, u64)> = Vec::new();
    for q in assignment.qualifiers_needed.iter().flatten() {
        let count = q
            .minimum_staffing
            .map_or(0, |m| u64::try_from(m.get()).unwrap_or(0));
        let Some(id) = q.id else {
            tracing::warn!(
                target: "crewsense::duty",
                date = %date,
                assignment = assignment.id.map(|id| id.get()),
                "a qualifier needed without an id is left out of the seats"
            );
            continue;
        };
        match needed.iter_mut().find(|(known, _)| known.id == Some(id)) {
            Some((_, seats)) => *seats = seats.saturating_add(count),
            None => needed.push((
                QualifierRef {
                    id: Some(id),
                    shortcode: q.shortcode.clone(),
                    name: q.name.clone(),
                },
                count,
            )),
        }
    }
    needed
}
