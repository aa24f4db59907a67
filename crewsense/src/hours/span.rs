//! A schedule's shifts and time off as local-time intervals of a person.
//!
//! Kept apart from the arithmetic on purpose: it is the one place that reads the
//! untrusted start, end and break of an entry, and it is what a module about who
//! is on duty needs as well.

use chrono::NaiveDateTime;
use crewsense_gen::types::{ScheduleDay, ScheduleUser};

use crate::ids::UserId;
use crate::time::{Date, LocalDateTime};

/// A stretch of local time: from `start` up to, not including, `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) start: NaiveDateTime,
    pub(super) end: NaiveDateTime,
}

impl Span {
    /// The span from `start` to `end`, if it lasts at all.
    pub(super) fn new(start: NaiveDateTime, end: NaiveDateTime) -> Option<Self> {
        (end > start).then_some(Self { start, end })
    }

    /// The part of this span inside `other`, if there is one.
    pub(super) fn within(&self, other: &Span) -> Option<Span> {
        Span::new(self.start.max(other.start), self.end.min(other.end))
    }

    /// How long the span lasts, in seconds.
    pub(super) fn seconds(&self) -> i64 {
        self.end.signed_duration_since(self.start).num_seconds()
    }
}

/// One person's entry on the schedule (a shift or a time off segment) as
/// intervals, its break inside it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Stint<K> {
    pub(super) user: UserId,
    pub(super) name: Option<String>,
    pub(super) span: Span,
    pub(super) rest: Option<Span>,
    /// What kind of entry it is (for time off, its type).
    pub(super) kind: K,
}

/// The time off type of a time off entry: its id and name, as sent.
pub(super) type OffType = (Option<crate::wire::Id>, Option<String>);

/// The shifts and the time off segments listed on `date`, as stints of people.
///
/// An entry without a person or without a readable, positive start to end is left
/// out; a break that cannot be placed inside its entry is ignored. Each says so
/// with a warning.
pub(super) fn stints(date: Date, day: &ScheduleDay) -> (Vec<Stint<()>>, Vec<Stint<OffType>>) {
    let shifts = day
        .assignments
        .iter()
        .flatten()
        .flat_map(|a| a.shifts.iter().flatten())
        .filter_map(|s| {
            let times = [s.start, s.end, s.break_start, s.break_end];
            stint(date, "shift", s.id, s.user.as_ref(), times, ())
        })
        .collect();
    let time_off = day
        .time_off
        .iter()
        .flatten()
        .filter_map(|t| {
            let times = [t.start, t.end, t.break_start, t.break_end];
            let kind = t.time_off_type.as_ref();
            let kind = (kind.and_then(|k| k.id), kind.and_then(|k| k.name.clone()));
            stint(date, "time off", t.id, t.user.as_ref(), times, kind)
        })
        .collect();
    (shifts, time_off)
}

/// The stint of one entry: `times` are its start, end, break start and break end.
fn stint<K>(
    date: Date,
    what: &'static str,
    id: Option<crate::wire::Id>,
    user: Option<&ScheduleUser>,
    [start, end, break_start, break_end]: [Option<LocalDateTime>; 4],
    kind: K,
) -> Option<Stint<K>> {
    let id = id.map(|id| id.get());
    let Some(person) = user.and_then(|u| u.id) else {
        tracing::warn!(%date, what, ?id, "an entry without a person is left out of the hours");
        return None;
    };
    let Some(span) = start
        .zip(end)
        .and_then(|(s, e)| Span::new(s.get(), e.get()))
    else {
        tracing::warn!(%date, what, ?id, "an entry without a readable start before its end is left out of the hours");
        return None;
    };
    let rest = match (break_start, break_end) {
        (None, None) => None,
        // A break that lasts no time is no break.
        (Some(s), Some(e)) if s == e => None,
        (Some(s), Some(e)) => {
            let rest = Span::new(s.get(), e.get()).and_then(|b| b.within(&span));
            if rest.is_none() {
                tracing::warn!(%date, what, ?id, "a break that is not inside its entry is ignored");
            }
            rest
        }
        _ => {
            tracing::warn!(%date, what, ?id, "a break without both its start and end is ignored");
            None
        }
    };
    Some(Stint {
        user: UserId::from(person),
        name: user.and_then(|u| u.name.clone()),
        span,
        rest,
        kind,
    })
}
