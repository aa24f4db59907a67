//! The rows of the task commands, built from what the facade returns. Dates and
//! times are written in the API's own formats.

use std::collections::{BTreeMap, HashMap};

use crewsense::time::Date;
use crewsense::types::{PayrollEntry, ScheduleDay, TimeOff, User};

use crate::output::row;

/// The text of an optional API value.
fn text<T: ToString>(value: Option<T>) -> Option<String> {
    value.map(|v| v.to_string())
}

row! {
    /// One person on one shift of the schedule.
    pub struct ScheduleRow {
        pub date: String,
        pub assignment: Option<String>,
        pub name: Option<String>,
        pub user_id: Option<u64>,
        pub employee_id: Option<String>,
        pub start: Option<String>,
        pub end: Option<String>,
        pub hours: Option<f64>,
        pub work_type: Option<String>,
        pub work_code: Option<String>,
        pub labels: String,
    }
}

/// The employee ids of the organisation's users, by user id.
pub type EmployeeIds = HashMap<u64, String>;

/// The employee id of every user that has one.
pub fn employee_ids(users: &[User]) -> EmployeeIds {
    users
        .iter()
        .filter_map(|u| Some((u.user_id?.get(), u.employee_id.clone()?)))
        .collect()
}

/// The rows of one day: one per shift that has a person, in the server's order.
pub fn schedule_rows(date: Date, day: &ScheduleDay, employees: &EmployeeIds) -> Vec<ScheduleRow> {
    let assignments = day.assignments.iter().flatten();
    assignments
        .flat_map(|assignment| {
            assignment
                .shifts
                .iter()
                .flatten()
                .filter(|shift| shift.user.is_some())
                .map(move |shift| (assignment, shift))
        })
        .map(|(assignment, shift)| {
            let user = shift.user.as_ref();
            let user_id = user.and_then(|u| u.id).map(|id| id.get());
            let work_type = shift.work_type.as_ref();
            let labels = shift.labels.iter().flatten();
            ScheduleRow {
                date: date.to_string(),
                assignment: assignment.name.clone(),
                name: user.and_then(|u| u.name.clone()),
                user_id,
                employee_id: user_id.and_then(|id| employees.get(&id).cloned()),
                start: text(shift.start),
                end: text(shift.end),
                hours: shift.length.map(|h| h.get()),
                work_type: work_type.and_then(|w| w.name.clone()),
                work_code: work_type.and_then(|w| w.work_code.clone()),
                labels: labels
                    .filter_map(|l| l.label.as_deref())
                    .collect::<Vec<_>>()
                    .join("; "),
            }
        })
        .collect()
}

row! {
    /// One time-off entry.
    pub struct TimeOffRow {
        pub id: Option<u64>,
        pub user_id: Option<u64>,
        pub name: Option<String>,
        pub time_off_type: Option<String>,
        pub work_code: Option<String>,
        pub start: Option<String>,
        pub end: Option<String>,
        pub hours: Option<f64>,
        pub status: Option<i64>,
    }
}

impl From<&TimeOff> for TimeOffRow {
    fn from(entry: &TimeOff) -> Self {
        let user = entry.user.as_ref();
        let kind = entry.time_off_type.as_ref();
        TimeOffRow {
            id: entry.id.map(|id| id.get()),
            user_id: user.and_then(|u| u.id).map(|id| id.get()),
            name: user.and_then(|u| u.name.clone()),
            time_off_type: kind.and_then(|k| k.name.clone()),
            work_code: kind.and_then(|k| k.work_code.clone()),
            start: text(entry.start),
            end: text(entry.end),
            hours: entry.length.map(|h| h.get()),
            status: entry.status.map(|s| s.get()),
        }
    }
}

row! {
    /// The time off of one type (and one person, with `--by-user`).
    pub struct TimeOffTotal {
        pub user_id: Option<u64>,
        pub name: Option<String>,
        pub time_off_type: Option<String>,
        pub entries: u64,
        pub hours: f64,
    }
}

/// Adds up time-off rows per type, or per person and type.
#[derive(Debug, Default)]
pub struct TimeOffTotals {
    by_user: bool,
    totals: BTreeMap<(Option<u64>, Option<String>), TimeOffTotal>,
}

impl TimeOffTotals {
    /// Totals per type, or per person and type if `by_user`.
    pub fn new(by_user: bool) -> Self {
        Self {
            by_user,
            totals: BTreeMap::new(),
        }
    }

    /// Counts one entry.
    pub fn add(&mut self, row: TimeOffRow) {
        let user_id = row.user_id.filter(|_| self.by_user);
        let total = self
            .totals
            .entry((user_id, row.time_off_type.clone()))
            .or_insert_with(|| TimeOffTotal {
                user_id,
                name: row.name.clone().filter(|_| self.by_user),
                time_off_type: row.time_off_type.clone(),
                entries: 0,
                hours: 0.0,
            });
        total.entries += 1;
        total.hours += row.hours.unwrap_or(0.0);
    }

    /// The totals, by person and then type.
    pub fn into_rows(self) -> impl Iterator<Item = TimeOffTotal> {
        self.totals.into_values()
    }
}

row! {
    /// One payroll entry, with the columns payroll systems import first.
    pub struct PayrollRow {
        pub employee_id: Option<String>,
        pub name: Option<String>,
        pub date: Option<String>,
        pub work_code: Option<String>,
        pub hours: Option<f64>,
        pub work_type: Option<String>,
        pub work_subtype: Option<String>,
        pub entry_type: Option<String>,
        pub start: Option<String>,
        pub end: Option<String>,
        pub assignment: Option<String>,
        pub labels: Option<String>,
        pub user_id: Option<u64>,
    }
}

impl From<&PayrollEntry> for PayrollRow {
    fn from(entry: &PayrollEntry) -> Self {
        PayrollRow {
            employee_id: entry.employee_id.clone(),
            name: entry.name.clone(),
            date: text(entry.start.map(|s| s.date())),
            work_code: entry.work_code.clone(),
            hours: entry.total_hours.map(|h| h.get()),
            work_type: entry.work_type.clone(),
            work_subtype: entry.work_subtype.clone(),
            entry_type: entry.type_.clone(),
            start: text(entry.start),
            end: text(entry.end),
            assignment: entry.assignment_name.clone(),
            labels: entry.labels.clone(),
            user_id: entry.user_id.map(|id| id.get()),
        }
    }
}

row! {
    /// One user.
    pub struct UserRow {
        pub user_id: Option<u64>,
        pub employee_id: Option<String>,
        pub name: Option<String>,
        pub first_name: Option<String>,
        pub last_name: Option<String>,
        pub username: Option<String>,
        pub role: Option<String>,
        pub emails: String,
        pub phone_numbers: String,
    }
}

impl From<&User> for UserRow {
    fn from(user: &User) -> Self {
        UserRow {
            user_id: user.user_id.map(|id| id.get()),
            employee_id: user.employee_id.clone(),
            name: user.full_name.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            username: user.username.clone(),
            role: user.role.clone(),
            emails: user
                .emails
                .iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
            phone_numbers: user
                .phone_numbers
                .iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}
