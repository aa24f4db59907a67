//! What differs between two versions of a day of the schedule: a pure comparison of
//! decoded days.

use std::collections::BTreeMap;
use std::fmt;

use crewsense_gen::types::{ScheduleAssignment, ScheduleDay, ScheduleShift, ScheduleTimeOff};

use crate::time::Date;
use crate::wire::Id;

/// A shift as a day of the schedule lists it, with the assignment it is on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PlacedShift {
    /// The assignment's id.
    pub assignment_id: Option<Id>,
    /// The assignment's name.
    pub assignment: Option<String>,
    /// The shift, as sent.
    pub shift: ScheduleShift,
}

/// The facts of a shift that a change can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ShiftField {
    /// The assignment (unit) it is on, by id.
    Assignment,
    /// The person, by id.
    User,
    /// The start.
    Start,
    /// The end.
    End,
    /// The work type, by id.
    WorkType,
    /// The labels, by id, in any order.
    Labels,
    /// The qualifiers, by id, in any order.
    Qualifiers,
}

impl ShiftField {
    /// Every field, in the order changes list them.
    pub const ALL: [ShiftField; 7] = [
        ShiftField::Assignment,
        ShiftField::User,
        ShiftField::Start,
        ShiftField::End,
        ShiftField::WorkType,
        ShiftField::Labels,
        ShiftField::Qualifiers,
    ];

    /// The field's name in snake case (`work_type`).
    pub fn as_str(self) -> &'static str {
        match self {
            ShiftField::Assignment => "assignment",
            ShiftField::User => "user",
            ShiftField::Start => "start",
            ShiftField::End => "end",
            ShiftField::WorkType => "work_type",
            ShiftField::Labels => "labels",
            ShiftField::Qualifiers => "qualifiers",
        }
    }

    /// Whether `before` and `after` differ in this field.
    fn differs(self, before: &PlacedShift, after: &PlacedShift) -> bool {
        let (b, a) = (&before.shift, &after.shift);
        match self {
            ShiftField::Assignment => before.assignment_id != after.assignment_id,
            ShiftField::User => user_id(b) != user_id(a),
            ShiftField::Start => b.start != a.start,
            ShiftField::End => b.end != a.end,
            ShiftField::WorkType => {
                b.work_type.as_ref().map(|w| w.id) != a.work_type.as_ref().map(|w| w.id)
            }
            ShiftField::Labels => {
                ids(b.labels.iter().flatten().map(|l| l.id))
                    != ids(a.labels.iter().flatten().map(|l| l.id))
            }
            ShiftField::Qualifiers => {
                ids(b.qualifiers.iter().flatten().map(|q| q.id))
                    != ids(a.qualifiers.iter().flatten().map(|q| q.id))
            }
        }
    }
}

impl fmt::Display for ShiftField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn user_id(shift: &ScheduleShift) -> Option<Id> {
    shift.user.as_ref().and_then(|u| u.id)
}

/// A set of ids, in order.
fn ids(items: impl Iterator<Item = Option<Id>>) -> Vec<Option<Id>> {
    let mut ids: Vec<_> = items.collect();
    ids.sort_unstable();
    ids
}

/// How one shift of a day changed, matched by shift id.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ShiftChange {
    /// A shift that was not on the day.
    Added(PlacedShift),
    /// A shift that is no longer on the day.
    Removed(PlacedShift),
    /// A shift whose `fields` differ (at least one).
    Changed {
        /// What differs, in [`ShiftField::ALL`]'s order.
        fields: Vec<ShiftField>,
        /// The shift as it was.
        before: Box<PlacedShift>,
        /// The shift as it is.
        after: Box<PlacedShift>,
    },
}

impl ShiftChange {
    /// The shift's id.
    pub fn id(&self) -> Option<Id> {
        match self {
            ShiftChange::Added(s) | ShiftChange::Removed(s) => s.shift.id,
            ShiftChange::Changed { after, .. } => after.shift.id,
        }
    }
}

/// How the time off of a day changed. An entry that changed is removed as it was
/// and added as it is.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TimeOffChange {
    /// Time off that was not on the day.
    Added(ScheduleTimeOff),
    /// Time off that is no longer on the day.
    Removed(ScheduleTimeOff),
}

/// What changed on one day.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DayChanges {
    /// The day.
    pub date: Date,
    /// Its shifts that were added, removed or changed, in the order of the day.
    pub shifts: Vec<ShiftChange>,
    /// Its time off that was added or removed.
    pub time_off: Vec<TimeOffChange>,
}

impl DayChanges {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.shifts.is_empty() && self.time_off.is_empty()
    }
}

/// Where an entry stands in its day: its id, and how many entries with the same id
/// came before it on the day (ids repeat only in odd data, and entries without an
/// id are matched by their order).
type Key = (Option<Id>, usize);

/// The entries of a day by key, in the day's order of first appearance.
fn keyed<T>(entries: impl Iterator<Item = (Option<Id>, T)>) -> BTreeMap<Key, (usize, T)> {
    let mut seen: BTreeMap<Option<Id>, usize> = BTreeMap::new();
    entries
        .enumerate()
        .map(|(order, (id, entry))| {
            let nth = seen.entry(id).or_default();
            let key = (id, *nth);
            *nth += 1;
            (key, (order, entry))
        })
        .collect()
}

fn shifts(day: &ScheduleDay) -> BTreeMap<Key, (usize, PlacedShift)> {
    let placed = day
        .assignments
        .iter()
        .flatten()
        .flat_map(|a| a.shifts.iter().flatten().map(move |s| (s.id, placed(a, s))));
    keyed(placed)
}

fn time_offs(day: &ScheduleDay) -> BTreeMap<Key, (usize, &ScheduleTimeOff)> {
    keyed(day.time_off.iter().flatten().map(|t| (t.id, t)))
}

fn placed(assignment: &ScheduleAssignment, shift: &ScheduleShift) -> PlacedShift {
    PlacedShift {
        assignment_id: assignment.id,
        assignment: assignment.name.clone(),
        shift: shift.clone(),
    }
}

/// The facts of a time off entry that make it another entry when they change.
fn time_off_facts(t: &ScheduleTimeOff) -> impl PartialEq + '_ {
    (
        t.user.as_ref().and_then(|u| u.id),
        t.start,
        t.end,
        t.break_start,
        t.break_end,
        t.time_off_type.as_ref().and_then(|k| k.id),
    )
}

/// What changed on `date` from `before` to `after` (empty when nothing did).
///
/// Shifts are matched by id within the day (production repeats a recurring shift's
/// id on every day it occurs); of a matched pair, only the [`ShiftField`]s are
/// compared, so an edited note is no change. Time off is matched by id too, and
/// compared by person, start, end, break and type.
///
/// ```
/// use crewsense::changes::{diff_day, ShiftChange};
/// use crewsense::types::{ScheduleAssignment, ScheduleDay, ScheduleShift};
/// use crewsense::wire::Id;
///
/// let shift = ScheduleShift { id: Some(Id(7)), ..Default::default() };
/// let with_shift = ScheduleDay {
///     assignments: Some(vec![ScheduleAssignment { shifts: Some(vec![shift]), ..Default::default() }]),
///     ..Default::default()
/// };
/// let date = "2025-06-02".parse().unwrap();
/// let changes = diff_day(date, &ScheduleDay::default(), &with_shift);
/// assert!(matches!(changes.shifts.as_slice(), [ShiftChange::Added(s)] if s.shift.id == Some(Id(7))));
/// assert!(diff_day(date, &with_shift, &with_shift).is_empty());
/// ```
pub fn diff_day(date: Date, before: &ScheduleDay, after: &ScheduleDay) -> DayChanges {
    DayChanges {
        date,
        shifts: shift_changes(shifts(before), shifts(after)),
        time_off: time_off_changes(before, after),
    }
}

fn shift_changes(
    mut before: BTreeMap<Key, (usize, PlacedShift)>,
    after: BTreeMap<Key, (usize, PlacedShift)>,
) -> Vec<ShiftChange> {
    // In the day's order: what is there now first, then what went away.
    let mut changes: Vec<(usize, usize, ShiftChange)> = Vec::new();
    for (key, (order, now)) in after {
        match before.remove(&key) {
            None => changes.push((0, order, ShiftChange::Added(now))),
            Some((_, was)) => {
                let fields: Vec<ShiftField> = ShiftField::ALL
                    .into_iter()
                    .filter(|f| f.differs(&was, &now))
                    .collect();
                if !fields.is_empty() {
                    let change = ShiftChange::Changed {
                        fields,
                        before: Box::new(was),
                        after: Box::new(now),
                    };
                    changes.push((0, order, change));
                }
            }
        }
    }
    for (order, was) in before.into_values() {
        changes.push((1, order, ShiftChange::Removed(was)));
    }
    changes.sort_by_key(|(side, order, _)| (*side, *order));
    changes.into_iter().map(|(_, _, change)| change).collect()
}

fn time_off_changes(before: &ScheduleDay, after: &ScheduleDay) -> Vec<TimeOffChange> {
    let (mut before, after) = (time_offs(before), time_offs(after));
    let mut changes = Vec::new();
    for (key, (_, now)) in after {
        match before.remove(&key) {
            Some((_, was)) if time_off_facts(was) == time_off_facts(now) => {}
            Some((_, was)) => {
                changes.push(TimeOffChange::Removed(was.clone()));
                changes.push(TimeOffChange::Added(now.clone()));
            }
            None => changes.push(TimeOffChange::Added(now.clone())),
        }
    }
    changes.extend(
        before
            .into_values()
            .map(|(_, was)| TimeOffChange::Removed(was.clone())),
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crewsense_gen::types::{ScheduleLabel, ScheduleUser};

    fn date() -> Date {
        "2025-06-02".parse().unwrap()
    }

    fn label(id: u64) -> ScheduleLabel {
        ScheduleLabel {
            id: Some(Id(id)),
            ..Default::default()
        }
    }

    fn shift(id: u64, user: u64, start: &str, labels: &[u64]) -> ScheduleShift {
        ScheduleShift {
            id: Some(Id(id)),
            user: Some(ScheduleUser {
                id: Some(Id(user)),
                ..Default::default()
            }),
            start: Some(start.parse().unwrap()),
            labels: Some(labels.iter().copied().map(label).collect()),
            ..Default::default()
        }
    }

    fn day(shifts: Vec<ScheduleShift>, time_off: Vec<ScheduleTimeOff>) -> ScheduleDay {
        ScheduleDay {
            assignments: Some(vec![ScheduleAssignment {
                id: Some(Id(40)),
                shifts: Some(shifts),
                ..Default::default()
            }]),
            time_off: Some(time_off),
            ..Default::default()
        }
    }

    #[test]
    fn a_changed_shift_names_the_fields_that_differ_and_ignores_the_rest() {
        let before = day(vec![shift(1, 10, "2025-06-02 08:00:00", &[3, 4])], vec![]);
        let mut moved = shift(1, 11, "2025-06-02 09:00:00", &[4, 3]);
        moved.notes = Some("a note changes nothing".to_owned());
        let after = day(vec![moved], vec![]);
        let changes = diff_day(date(), &before, &after);
        let [
            ShiftChange::Changed {
                fields,
                before,
                after,
            },
        ] = changes.shifts.as_slice()
        else {
            panic!("one changed shift: {changes:?}");
        };
        assert_eq!(fields, &[ShiftField::User, ShiftField::Start]);
        assert_eq!(before.shift.user.as_ref().unwrap().id, Some(Id(10)));
        assert_eq!(after.shift.user.as_ref().unwrap().id, Some(Id(11)));
        assert_eq!(after.assignment_id, Some(Id(40)));
    }

    #[test]
    fn added_shifts_come_in_the_days_order_and_removed_ones_after() {
        let before = day(
            vec![
                shift(1, 10, "2025-06-02 08:00:00", &[]),
                shift(2, 10, "2025-06-02 08:00:00", &[]),
            ],
            vec![],
        );
        let after = day(
            vec![
                shift(9, 10, "2025-06-02 08:00:00", &[]),
                shift(2, 10, "2025-06-02 08:00:00", &[]),
                shift(8, 10, "2025-06-02 08:00:00", &[]),
            ],
            vec![],
        );
        let ids: Vec<_> = diff_day(date(), &before, &after)
            .shifts
            .iter()
            .map(|c| match c {
                ShiftChange::Added(s) => ("added", s.shift.id),
                ShiftChange::Removed(s) => ("removed", s.shift.id),
                ShiftChange::Changed { after, .. } => ("changed", after.shift.id),
            })
            .collect();
        assert_eq!(
            ids,
            [
                ("added", Some(Id(9))),
                ("added", Some(Id(8))),
                ("removed", Some(Id(1))),
            ]
        );
    }

    #[test]
    fn time_off_that_changed_is_removed_as_it_was_and_added_as_it_is() {
        let entry = |end: &str| ScheduleTimeOff {
            id: Some(Id(5)),
            start: Some("2025-06-02 08:00:00".parse().unwrap()),
            end: Some(end.parse().unwrap()),
            ..Default::default()
        };
        let before = day(vec![], vec![entry("2025-06-03 08:00:00")]);
        let after = day(vec![], vec![entry("2025-06-02 20:00:00")]);
        let changes = diff_day(date(), &before, &after);
        assert!(matches!(
            changes.time_off.as_slice(),
            [TimeOffChange::Removed(was), TimeOffChange::Added(is)]
                if was.end != is.end
        ));
        assert!(diff_day(date(), &after, &after).is_empty());
        let gone = diff_day(date(), &after, &ScheduleDay::default());
        assert!(matches!(
            gone.time_off.as_slice(),
            [TimeOffChange::Removed(_)]
        ));
    }
}
