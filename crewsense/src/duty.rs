//! A schedule's shifts and time off as spans of local time: who works (or is away)
//! from when to when, the ground of every answer about time ([`crate::roster`],
//! [`crate::staffing`]).
//!
//! [`shifts`] and [`time_off`] walk a decoded schedule (`DateMap<ScheduleDay>`, which
//! reads the days whether the server sent them as a map keyed by date or as an
//! array) and yield each entry with its [`Span`] and its break, borrowing the rest
//! (user, assignment, work type, qualifiers) from the answer.
//!
//! Spans are half-open, `start <= t < end`, in the organisation's local time like the
//! API's date-times. An entry whose `start` or `end` is missing (an unreadable value
//! is left out when the answer is decoded) or whose end is not after its start cannot
//! be placed in time: it is skipped with a WARN event of target `crewsense::duty`,
//! and the rest of the schedule still counts. A break that is absent, incomplete or
//! empty is `None`.
//!
//! ```
//! use crewsense::duty;
//! use crewsense::types::ScheduleDay;
//! use crewsense::wire::DateMap;
//!
//! let schedule: DateMap<ScheduleDay> = serde_json::from_str(r#"{
//!   "2025-06-02": {"assignments": [{"id": 64291, "name": "E1",
//!     "start": "2025-06-02 08:00:00", "end": "2025-06-03 08:00:00",
//!     "shifts": [{"user": {"id": 1001, "name": "Noel Underwood"},
//!       "start": "2025-06-02 08:00:00", "end": "2025-06-03 08:00:00",
//!       "break_start": "2025-06-02 12:00:00", "break_end": "2025-06-02 13:00:00"}]}]}
//! }"#).unwrap();
//! let shift = duty::shifts(&schedule).next().unwrap();
//! assert_eq!(shift.user().name.as_deref(), Some("Noel Underwood"));
//! assert_eq!(shift.span.duration().num_hours(), 24);
//! assert_eq!(shift.worked().num_hours(), 23);
//! assert!(shift.span.contains("2025-06-03 07:30:00".parse().unwrap()));
//! ```

use chrono::TimeDelta;
use crewsense_gen::types::{
    ScheduleAssignment, ScheduleDay, ScheduleQualifier, ScheduleShift, ScheduleTimeOff,
    ScheduleUser, ScheduleWorkType,
};
use crewsense_gen::wire::{DateMap, Id};
use serde::Serialize;

use crate::time::{Date, LocalDateTime};

/// A non-empty, half-open span of local time: from [`start`](Self::start) up to, not
/// including, [`end`](Self::end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    start: LocalDateTime,
    end: LocalDateTime,
}

impl Span {
    /// The span from `start` to `end`, or `None` if `end` is not after `start`.
    pub fn new(start: LocalDateTime, end: LocalDateTime) -> Option<Self> {
        (start < end).then_some(Self { start, end })
    }

    /// The first instant of the span.
    pub fn start(&self) -> LocalDateTime {
        self.start
    }

    /// The first instant after the span.
    pub fn end(&self) -> LocalDateTime {
        self.end
    }

    /// Whether `t` is in the span: `start <= t < end`.
    pub fn contains(&self, t: LocalDateTime) -> bool {
        self.start <= t && t < self.end
    }

    /// The part of the span that is also in `other`, if any.
    pub fn intersection(&self, other: &Span) -> Option<Span> {
        Span::new(self.start.max(other.start), self.end.min(other.end))
    }

    /// How long the span lasts, as wall-clock time.
    pub fn duration(&self) -> TimeDelta {
        self.end.get() - self.start.get()
    }

    /// The span of `start` and `end` if both were read and make a span.
    fn of(start: Option<LocalDateTime>, end: Option<LocalDateTime>) -> Option<Self> {
        Span::new(start?, end?)
    }
}

/// One shift of a schedule, placed in time.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct ShiftSpan<'a> {
    /// The schedule day the shift is listed under.
    pub date: Date,
    /// The assignment occurrence the shift is listed under.
    pub assignment: &'a ScheduleAssignment,
    /// The shift as the answer sent it.
    pub shift: &'a ScheduleShift,
    /// From its start to its end, the break included.
    pub span: Span,
    /// Its break, if it has one.
    pub break_span: Option<Span>,
}

impl<'a> ShiftSpan<'a> {
    /// The person on the shift.
    pub fn user(&self) -> Person {
        Person::of(self.shift.user.as_ref())
    }

    /// The shift's qualifiers, in the answer's order.
    pub fn qualifiers(&self) -> impl Iterator<Item = &'a ScheduleQualifier> + use<'a> {
        self.shift.qualifiers.iter().flatten()
    }

    /// How long the shift is worked: its span less the part of the break inside it.
    pub fn worked(&self) -> TimeDelta {
        worked(self.span, self.break_span)
    }
}

/// One time-off entry of a schedule, placed in time.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct TimeOffSpan<'a> {
    /// The schedule day the entry is listed under.
    pub date: Date,
    /// The entry as the answer sent it.
    pub entry: &'a ScheduleTimeOff,
    /// From its start to its end, the break included.
    pub span: Span,
    /// Its break, if it has one.
    pub break_span: Option<Span>,
}

impl TimeOffSpan<'_> {
    /// The person away.
    pub fn user(&self) -> Person {
        Person::of(self.entry.user.as_ref())
    }

    /// How long the entry counts: its span less the part of the break inside it.
    pub fn worked(&self) -> TimeDelta {
        worked(self.span, self.break_span)
    }
}

fn worked(span: Span, break_span: Option<Span>) -> TimeDelta {
    let pause = break_span
        .and_then(|b| b.intersection(&span))
        .map_or(TimeDelta::zero(), |b| b.duration());
    span.duration() - pause
}

/// Every shift of `schedule` that can be placed in time, day by day in date order and
/// in the answer's order within a day.
pub fn shifts(schedule: &DateMap<ScheduleDay>) -> impl Iterator<Item = ShiftSpan<'_>> {
    shifts_where(schedule, |_, _| true)
}

/// The shifts of `schedule` that cover `at` (`start <= at < end`), in the order of
/// [`shifts`].
pub fn shifts_at(
    schedule: &DateMap<ScheduleDay>,
    at: LocalDateTime,
) -> impl Iterator<Item = ShiftSpan<'_>> {
    shifts_where(schedule, move |start, end| start <= at && at < end)
}

/// The shifts listed on one schedule day that can be placed in time, in the answer's
/// order: the same entries [`shifts`] yields for `date`, for a caller that holds the
/// days one at a time (a paging stream, [`crate::hours::Tally`]).
pub fn day_shifts(date: Date, day: &ScheduleDay) -> impl Iterator<Item = ShiftSpan<'_>> {
    day_shifts_where(date, day, |_, _| true)
}

/// The shifts whose start and end `keep` accepts, tested before anything is built:
/// an instant's roster reads a month of shifts in a few microseconds.
fn shifts_where(
    schedule: &DateMap<ScheduleDay>,
    keep: impl Fn(LocalDateTime, LocalDateTime) -> bool + Copy,
) -> impl Iterator<Item = ShiftSpan<'_>> {
    schedule
        .iter()
        .flat_map(move |(date, day)| day_shifts_where(*date, day, keep))
}

fn day_shifts_where(
    date: Date,
    day: &ScheduleDay,
    keep: impl Fn(LocalDateTime, LocalDateTime) -> bool + Copy,
) -> impl Iterator<Item = ShiftSpan<'_>> {
    day.assignments
        .iter()
        .flatten()
        .flat_map(move |assignment| {
            assignment.shifts.iter().flatten().filter_map(move |shift| {
                let span = kept(date, "shift", shift.id, (shift.start, shift.end), keep)?;
                Some(ShiftSpan {
                    date,
                    assignment,
                    shift,
                    span,
                    break_span: Span::of(shift.break_start, shift.break_end),
                })
            })
        })
}

/// Every time-off entry of `schedule` that can be placed in time, day by day in date
/// order.
pub fn time_off(schedule: &DateMap<ScheduleDay>) -> impl Iterator<Item = TimeOffSpan<'_>> {
    time_off_where(schedule, |_, _| true)
}

/// The time-off entries of `schedule` that cover `at`, in the order of [`time_off`].
pub fn time_off_at(
    schedule: &DateMap<ScheduleDay>,
    at: LocalDateTime,
) -> impl Iterator<Item = TimeOffSpan<'_>> {
    time_off_where(schedule, move |start, end| start <= at && at < end)
}

/// The time-off entries listed on one schedule day that can be placed in time: the
/// same entries [`time_off`] yields for `date`.
pub fn day_time_off(date: Date, day: &ScheduleDay) -> impl Iterator<Item = TimeOffSpan<'_>> {
    day_time_off_where(date, day, |_, _| true)
}

fn time_off_where(
    schedule: &DateMap<ScheduleDay>,
    keep: impl Fn(LocalDateTime, LocalDateTime) -> bool + Copy,
) -> impl Iterator<Item = TimeOffSpan<'_>> {
    schedule
        .iter()
        .flat_map(move |(date, day)| day_time_off_where(*date, day, keep))
}

fn day_time_off_where(
    date: Date,
    day: &ScheduleDay,
    keep: impl Fn(LocalDateTime, LocalDateTime) -> bool + Copy,
) -> impl Iterator<Item = TimeOffSpan<'_>> {
    day.time_off.iter().flatten().filter_map(move |entry| {
        let span = kept(date, "time off", entry.id, (entry.start, entry.end), keep)?;
        Some(TimeOffSpan {
            date,
            entry,
            span,
            break_span: Span::of(entry.break_start, entry.break_end),
        })
    })
}

/// What tells one assignment from another: its id, or for an occurrence without one,
/// the occurrence itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum AssignmentKey {
    Id(Id),
    Unnamed(*const ScheduleAssignment),
}

impl AssignmentKey {
    pub(crate) fn of(assignment: &ScheduleAssignment) -> Self {
        match assignment.id {
            Some(id) => Self::Id(id),
            None => Self::Unnamed(assignment),
        }
    }
}

/// The period of an assignment occurrence, or `None` (with a warning) if it has none.
pub(crate) fn period(date: Date, assignment: &ScheduleAssignment) -> Option<Span> {
    placed(
        date,
        "assignment",
        assignment.id,
        assignment.start,
        assignment.end,
    )
}

/// The span of an entry that `keep` accepts; an entry without both ends is left out
/// with a warning (one that `keep` refuses needs none: it is not asked for).
fn kept(
    date: Date,
    kind: &'static str,
    id: Option<Id>,
    (start, end): (Option<LocalDateTime>, Option<LocalDateTime>),
    keep: impl Fn(LocalDateTime, LocalDateTime) -> bool,
) -> Option<Span> {
    match (start, end) {
        (Some(s), Some(e)) if !keep(s, e) => None,
        _ => placed(date, kind, id, start, end),
    }
}

/// The span of an entry, or `None` with a warning when it cannot be placed in time.
fn placed(
    date: Date,
    kind: &'static str,
    id: Option<Id>,
    start: Option<LocalDateTime>,
    end: Option<LocalDateTime>,
) -> Option<Span> {
    let span = Span::of(start, end);
    if span.is_none() {
        tracing::warn!(
            target: "crewsense::duty",
            date = %date,
            kind,
            id = id.map(|id| id.get()),
            start = start.map(|t| t.to_string()),
            end = end.map(|t| t.to_string()),
            "a schedule entry without a readable start before its end is left out"
        );
    }
    span
}

/// A person as the schedule names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Person {
    /// The user id.
    pub user_id: Option<Id>,
    /// The name shown on the schedule.
    pub name: Option<String>,
    /// The organisation's own number for the person, when known (the schedule does
    /// not carry it; see [`Roster::fill_employee_ids`](crate::roster::Roster::fill_employee_ids)).
    pub employee_id: Option<String>,
}

impl Person {
    fn of(user: Option<&ScheduleUser>) -> Self {
        Self {
            user_id: user.and_then(|u| u.id),
            name: user.and_then(|u| u.name.clone()),
            employee_id: None,
        }
    }
}

/// An assignment occurrence: which unit, on which day, for which period.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct AssignmentRef {
    /// The assignment's id.
    pub id: Option<Id>,
    /// Its name (`E1`, `Fire Prevention`).
    pub name: Option<String>,
    /// The schedule day the occurrence is listed under.
    pub date: Date,
    /// The start of its period.
    pub start: Option<LocalDateTime>,
    /// The end of its period.
    pub end: Option<LocalDateTime>,
}

impl AssignmentRef {
    /// The occurrence of `assignment` listed under `date`.
    pub fn of(date: Date, assignment: &ScheduleAssignment) -> Self {
        Self {
            id: assignment.id,
            name: assignment.name.clone(),
            date,
            start: assignment.start,
            end: assignment.end,
        }
    }

    /// Its period, if both ends were read and make a span.
    pub fn period(&self) -> Option<Span> {
        Span::of(self.start, self.end)
    }
}

/// A qualifier (`CPT`, `ENG`), as a shift carries it or an assignment needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct QualifierRef {
    /// The qualifier's id.
    pub id: Option<Id>,
    /// Its short code.
    pub shortcode: Option<String>,
    /// Its name.
    pub name: Option<String>,
}

impl QualifierRef {
    /// The short code, else the name, else `#id`: how one word names it.
    pub fn label(&self) -> String {
        match (&self.shortcode, &self.name, self.id) {
            (Some(code), _, _) if !code.trim().is_empty() => code.trim().to_owned(),
            (_, Some(name), _) if !name.trim().is_empty() => name.trim().to_owned(),
            (_, _, Some(id)) => format!("#{id}"),
            _ => "?".to_owned(),
        }
    }
}

impl From<&ScheduleQualifier> for QualifierRef {
    fn from(q: &ScheduleQualifier) -> Self {
        Self {
            id: q.id,
            shortcode: q.shortcode.clone(),
            name: q.name.clone(),
        }
    }
}

/// A work type (`Regular Time`, `Overtime`) as a shift carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct WorkTypeRef {
    /// The work type's id.
    pub id: Option<Id>,
    /// Its name.
    pub name: Option<String>,
    /// Its payroll code (`REG`).
    pub work_code: Option<String>,
}

impl From<&ScheduleWorkType> for WorkTypeRef {
    fn from(w: &ScheduleWorkType) -> Self {
        Self {
            id: w.id,
            name: w.name.clone(),
            work_code: w.work_code.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> LocalDateTime {
        s.parse().unwrap()
    }

    fn schedule(json: &str) -> DateMap<ScheduleDay> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_span_holds_its_start_but_not_its_end() {
        let span = Span::new(at("2025-06-02 08:00:00"), at("2025-06-03 08:00:00")).unwrap();
        assert!(span.contains(at("2025-06-02 08:00:00")));
        assert!(span.contains(at("2025-06-03 07:59:59")));
        assert!(!span.contains(at("2025-06-03 08:00:00")));
        assert!(Span::new(span.end(), span.start()).is_none());
        assert!(Span::new(span.start(), span.start()).is_none());
    }

    #[test]
    fn shifts_without_a_readable_start_before_their_end_are_left_out() {
        let days = schedule(
            r#"{"2025-06-02": {"assignments": [{"id": 1, "shifts": [
                {"id": 1, "start": "2025-06-02 08:00:00", "end": "2025-06-02 16:00:00"},
                {"id": 2, "end": "2025-06-02 16:00:00"},
                {"id": 3, "start": "2025-06-02 16:00:00", "end": "2025-06-02 08:00:00"},
                {"id": 4, "start": "2025-06-02 08:00:00", "end": "2025-06-02 08:00:00"}
            ]}]}}"#,
        );
        let ids: Vec<_> = shifts(&days).filter_map(|s| s.shift.id).collect();
        assert_eq!(ids, [Id(1)]);
    }

    #[test]
    fn a_break_outside_its_shift_does_not_shorten_it_and_an_empty_break_is_none() {
        let days = schedule(
            r#"{"2025-06-02": {"time_off": [
                {"id": 1, "start": "2025-06-02 08:00:00", "end": "2025-06-02 16:00:00",
                 "break_start": "2025-06-02 15:30:00", "break_end": "2025-06-02 16:30:00"},
                {"id": 2, "start": "2025-06-02 08:00:00", "end": "2025-06-02 16:00:00",
                 "break_start": "2025-06-02 12:00:00", "break_end": "2025-06-02 12:00:00"}
            ]}}"#,
        );
        let entries: Vec<_> = time_off(&days).collect();
        assert_eq!(entries[0].worked(), TimeDelta::minutes(7 * 60 + 30));
        assert_eq!(entries[1].break_span, None);
        assert_eq!(entries[1].worked(), TimeDelta::hours(8));
    }
}
