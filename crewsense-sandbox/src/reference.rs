//! The seeded department's reference tables (the names people are drawn from,
//! groups, CallBack lists, qualifiers, filters, labels, work types and subtypes,
//! time off types, certifications, stations and assignments), read from the JSON
//! files of `data/`, which are compiled into the crate. [`crate::seed`] generates
//! the people, shifts and everything else around them.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::store::{
    Certification, Filter, Label, ListTitle, Named, Qualifier, TimeOffType, WorkSubtype, WorkType,
};

/// The names people are drawn from.
#[derive(Debug, Deserialize)]
pub(crate) struct Names {
    pub(crate) first_names: Vec<String>,
    pub(crate) last_names: Vec<String>,
}

/// The tables of plain `{id, name}` records.
#[derive(Debug, Deserialize)]
pub(crate) struct NamedTables {
    pub(crate) custom_fields: Vec<Named>,
    pub(crate) accrual_tracks: Vec<Named>,
    pub(crate) accrual_profiles: Vec<Named>,
    pub(crate) groups: Vec<Named>,
    pub(crate) unavailability_reasons: Vec<Named>,
}

/// A station: where its assignments are.
#[derive(Debug, Deserialize)]
pub(crate) struct Station {
    pub(crate) address: String,
    pub(crate) zip: String,
    pub(crate) latitude: String,
    pub(crate) longitude: String,
}

/// An assignment: line units need their seats (`qualifiers_needed`), day staff a
/// head count (`staff_minimum`) and no qualifiers.
#[derive(Debug, Deserialize)]
pub(crate) struct AssignmentRow {
    pub(crate) id: u64,
    pub(crate) name: String,
    /// An index into [`Assignments::stations`].
    pub(crate) station: usize,
    /// `(qualifier id, minimum staffing)`.
    pub(crate) qualifiers_needed: Vec<(u64, i64)>,
    pub(crate) staff_minimum: Option<i64>,
}

/// The stations and their assignments.
#[derive(Debug, Deserialize)]
pub(crate) struct Assignments {
    pub(crate) stations: Vec<Station>,
    pub(crate) assignments: Vec<AssignmentRow>,
}

/// Every reference table.
#[derive(Debug)]
pub(crate) struct Reference {
    pub(crate) names: Names,
    pub(crate) named: NamedTables,
    pub(crate) titles: Vec<ListTitle>,
    pub(crate) qualifiers: Vec<Qualifier>,
    pub(crate) filters: Vec<Filter>,
    pub(crate) labels: Vec<Label>,
    pub(crate) work_types: Vec<WorkType>,
    pub(crate) work_subtypes: Vec<WorkSubtype>,
    pub(crate) time_off_types: Vec<TimeOffType>,
    pub(crate) certifications: Vec<Certification>,
    pub(crate) assignments: Assignments,
}

/// A data file's name and text.
type File = (&'static str, &'static str);

macro_rules! data {
    ($name:literal) => {
        ($name, include_str!(concat!("../data/", $name)))
    };
}

const NAMES: File = data!("names.json");
const NAMED: File = data!("named.json");
const TITLES: File = data!("titles.json");
const QUALIFIERS: File = data!("qualifiers.json");
const FILTERS: File = data!("filters.json");
const LABELS: File = data!("labels.json");
const WORK_TYPES: File = data!("work_types.json");
const WORK_SUBTYPES: File = data!("work_subtypes.json");
const TIME_OFF_TYPES: File = data!("time_off_types.json");
const CERTIFICATIONS: File = data!("certifications.json");
const ASSIGNMENTS: File = data!("assignments.json");

/// A data file that does not decode, and why.
#[derive(Debug)]
pub(crate) struct Malformed {
    pub(crate) file: &'static str,
    pub(crate) error: serde_json::Error,
}

fn parse<T: DeserializeOwned>((file, text): File) -> Result<T, Malformed> {
    serde_json::from_str(text).map_err(|error| Malformed { file, error })
}

impl Reference {
    /// Decodes every data file.
    pub(crate) fn parse() -> Result<Self, Malformed> {
        Ok(Self {
            names: parse(NAMES)?,
            named: parse(NAMED)?,
            titles: parse(TITLES)?,
            qualifiers: parse(QUALIFIERS)?,
            filters: parse(FILTERS)?,
            labels: parse(LABELS)?,
            work_types: parse(WORK_TYPES)?,
            work_subtypes: parse(WORK_SUBTYPES)?,
            time_off_types: parse(TIME_OFF_TYPES)?,
            certifications: parse(CERTIFICATIONS)?,
            assignments: parse(ASSIGNMENTS)?,
        })
    }

    /// The reference tables. The files are part of the crate, so one that does not
    /// decode is a bug in it (the tests decode them all), not an input: it panics.
    pub(crate) fn load() -> Self {
        Self::parse().unwrap_or_else(|m| panic!("data/{} is malformed: {}", m.file, m.error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_decodes_and_names_what_the_generator_needs() {
        let r = Reference::parse().unwrap_or_else(|m| panic!("{}: {}", m.file, m.error));
        assert!(r.names.first_names.len() * r.names.last_names.len() >= 60);
        let stations = r.assignments.stations.len();
        assert!(
            r.assignments
                .assignments
                .iter()
                .all(|a| a.station < stations)
        );
        let qualifier = |id| r.qualifiers.iter().any(|q| q.id == id);
        assert!(
            r.assignments
                .assignments
                .iter()
                .flat_map(|a| &a.qualifiers_needed)
                .all(|(q, _)| qualifier(*q))
        );
    }
}
