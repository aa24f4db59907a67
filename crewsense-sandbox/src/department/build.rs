//! A department from the decoded answers of a capture: pure functions over the
//! rows, no files. What the answers do not say is left empty or inferred from what
//! the schedule shows (see [`build`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::wire::{
    AssignmentDayRow, AssignmentRow, CallbackRow, CodedRow, CompanyRow, DayRow, LabelRow, MiscRow,
    PersonRow, QualifierRow, ScheduleRow, ShiftRow, SubtypeRow, TimeOffRow, TimeOffTypeRow,
    TradeRow, UserRow, WorkTypeRow,
};
use crate::clock::anchor;
use crate::store::{
    APPROVED, Assignment, Callback, Label, ListTitle, Location, MiscHours, Named, Qualifier, Shift,
    Store, TimeOff, TimeOffType, Trade, User, WorkSubtype, WorkType,
};

/// The company name when the capture has no `/company` answer.
pub(crate) const UNNAMED: &str = "Captured department";

/// Every answer of a capture that the sandbox serves from.
#[derive(Debug, Default)]
pub(crate) struct Answers {
    pub(crate) company: Option<CompanyRow>,
    pub(crate) users: Vec<UserRow>,
    pub(crate) assignments: Vec<AssignmentRow>,
    pub(crate) qualifiers: Vec<QualifierRow>,
    pub(crate) work_types: Vec<WorkTypeRow>,
    pub(crate) work_subtypes: Vec<SubtypeRow>,
    pub(crate) time_off_types: Vec<TimeOffTypeRow>,
    pub(crate) schedules: Vec<ScheduleRow>,
}

/// The days a set of schedule answers covers: the first, and the day after the last.
pub(crate) fn window(schedules: &[ScheduleRow]) -> Option<(NaiveDate, NaiveDate)> {
    let dates = schedules
        .iter()
        .flat_map(|s| s.days.0.iter().map(|(d, _)| *d));
    let first = dates.clone().min()?;
    let last = dates.max()?;
    Some((first, last.succ_opt().unwrap_or(last)))
}

/// Splits a display name into first and last name at its first space.
fn split_name(name: &str) -> (String, String) {
    match name.trim().split_once(' ') {
        Some((first, last)) => (first.to_owned(), last.to_owned()),
        None => (name.trim().to_owned(), String::new()),
    }
}

fn text(t: &Option<super::wire::Text>) -> Option<String> {
    t.as_ref().map(|t| t.0.clone())
}

fn user(row: &UserRow, s: &mut Store) -> User {
    let (mut first, mut last) = split_name(row.full_name.as_deref().unwrap_or(""));
    if let Some(f) = &row.first_name {
        first.clone_from(f);
    }
    if let Some(l) = &row.last_name {
        last.clone_from(l);
    }
    let named = |table: &mut BTreeMap<u64, Named>, r: &Option<super::wire::NamedRow>| {
        r.as_ref().map(|r| {
            table.insert(
                r.id.0,
                Named {
                    id: r.id.0,
                    name: r.name.clone(),
                },
            );
            r.id.0
        })
    };
    User {
        id: row.user_id.0,
        employee_id: text(&row.employee_id),
        username: row.username.clone().unwrap_or_default(),
        first_name: first,
        last_name: last,
        role: row.role.clone().unwrap_or_else(|| "User".into()),
        emails: row.emails.clone(),
        phones: row.phone_numbers.clone(),
        date_of_hire: row.date_of_hire,
        date_of_birth: row.date_of_birth,
        accrual_start_date: row.accrual_start_date,
        accrual_track: named(&mut s.accrual_tracks, &row.accrual_track),
        accrual_profile: named(&mut s.accrual_profiles, &row.accrual_profile),
        ..User::default()
    }
}

fn qualifier(row: &QualifierRow, since: NaiveDateTime) -> Qualifier {
    Qualifier {
        id: row.id.0,
        name: row.name.clone(),
        shortcode: row.shortcode.clone(),
        color: row.color.clone(),
        text_color: row.text_color.clone(),
        title_id: row.title_id.map(|i| i.0),
        created_by: 0,
        created_on: since,
        modified_by: row.modified_by.map(|i| i.0),
        modified_on: row.modified_on,
        deleted_by: None,
        deleted_at: None,
        ts_credential_id: row.target_solutions_credential_id.map(|i| i.0),
    }
}

fn assignment(row: &AssignmentRow) -> Assignment {
    Assignment {
        id: row.id.0,
        position: row.position.0,
        name: row.name.clone(),
        start: row.start.0,
        end: row.end.0,
        positions_to_fill: row.positions_to_fill.0,
        is_work_shift: row.is_work_shift.0,
        self_scheduling: row.self_scheduling.0,
        self_scheduling_requires_approval: row.self_scheduling_requires_approval.0,
        crewsense_eligible: row.crewsense_eligible.0,
        hide_open_slots: row.hide_open_slots.0,
        weekdays_only: false,
        color: row.color.clone(),
        location: row.location.as_ref().map(|l| Location {
            address: l.address.clone(),
            city: l.city.clone(),
            state: l.state.clone(),
            zip: l.zip.0.clone(),
            latitude: l.latitude.0.clone(),
            longitude: l.longitude.0.clone(),
        }),
        groups: Vec::new(),
        admins: Vec::new(),
        qualifiers_needed: Vec::new(),
        finalized: BTreeSet::new(),
        notes: BTreeMap::new(),
    }
}

/// An assignment no `/assignments` answer lists, as the schedule shows it.
fn shown_assignment(row: &AssignmentDayRow, position: i64) -> Assignment {
    Assignment {
        id: row.id.0,
        position,
        name: row.name.clone(),
        start: row.start.0,
        end: row.end.0,
        positions_to_fill: row.minimum_staffing.0,
        is_work_shift: true,
        self_scheduling: false,
        self_scheduling_requires_approval: false,
        crewsense_eligible: false,
        hide_open_slots: false,
        weekdays_only: false,
        color: "#CCCCCC".into(),
        location: None,
        groups: Vec::new(),
        admins: Vec::new(),
        qualifiers_needed: Vec::new(),
        finalized: BTreeSet::new(),
        notes: BTreeMap::new(),
    }
}

fn subtype(row: &SubtypeRow, work_type: Option<u64>) -> WorkSubtype {
    WorkSubtype {
        id: row.id.0,
        work_type_id: row.work_type_id.map(|i| i.0).or(work_type).unwrap_or(0),
        label: row.label.clone(),
        work_code: text(&row.work_code),
    }
}

/// Fills a [`Store`] from the answers.
///
/// Beyond the tables the answers hold, the schedule's days give the shifts, the
/// approved time off (one entry from its first segment's start to its last one's
/// end, shown on the days it was shown), CallBacks, trades, Misc. hours and day notes of the window, and anything
/// they name that no table lists (a person, qualifier, work type, subtype, label,
/// group, time off type or CallBack list) with what they show of it. An assignment
/// the window shows on weekdays but on none of its Saturdays and Sundays is taken
/// to occur on weekdays only, so that the schedule renders again as captured.
pub(crate) fn build(answers: &Answers) -> Store {
    let mut s = Store::new();
    let since =
        window(&answers.schedules).map_or_else(anchor, |(first, _)| first.and_time(NaiveTime::MIN));
    s.company_name = answers
        .company
        .as_ref()
        .map_or_else(|| UNNAMED.to_owned(), |c| c.name.clone());
    for row in &answers.users {
        let u = user(row, &mut s);
        s.users.insert(u.id, u);
    }
    for row in &answers.qualifiers {
        s.qualifiers.insert(row.id.0, qualifier(row, since));
    }
    for row in &answers.assignments {
        s.assignments.insert(row.id.0, assignment(row));
    }
    for row in &answers.work_types {
        s.work_types.insert(
            row.id.0,
            WorkType {
                id: row.id.0,
                label: row.label.clone(),
                work_code: text(&row.work_code),
                primary_color: row.primary_color.clone(),
                secondary_color: row.secondary_color.clone(),
                excludes_from_callback: row.excludes_from_callback.0,
                position: row.position.0,
            },
        );
    }
    for row in &answers.work_subtypes {
        s.work_subtypes.insert(row.id.0, subtype(row, None));
    }
    for row in &answers.time_off_types {
        s.time_off_types.insert(
            row.id.0,
            TimeOffType {
                id: row.id.0,
                label: row.label.clone(),
                work_code: text(&row.work_code),
                required_buffer: row.required_buffer.0,
                instance_limit: row.instance_limit.0,
                primary_color: row.primary_color.clone(),
                secondary_color: row.secondary_color.clone(),
                force_include: row.force_include.0,
                forward: row.forward.0,
                accrual: String::new(),
            },
        );
    }
    let mut days: Vec<&(NaiveDate, DayRow)> =
        answers.schedules.iter().flat_map(|s| &s.days.0).collect();
    days.sort_by_key(|(d, _)| *d);
    let mut calendar = Calendar::new(since);
    for (date, day) in days {
        calendar.day(&mut s, *date, day);
    }
    calendar.finish(&mut s);
    let highest = [
        s.users.keys().next_back(),
        s.accrual_tracks.keys().next_back(),
        s.accrual_profiles.keys().next_back(),
        s.groups.keys().next_back(),
        s.titles.keys().next_back(),
        s.qualifiers.keys().next_back(),
        s.labels.keys().next_back(),
        s.work_types.keys().next_back(),
        s.work_subtypes.keys().next_back(),
        s.assignments.keys().next_back(),
        s.shifts.keys().next_back(),
        s.time_off_types.keys().next_back(),
        s.time_offs.keys().next_back(),
        s.trades.keys().next_back(),
        s.callbacks.keys().next_back(),
        s.misc_hours.keys().next_back(),
    ]
    .into_iter()
    .flatten()
    .max()
    .copied();
    // Records created through the API get ids no captured record has.
    s.allocate_after(highest.unwrap_or(0));
    s
}

/// What the schedule's days add up to while they are read.
struct Calendar {
    since: NaiveDateTime,
    /// The days each assignment was shown on.
    shown: BTreeMap<u64, BTreeSet<NaiveDate>>,
    /// Every day read.
    dates: BTreeSet<NaiveDate>,
    /// Each time off entry as first seen, its segments gathered.
    time_off: BTreeMap<u64, TimeOff>,
}

impl Calendar {
    fn new(since: NaiveDateTime) -> Self {
        Self {
            since,
            shown: BTreeMap::new(),
            dates: BTreeSet::new(),
            time_off: BTreeMap::new(),
        }
    }

    fn day(&mut self, s: &mut Store, date: NaiveDate, day: &DayRow) {
        self.dates.insert(date);
        let notes = day.notes.clone().unwrap_or_default();
        let activities = day.activities.clone().unwrap_or_default();
        if !notes.is_empty() || !activities.is_empty() {
            s.day_notes.insert(date, (notes, activities));
        }
        if let Some(c) = &day.day_color {
            s.day_colors
                .insert(date, (c.label.clone(), c.color.clone()));
        }
        for a in &day.assignments {
            self.assignment(s, date, a);
        }
        for t in &day.time_off {
            self.time_off(s, t);
        }
        for c in &day.callbacks {
            callback(s, c);
        }
        for t in &day.trades {
            trade(s, t);
        }
        for m in &day.misc {
            misc(s, date, m);
        }
    }

    fn assignment(&mut self, s: &mut Store, date: NaiveDate, row: &AssignmentDayRow) {
        let id = row.id.0;
        self.shown.entry(id).or_default().insert(date);
        let position = s
            .assignments
            .values()
            .map(|a| a.position)
            .max()
            .unwrap_or(0)
            + 1;
        let a = s
            .assignments
            .entry(id)
            .or_insert_with(|| shown_assignment(row, position));
        if row.is_finalized.0 {
            a.finalized.insert(date);
        }
        if let Some(notes) = &row.notes {
            a.notes.insert(date, notes.clone());
        }
        if a.qualifiers_needed.is_empty() {
            a.qualifiers_needed = row
                .qualifiers_needed
                .iter()
                .map(|q| (q.id.0, q.minimum_staffing.0))
                .collect();
        }
        for q in &row.qualifiers_needed {
            self.qualifier(s, q);
        }
        for sh in &row.shifts {
            self.shift(s, id, date, sh);
        }
    }

    fn qualifier(&self, s: &mut Store, row: &QualifierRow) -> u64 {
        s.qualifiers
            .entry(row.id.0)
            .or_insert_with(|| qualifier(row, self.since));
        row.id.0
    }

    fn shift(&mut self, s: &mut Store, assignment_id: u64, date: NaiveDate, row: &ShiftRow) {
        // Production shows a recurring shift under one id on every day it occurs:
        // each day's is kept, the first under the id and the others under new keys.
        let key = if s.shifts.contains_key(&row.id.0) {
            s.alloc_id()
        } else {
            row.id.0
        };
        let user_id = person(s, Some(&row.user)).unwrap_or(0);
        let scheduled_by = person(s, row.scheduled_by.as_ref()).unwrap_or(0);
        if let Some(u) = s.users.get_mut(&user_id).filter(|u| u.groups.is_empty()) {
            u.groups = row.groups.iter().map(|g| g.id.0).collect();
        }
        for g in &row.groups {
            s.groups.entry(g.id.0).or_insert_with(|| Named {
                id: g.id.0,
                name: g.name.clone(),
            });
        }
        let work_type_id = work_type(s, row.work_type.as_ref());
        let work_subtype_id = subtypes(
            s,
            row.work_type
                .as_ref()
                .map_or(&[], |w| w.subtypes.as_slice()),
            work_type_id,
        );
        let labels = row.labels.iter().map(|l| label(s, l)).collect();
        let qualifiers = row
            .qualifiers
            .iter()
            .map(|q| self.qualifier(s, q))
            .collect();
        let break_time = row.break_start.zip(row.break_end);
        s.shifts.insert(
            key,
            Shift {
                id: row.id.0,
                assignment_id,
                user_id,
                date,
                start: row.start.0,
                end: row.end.0,
                break_time,
                work_type_id: work_type_id.unwrap_or(0),
                work_subtype_id,
                scheduled_by,
                labels,
                qualifiers,
                notes: row.notes.clone(),
                recurring: row.recurring.0,
                traded_with: None,
                from_callback: None,
                created_at: row.start.0,
                updated_at: row.start.0,
            },
        );
    }

    fn time_off(&mut self, s: &mut Store, row: &TimeOffRow) {
        let user_id = person(s, Some(&row.user)).unwrap_or(0);
        let admin_id = person(s, row.admin.as_ref());
        let type_id = row.time_off_type.as_ref().map_or(0, |t| {
            let shown = TimeOffType {
                id: t.id.0,
                label: t.name.clone(),
                work_code: text(&t.work_code),
                required_buffer: 0.0,
                instance_limit: 0,
                primary_color: t.color.clone(),
                secondary_color: t.text_color.clone(),
                force_include: false,
                forward: false,
                accrual: String::new(),
            };
            s.time_off_types.entry(t.id.0).or_insert(shown);
            t.id.0
        });
        let entry = self.time_off.entry(row.id.0).or_insert_with(|| TimeOff {
            id: row.id.0,
            user_id,
            admin_id,
            type_id,
            start: row.start.0,
            end: row.end.0,
            status: APPROVED,
            request_date: row.start.0,
            approval_date: Some(row.start.0),
            user_note: row.notes.clone(),
            traded_with: None,
            shown: Some(Vec::new()),
        });
        entry.start = entry.start.min(row.start.0);
        entry.end = entry.end.max(row.end.0);
        entry
            .shown
            .get_or_insert_with(Vec::new)
            .push((row.start.0, row.end.0));
    }

    /// Stores the time off entries and what is inferred from the whole window.
    fn finish(self, s: &mut Store) {
        for (id, entry) in self.time_off {
            s.time_offs.insert(id, entry);
        }
        let weekend: Vec<NaiveDate> = self
            .dates
            .iter()
            .copied()
            .filter(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .collect();
        for (id, shown) in self.shown {
            if let Some(a) = s.assignments.get_mut(&id) {
                let first = a.start.date();
                let weekend_days = weekend.iter().filter(|d| **d >= first);
                a.weekdays_only = weekend_days.clone().next().is_some()
                    && weekend_days.clone().all(|d| !shown.contains(d));
            }
        }
    }
}

/// A CallBack the schedule shows, with its list.
fn callback(s: &mut Store, c: &CallbackRow) {
    let initiated_by = person(s, c.admin.as_ref()).unwrap_or(0);
    let title_id = c.title.as_ref().map_or(0, |t| {
        let position = s.titles.len() as i64 + 1;
        s.titles.entry(t.id.0).or_insert_with(|| ListTitle {
            id: t.id.0,
            name: t.name.clone(),
            max_consecutive_hours: 0.0,
            weekly_limit: 0.0,
            monthly_limit: 0.0,
            yearly_limit: 0.0,
            position,
            deleted: false,
        });
        t.id.0
    });
    let records: Vec<(u64, u64)> = c
        .records
        .iter()
        .map(|r| (r.id.0, person(s, Some(&r.user)).unwrap_or(0)))
        .collect();
    s.callbacks.insert(
        c.id.0,
        Callback {
            id: c.id.0,
            title_id,
            initiated_by,
            start: c.start.0,
            end: c.end.0,
            positions_to_fill: c.minimum_staffing.0,
            scheduled_to: c.start.0,
            ended_at: None,
            deadline: c.start.0,
            status: if records.is_empty() {
                "scheduled"
            } else {
                "filled"
            }
            .into(),
            records,
            contacts: Vec::new(),
        },
    );
}

/// A trade the schedule shows.
fn trade(s: &mut Store, t: &TradeRow) {
    let requesting_user = person(s, Some(&t.requesting_user)).unwrap_or(0);
    let accepting_user = person(s, t.accepting_user.as_ref());
    let admin = person(s, t.admin.as_ref());
    s.trades.insert(
        t.id.0,
        Trade {
            id: t.id.0,
            requesting_user,
            accepting_user,
            admin,
            request_date: t.start.0,
            start: t.start.0,
            end: t.end.0,
            swap_start: None,
            swap_end: None,
            status: if accepting_user.is_some() {
                "filled"
            } else {
                "pending"
            }
            .into(),
        },
    );
}

/// Misc. hours the schedule shows on `date`.
fn misc(s: &mut Store, date: NaiveDate, m: &MiscRow) {
    let start = m
        .start
        .map_or_else(|| date.and_time(NaiveTime::MIN), |l| l.0);
    let minutes = chrono::Duration::minutes((m.length.0 * 60.0).clamp(0.0, 1e6) as i64);
    let end = m.end.map_or_else(
        || start.checked_add_signed(minutes).unwrap_or(start),
        |l| l.0,
    );
    let work_type_id = work_type(s, m.work_type_details.as_ref());
    let user_id = person(s, Some(&m.user)).unwrap_or(0);
    let work_subtype_id = subtypes(s, &m.work_subtypes, work_type_id);
    s.misc_hours.insert(
        m.id.0,
        MiscHours {
            id: m.id.0,
            user_id,
            start,
            end,
            work_type_id: work_type_id.unwrap_or(0),
            work_subtype_id,
            notes: m.notes.clone(),
        },
    );
}

/// The id of a person the schedule names; a person no table lists is added with
/// the name shown, and a TargetSolutions id shown is kept.
fn person(s: &mut Store, row: Option<&PersonRow>) -> Option<u64> {
    let row = row?;
    let id = row.id.0;
    let u = s.users.entry(id).or_insert_with(|| {
        let (first_name, last_name) = split_name(row.name.as_deref().unwrap_or(""));
        User {
            id,
            first_name,
            last_name,
            role: "User".into(),
            ..User::default()
        }
    });
    if let Some(ts) = row.ts_userid {
        u.ts_userid = Some(ts.0);
    }
    Some(id)
}

fn work_type(s: &mut Store, row: Option<&CodedRow>) -> Option<u64> {
    let row = row?;
    let position = s
        .work_types
        .values()
        .map(|w| w.position)
        .max()
        .unwrap_or(-1)
        + 1;
    s.work_types.entry(row.id.0).or_insert_with(|| WorkType {
        id: row.id.0,
        label: row.name.clone(),
        work_code: text(&row.work_code),
        primary_color: row.color.clone(),
        secondary_color: row.text_color.clone(),
        excludes_from_callback: false,
        position,
    });
    Some(row.id.0)
}

/// The first of the subtypes shown (a shift has one at most), each one kept.
fn subtypes(s: &mut Store, rows: &[SubtypeRow], work_type: Option<u64>) -> Option<u64> {
    for row in rows {
        s.work_subtypes
            .entry(row.id.0)
            .or_insert_with(|| subtype(row, work_type));
    }
    rows.first().map(|r| r.id.0)
}

fn label(s: &mut Store, row: &LabelRow) -> u64 {
    let position = s.labels.len() as i64 + 1;
    s.labels.entry(row.id.0).or_insert_with(|| Label {
        id: row.id.0,
        label: row.label.clone(),
        color: row.color.clone(),
        text_color: row.text_color.clone(),
        position,
    });
    row.id.0
}
