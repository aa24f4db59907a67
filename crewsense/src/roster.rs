//! Who is on duty at an instant: each assignment's crew, and who is away.
//!
//! A person is on duty at `t` when one of their shifts has `start <= t < end`
//! (breaks included: a person on a break is still on the crew). Shifts cross
//! midnight, so a 24-hour shift from 08:00 is still on at 07:30 the next morning: the
//! schedule given to [`roster_at`] must hold the day before `t` as well, as the one
//! [`Client::roster_at`](crate::Client::roster_at) reads does.
//!
//! ```
//! use crewsense::roster::roster_at;
//! use crewsense::types::ScheduleDay;
//! use crewsense::wire::DateMap;
//!
//! let schedule: DateMap<ScheduleDay> = serde_json::from_str(r#"{
//!   "2025-06-02": {"assignments": [{"id": 64291, "name": "E1",
//!     "start": "2025-06-02 08:00:00", "end": "2025-06-03 08:00:00",
//!     "shifts": [{"user": {"id": 1001, "name": "Noel Underwood"},
//!       "start": "2025-06-02 08:00:00", "end": "2025-06-03 08:00:00",
//!       "qualifiers": [{"id": 9869, "shortcode": "CPT"}]}]}]},
//!   "2025-06-03": {"assignments": []}
//! }"#).unwrap();
//! let roster = roster_at(&schedule, "2025-06-03 07:30:00".parse().unwrap());
//! let crew = &roster.crews[0];
//! assert_eq!(crew.assignment.name.as_deref(), Some("E1"));
//! assert_eq!(crew.on_duty[0].person.name.as_deref(), Some("Noel Underwood"));
//! assert_eq!(crew.on_duty[0].qualifiers[0].label(), "CPT");
//! // The shift ends at 08:00: from then on it is not on duty.
//! assert!(roster_at(&schedule, "2025-06-03 08:00:00".parse().unwrap()).crews.is_empty());
//! ```

use std::collections::HashMap;

use crewsense_gen::types::ScheduleDay;
use crewsense_gen::wire::DateMap;
use serde::Serialize;

use crate::directory::Directory;
use crate::duty::{self, AssignmentKey, AssignmentRef, Person, QualifierRef, WorkTypeRef};
use crate::ids::UserId;
use crate::time::LocalDateTime;

/// Who is on duty at one instant, and who is away.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Roster {
    /// The instant, in the organisation's local time.
    pub at: LocalDateTime,
    /// Each assignment with at least one shift covering the instant, in the order the
    /// schedule lists them (earlier days first).
    pub crews: Vec<Crew>,
    /// The people whose time off covers the instant, in the schedule's order.
    pub time_off: Vec<Away>,
}

/// The people on duty on one assignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Crew {
    /// The assignment, with the period of its occurrence that covers the instant (or,
    /// when none does, of the occurrence listing the first shift that covers it).
    pub assignment: AssignmentRef,
    /// The people on duty, in the schedule's order, each once.
    pub on_duty: Vec<OnDuty>,
}

/// One person on duty.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OnDuty {
    /// Who.
    pub person: Person,
    /// The start of their shift.
    pub start: LocalDateTime,
    /// The end of their shift.
    pub end: LocalDateTime,
    /// The shift's work type.
    pub work_type: Option<WorkTypeRef>,
    /// The qualifiers the shift carries.
    pub qualifiers: Vec<QualifierRef>,
}

/// One person whose time off covers the instant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Away {
    /// Who.
    pub person: Person,
    /// The start of the time off (of the day's segment, for long leave).
    pub start: LocalDateTime,
    /// Its end.
    pub end: LocalDateTime,
    /// The name of the time-off type (`Vacation`).
    pub time_off_type: Option<String>,
}

impl Roster {
    /// Fills in every person's employee id from `directory`, where it knows one.
    pub fn fill_employee_ids(&mut self, directory: &Directory) {
        let people = self
            .crews
            .iter_mut()
            .flat_map(|crew| crew.on_duty.iter_mut().map(|d| &mut d.person))
            .chain(self.time_off.iter_mut().map(|a| &mut a.person));
        for person in people {
            if let Some(id) = person.user_id {
                person.employee_id = directory.employee_id(UserId::from(id)).map(str::to_owned);
            }
        }
    }
}

/// Who is on duty at `at` according to `schedule`.
pub fn roster_at(schedule: &DateMap<ScheduleDay>, at: LocalDateTime) -> Roster {
    let covers = |a: &AssignmentRef| a.period().is_some_and(|p| p.contains(at));
    let mut crews: Vec<Crew> = Vec::new();
    let mut index: HashMap<AssignmentKey, usize> = HashMap::new();
    for shift in duty::shifts_at(schedule, at) {
        let here = AssignmentRef::of(shift.date, shift.assignment);
        let slot = *index
            .entry(AssignmentKey::of(shift.assignment))
            .or_insert_with(|| {
                crews.push(Crew {
                    assignment: here.clone(),
                    on_duty: Vec::new(),
                });
                crews.len() - 1
            });
        let Some(crew) = crews.get_mut(slot) else {
            continue;
        };
        if !covers(&crew.assignment) && covers(&here) {
            crew.assignment = here;
        }
        let person = shift.user();
        let listed = person.user_id.is_some()
            && crew
                .on_duty
                .iter()
                .any(|d| d.person.user_id == person.user_id);
        if !listed {
            crew.on_duty.push(OnDuty {
                person,
                start: shift.span.start(),
                end: shift.span.end(),
                work_type: shift.shift.work_type.as_ref().map(WorkTypeRef::from),
                qualifiers: shift.qualifiers().map(QualifierRef::from).collect(),
            });
        }
    }
    let time_off = duty::time_off_at(schedule, at)
        .map(|t| Away {
            person: t.user(),
            start: t.span.start(),
            end: t.span.end(),
            time_off_type: t.entry.time_off_type.as_ref().and_then(|k| k.name.clone()),
        })
        .collect();
    Roster {
        at,
        crews,
        time_off,
    }
}
