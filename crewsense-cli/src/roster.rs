//! `crewsense roster` and `crewsense staffing`: who is on duty, and where staffing
//! falls short, from the facade's [`roster`](crewsense::roster) and
//! [`staffing`](crewsense::staffing).

use crewsense::Client;
use crewsense::duty::{AssignmentRef, QualifierRef};
use crewsense::roster::Roster;
use crewsense::staffing::{ShortInterval, Staffing};
use crewsense::time::DateRange;

use crate::failure::Failure;
use crate::output::{Output, row};
use crate::tasks::write_all;
use crate::when::{At, Zones};

row! {
    /// One person on duty.
    pub struct RosterRow {
        pub assignment: Option<String>,
        pub assignment_id: Option<u64>,
        pub user_id: Option<u64>,
        pub name: Option<String>,
        pub employee_id: Option<String>,
        pub start: String,
        pub end: String,
        pub work_type: Option<String>,
        pub qualifiers: String,
    }
}

row! {
    /// How one assignment is staffed at an instant.
    pub struct StaffingRow {
        pub assignment: Option<String>,
        pub assignment_id: Option<u64>,
        pub minimum: u64,
        pub on_duty: u64,
        pub seats: u64,
        pub unfilled_seats: u64,
        pub short: bool,
        pub missing: String,
    }
}

row! {
    /// A stretch in which one assignment is short.
    pub struct ShortRow {
        pub assignment: Option<String>,
        pub assignment_id: Option<u64>,
        pub from: String,
        pub to: String,
        pub minimum: u64,
        pub on_duty: u64,
        pub unfilled_seats: u64,
        pub missing: String,
    }
}

/// The rows of a roster: each person on duty, crew by crew.
pub fn roster_rows(roster: &Roster) -> Vec<RosterRow> {
    roster
        .crews
        .iter()
        .flat_map(|crew| {
            crew.on_duty.iter().map(|duty| RosterRow {
                assignment: crew.assignment.name.clone(),
                assignment_id: id_of(&crew.assignment),
                user_id: duty.person.user_id.map(|id| id.get()),
                name: duty.person.name.clone(),
                employee_id: duty.person.employee_id.clone(),
                start: duty.start.to_string(),
                end: duty.end.to_string(),
                work_type: duty.work_type.as_ref().and_then(|w| w.name.clone()),
                qualifiers: duty
                    .qualifiers
                    .iter()
                    .map(QualifierRef::label)
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        })
        .collect()
}

impl From<&Staffing> for StaffingRow {
    fn from(staffing: &Staffing) -> Self {
        StaffingRow {
            assignment: staffing.assignment.name.clone(),
            assignment_id: id_of(&staffing.assignment),
            minimum: staffing.minimum,
            on_duty: staffing.on_duty.len() as u64,
            seats: staffing.seat_count(),
            unfilled_seats: staffing.unfilled_seats,
            short: staffing.short,
            missing: staffing.shortfall().to_string(),
        }
    }
}

impl From<&ShortInterval> for ShortRow {
    fn from(short: &ShortInterval) -> Self {
        ShortRow {
            assignment: short.assignment.name.clone(),
            assignment_id: id_of(&short.assignment),
            from: short.from.to_string(),
            to: short.to.to_string(),
            minimum: short.minimum,
            on_duty: short.on_duty,
            unfilled_seats: short.unfilled_seats,
            missing: short.missing.to_string(),
        }
    }
}

fn id_of(assignment: &AssignmentRef) -> Option<u64> {
    assignment.id.map(|id| id.get())
}

/// `crewsense roster`: one row per person on duty at `at` (`now` read in `zones`).
pub async fn roster(
    client: &Client,
    at: Option<At>,
    zones: Zones<'_>,
    output: &Output,
) -> Result<(), Failure> {
    let at = at.unwrap_or(At::Now).resolve(zones)?;
    let roster = client.roster_at(at).await?;
    write_all(roster_rows(&roster).into_iter(), output)
}

/// `crewsense staffing --at`: one row per assignment covering the instant, only the
/// short ones unless `all`.
pub async fn staffing_at(
    client: &Client,
    at: Option<At>,
    zones: Zones<'_>,
    all: bool,
    output: &Output,
) -> Result<(), Failure> {
    let at = at.unwrap_or(At::Now).resolve(zones)?;
    let staffing = client.staffing_at(at).await?;
    let shown = staffing.iter().filter(|s| all || s.short);
    write_all(shown.map(StaffingRow::from), output)
}

/// `crewsense staffing --from --to`: one row per short interval.
pub async fn short_intervals(
    client: &Client,
    days: DateRange,
    output: &Output,
) -> Result<(), Failure> {
    let short = client.staffing(days).await?;
    write_all(short.iter().map(ShortRow::from), output)
}
