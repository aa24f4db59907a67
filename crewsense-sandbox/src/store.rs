//! The in-memory department: plain records keyed by id. Handlers render them
//! into the API's JSON shapes; nothing here knows about HTTP.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::clock::date;

/// Records of one kind, ordered by id.
pub(crate) type Table<T> = BTreeMap<u64, T>;

/// The first id handed out to records created through the API.
const FIRST_CREATED_ID: u64 = 50_000_000;

/// A person of the department.
#[derive(Debug, Clone, Default)]
pub(crate) struct User {
    pub(crate) id: u64,
    pub(crate) employee_id: Option<String>,
    pub(crate) username: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) role: String,
    pub(crate) emails: Vec<String>,
    pub(crate) phones: Vec<String>,
    pub(crate) date_of_hire: Option<NaiveDate>,
    pub(crate) date_of_birth: Option<NaiveDate>,
    pub(crate) accrual_start_date: Option<NaiveDate>,
    pub(crate) accrual_track: Option<u64>,
    pub(crate) accrual_profile: Option<u64>,
    pub(crate) groups: Vec<u64>,
    pub(crate) titles: Vec<u64>,
    pub(crate) filters: Vec<u64>,
    /// `(qualifier id, ranking)`.
    pub(crate) qualifiers: Vec<(u64, i64)>,
    /// 0, 1 or 2 for the A, B and C platoons; `None` for day staff.
    pub(crate) platoon: Option<usize>,
    pub(crate) ts_userid: Option<u64>,
    /// Custom field values by field id.
    pub(crate) fields: BTreeMap<u64, String>,
}

impl User {
    /// "First Last", or the one name a person has (a captured department's).
    pub(crate) fn name(&self) -> String {
        if self.last_name.is_empty() {
            self.first_name.clone()
        } else {
            format!("{} {}", self.first_name, self.last_name)
        }
    }
}

/// Something with just an id and a name (accrual tracks and profiles, reasons,
/// custom field definitions, groups).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Named {
    pub(crate) id: u64,
    pub(crate) name: String,
}

/// A CallBack list, also called a title.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ListTitle {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) max_consecutive_hours: f64,
    pub(crate) weekly_limit: f64,
    pub(crate) monthly_limit: f64,
    pub(crate) yearly_limit: f64,
    pub(crate) position: i64,
    pub(crate) deleted: bool,
}

/// A specialty classification filter.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Filter {
    pub(crate) id: u64,
    pub(crate) label: String,
    pub(crate) created_on: NaiveDateTime,
    pub(crate) created_by: u64,
    pub(crate) deleted: bool,
}

/// A qualifier (Captain, Engineer...).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Qualifier {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) shortcode: String,
    pub(crate) color: String,
    pub(crate) text_color: String,
    pub(crate) title_id: Option<u64>,
    pub(crate) created_by: u64,
    pub(crate) created_on: NaiveDateTime,
    pub(crate) modified_by: Option<u64>,
    pub(crate) modified_on: Option<NaiveDateTime>,
    pub(crate) deleted_by: Option<u64>,
    pub(crate) deleted_at: Option<NaiveDateTime>,
    pub(crate) ts_credential_id: Option<u64>,
}

/// A crew scheduler label.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Label {
    pub(crate) id: u64,
    pub(crate) label: String,
    pub(crate) color: String,
    pub(crate) text_color: String,
    pub(crate) position: i64,
}

/// A work type (Regular Time, Overtime...).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WorkType {
    pub(crate) id: u64,
    pub(crate) label: String,
    pub(crate) work_code: Option<String>,
    pub(crate) primary_color: String,
    pub(crate) secondary_color: String,
    pub(crate) excludes_from_callback: bool,
    pub(crate) position: i64,
}

/// A subtype of a work type.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WorkSubtype {
    pub(crate) id: u64,
    pub(crate) work_type_id: u64,
    pub(crate) label: String,
    pub(crate) work_code: Option<String>,
}

/// Where an assignment is.
#[derive(Debug, Clone)]
pub(crate) struct Location {
    pub(crate) address: String,
    pub(crate) city: String,
    pub(crate) state: String,
    pub(crate) zip: String,
    pub(crate) latitude: String,
    pub(crate) longitude: String,
}

/// A daily-recurring assignment (a station, an apparatus, a post).
#[derive(Debug, Clone)]
pub(crate) struct Assignment {
    pub(crate) id: u64,
    pub(crate) position: i64,
    pub(crate) name: String,
    /// The first occurrence.
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
    pub(crate) positions_to_fill: i64,
    pub(crate) is_work_shift: bool,
    pub(crate) self_scheduling: bool,
    pub(crate) self_scheduling_requires_approval: bool,
    pub(crate) crewsense_eligible: bool,
    pub(crate) hide_open_slots: bool,
    pub(crate) weekdays_only: bool,
    pub(crate) color: String,
    pub(crate) location: Option<Location>,
    pub(crate) groups: Vec<u64>,
    pub(crate) admins: Vec<u64>,
    /// `(qualifier id, minimum staffing)`.
    pub(crate) qualifiers_needed: Vec<(u64, i64)>,
    pub(crate) finalized: BTreeSet<NaiveDate>,
    pub(crate) notes: BTreeMap<NaiveDate, String>,
}

impl Assignment {
    pub(crate) fn occurs_on(&self, day: NaiveDate) -> bool {
        day >= self.start.date()
            && !(self.weekdays_only && matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The occurrence's start and end on `day`.
    pub(crate) fn window(&self, day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
        let start = day.and_time(self.start.time());
        (start, start + (self.end - self.start))
    }
}

/// A person booked on an assignment for one day.
#[derive(Debug, Clone)]
pub(crate) struct Shift {
    pub(crate) id: u64,
    pub(crate) assignment_id: u64,
    pub(crate) user_id: u64,
    pub(crate) date: NaiveDate,
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
    /// The unpaid break inside the shift, `(start, end)`.
    pub(crate) break_time: Option<(NaiveDateTime, NaiveDateTime)>,
    pub(crate) work_type_id: u64,
    pub(crate) work_subtype_id: Option<u64>,
    pub(crate) scheduled_by: u64,
    pub(crate) labels: Vec<u64>,
    pub(crate) qualifiers: Vec<u64>,
    pub(crate) notes: Option<String>,
    pub(crate) recurring: bool,
    pub(crate) traded_with: Option<u64>,
    pub(crate) from_callback: Option<u64>,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) updated_at: NaiveDateTime,
}

/// A kind of leave.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TimeOffType {
    pub(crate) id: u64,
    pub(crate) label: String,
    pub(crate) work_code: Option<String>,
    pub(crate) required_buffer: f64,
    pub(crate) instance_limit: i64,
    pub(crate) primary_color: String,
    pub(crate) secondary_color: String,
    pub(crate) force_include: bool,
    pub(crate) forward: bool,
    /// How hours accrue, in words.
    pub(crate) accrual: String,
}

/// Time off status codes.
pub(crate) const PENDING: i64 = 0;
pub(crate) const APPROVED: i64 = 1;
pub(crate) const DENIED: i64 = 2;

/// A time off entry.
#[derive(Debug, Clone)]
pub(crate) struct TimeOff {
    pub(crate) id: u64,
    pub(crate) user_id: u64,
    pub(crate) admin_id: Option<u64>,
    pub(crate) type_id: u64,
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
    pub(crate) status: i64,
    pub(crate) request_date: NaiveDateTime,
    pub(crate) approval_date: Option<NaiveDateTime>,
    pub(crate) user_note: Option<String>,
    pub(crate) traded_with: Option<u64>,
    /// The occurrences a capture showed (a loaded department's entries, whose
    /// days need not follow the rotation); a change of dates forgets them.
    pub(crate) shown: Option<Vec<(NaiveDateTime, NaiveDateTime)>>,
}

/// A shift trade.
#[derive(Debug, Clone)]
pub(crate) struct Trade {
    pub(crate) id: u64,
    pub(crate) requesting_user: u64,
    pub(crate) accepting_user: Option<u64>,
    pub(crate) admin: Option<u64>,
    pub(crate) request_date: NaiveDateTime,
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
    pub(crate) swap_start: Option<NaiveDateTime>,
    pub(crate) swap_end: Option<NaiveDateTime>,
    pub(crate) status: String,
}

/// A date range drawn in the calendar.
#[derive(Debug, Clone)]
pub(crate) struct VisualCycle {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
    pub(crate) color: String,
    pub(crate) text_color: String,
    pub(crate) created_by: u64,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) deleted_by: Option<u64>,
    pub(crate) deleted_at: Option<NaiveDateTime>,
}

/// A certification the organisation tracks.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Certification {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) cert_id: String,
    pub(crate) created_by: u64,
    pub(crate) deleted: bool,
}

/// A user's certification record (free-form fields, like the reference).
#[derive(Debug, Clone)]
pub(crate) struct UserCertification {
    pub(crate) user_id: u64,
    pub(crate) details: Map<String, Value>,
}

/// A system log entry.
#[derive(Debug, Clone)]
pub(crate) struct LogEntry {
    pub(crate) id: u64,
    pub(crate) created: NaiveDateTime,
    pub(crate) description: String,
    pub(crate) user_id: u64,
}

/// A CallBack (an overtime call-out).
#[derive(Debug, Clone)]
pub(crate) struct Callback {
    pub(crate) id: u64,
    pub(crate) title_id: u64,
    pub(crate) initiated_by: u64,
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
    pub(crate) positions_to_fill: i64,
    pub(crate) scheduled_to: NaiveDateTime,
    pub(crate) ended_at: Option<NaiveDateTime>,
    pub(crate) deadline: NaiveDateTime,
    pub(crate) status: String,
    /// Who was booked: `(record id, user id)`.
    pub(crate) records: Vec<(u64, u64)>,
    pub(crate) contacts: Vec<CallbackContact>,
}

/// One person a CallBack contacted.
#[derive(Debug, Clone)]
pub(crate) struct CallbackContact {
    pub(crate) user_id: u64,
    pub(crate) status: String,
    pub(crate) contact_method: String,
    pub(crate) contact_time: NaiveDateTime,
    pub(crate) response_time: Option<NaiveDateTime>,
}

/// Miscellaneous hours (training, details, signups).
#[derive(Debug, Clone)]
pub(crate) struct MiscHours {
    pub(crate) id: u64,
    pub(crate) user_id: u64,
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
    pub(crate) work_type_id: u64,
    pub(crate) work_subtype_id: Option<u64>,
    pub(crate) notes: Option<String>,
}

/// A Signup Board event.
#[derive(Debug, Clone)]
pub(crate) struct SignupEvent {
    pub(crate) id: u64,
    pub(crate) work_type_id: u64,
    pub(crate) work_subtype_id: Option<u64>,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
    pub(crate) created_by: u64,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) modified_by: u64,
    pub(crate) modified_at: NaiveDateTime,
    pub(crate) deleted_by: Option<u64>,
    pub(crate) deleted_at: Option<NaiveDateTime>,
    pub(crate) employees_needed: i64,
    /// `(signup id, user id, misc hours id)`.
    pub(crate) signups: Vec<(u64, u64, u64)>,
}

impl SignupEvent {
    /// The status the API reports, derived from the signups and the clock.
    pub(crate) fn status(&self, now: NaiveDateTime) -> &'static str {
        let taken = self.signups.len() as i64;
        match () {
            _ if self.deleted_at.is_some() => "deleted",
            _ if taken >= self.employees_needed => "filled",
            _ if self.end <= now => "not_filled",
            _ if taken > 0 => "partially_filled",
            _ => "active",
        }
    }
}

/// A period in which someone is unavailable.
#[derive(Debug, Clone)]
pub(crate) struct Availability {
    pub(crate) id: u64,
    pub(crate) user_id: u64,
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
    pub(crate) admin_id: Option<u64>,
    pub(crate) notes: Option<String>,
    pub(crate) reason_id: Option<u64>,
}

/// A company announcement.
#[derive(Debug, Clone)]
pub(crate) struct Announcement {
    pub(crate) id: u64,
    pub(crate) title: Option<String>,
    pub(crate) body: String,
    pub(crate) user_id: u64,
    pub(crate) deleted: bool,
}

/// One answer of a form submission.
#[derive(Debug, Clone)]
pub(crate) enum Answer {
    One(String),
    Many(Vec<String>),
}

/// A filled-in form.
#[derive(Debug, Clone)]
pub(crate) struct FormSubmission {
    pub(crate) user_id: u64,
    pub(crate) submitted_at: NaiveDateTime,
    pub(crate) answers: Vec<(String, Answer)>,
}

/// A form and its submissions.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub(crate) id: u64,
    pub(crate) title: String,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) created_by: u64,
    pub(crate) submissions: Vec<FormSubmission>,
}

/// The bulletin board.
#[derive(Debug, Clone)]
pub(crate) struct BulletinBoard {
    pub(crate) content: String,
    pub(crate) last_updated_by: u64,
    pub(crate) last_updated_at: NaiveDateTime,
}

/// Records that are soft-deleted: kept, but gone for the API.
pub(crate) trait SoftDelete {
    fn is_deleted(&self) -> bool;
}

macro_rules! soft_delete {
    ($($ty:ty => |$r:ident| $deleted:expr),* $(,)?) => {
        $(impl SoftDelete for $ty {
            fn is_deleted(&self) -> bool {
                let $r = self;
                $deleted
            }
        })*
    };
}

soft_delete! {
    Announcement => |r| r.deleted,
    Filter => |r| r.deleted,
    SignupEvent => |r| r.deleted_at.is_some(),
    VisualCycle => |r| r.deleted_at.is_some(),
}

/// The whole department.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    next_id: u64,
    pub(crate) company_name: String,
    pub(crate) users: Table<User>,
    pub(crate) custom_fields: Table<Named>,
    pub(crate) accrual_tracks: Table<Named>,
    pub(crate) accrual_profiles: Table<Named>,
    pub(crate) groups: Table<Named>,
    pub(crate) titles: Table<ListTitle>,
    pub(crate) filters: Table<Filter>,
    pub(crate) qualifiers: Table<Qualifier>,
    pub(crate) labels: Table<Label>,
    pub(crate) work_types: Table<WorkType>,
    pub(crate) work_subtypes: Table<WorkSubtype>,
    pub(crate) assignments: Table<Assignment>,
    pub(crate) shifts: Table<Shift>,
    pub(crate) time_off_types: Table<TimeOffType>,
    pub(crate) time_offs: Table<TimeOff>,
    /// Banked hours by `(user id, time off type id)`.
    pub(crate) banks: BTreeMap<(u64, u64), f64>,
    pub(crate) trades: Table<Trade>,
    pub(crate) visual_cycles: Table<VisualCycle>,
    pub(crate) certifications: Table<Certification>,
    pub(crate) user_certifications: Table<UserCertification>,
    pub(crate) logs: Table<LogEntry>,
    pub(crate) callbacks: Table<Callback>,
    pub(crate) misc_hours: Table<MiscHours>,
    pub(crate) signup_events: Table<SignupEvent>,
    pub(crate) availability: Table<Availability>,
    pub(crate) unavailability_reasons: Table<Named>,
    pub(crate) announcements: Table<Announcement>,
    pub(crate) forms: Table<Form>,
    pub(crate) bulletin_board: Option<BulletinBoard>,
    /// Day header notes and activities by date.
    pub(crate) day_notes: BTreeMap<NaiveDate, (String, String)>,
    /// `(label, color)` of a day whose platoon colour is not the rotation's (a
    /// loaded department's).
    pub(crate) day_colors: BTreeMap<NaiveDate, (Option<String>, Option<String>)>,
    /// ReadyAlerts sent per day (the API allows 30).
    pub(crate) ready_alerts: BTreeMap<NaiveDate, u32>,
}

/// Platoon names and colours, in rotation order.
pub(crate) const PLATOONS: [(&str, &str); 3] = [
    ("A Shift", "#1cf410"),
    ("B Shift", "#e53935"),
    ("C Shift", "#1e88e5"),
];

/// The platoon on duty on `day` (24 on, 48 off, A on 2025-01-01).
pub(crate) fn platoon_on(day: NaiveDate) -> usize {
    (day - date(2025, 1, 1)).num_days().rem_euclid(3) as usize
}

/// Every day in `start..end`.
pub(crate) fn days(start: NaiveDate, end: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    start.iter_days().take_while(move |d| *d < end)
}

impl Store {
    pub(crate) fn new() -> Self {
        Self {
            next_id: FIRST_CREATED_ID,
            ..Self::default()
        }
    }

    /// Makes the ids handed out from now on larger than `id` (a loaded department's
    /// records keep theirs).
    pub(crate) fn allocate_after(&mut self, id: u64) {
        self.next_id = self.next_id.max(id);
    }

    /// A fresh id for a record created through the API (never reused).
    pub(crate) fn alloc_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Whether `id` names a user.
    pub(crate) fn is_user(&self, id: u64) -> bool {
        self.users.contains_key(&id)
    }

    /// A user's display name, or a placeholder for an unknown id.
    pub(crate) fn user_name(&self, id: u64) -> String {
        self.users
            .get(&id)
            .map_or_else(|| format!("User #{id}"), User::name)
    }

    /// Whether `start..end` overlaps `from..to`.
    pub(crate) fn overlaps(
        start: NaiveDateTime,
        end: NaiveDateTime,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> bool {
        start < to && end > from
    }

    /// The occurrences of a time off entry: those a capture showed, or 24-hour
    /// segments from its start, only those on the user's duty days for platoon
    /// members (all of them when none is).
    pub(crate) fn segments(&self, t: &TimeOff) -> Vec<(NaiveDateTime, NaiveDateTime)> {
        if let Some(shown) = &t.shown {
            return shown.clone();
        }
        let mut all = Vec::new();
        let mut from = t.start;
        while from < t.end {
            let to = (from + Duration::days(1)).min(t.end);
            all.push((from, to));
            from = to;
        }
        let platoon = self.users.get(&t.user_id).and_then(|u| u.platoon);
        let duty: Vec<_> = all
            .iter()
            .copied()
            .filter(|(from, _)| platoon.is_none_or(|p| platoon_on(from.date()) == p))
            .collect();
        if duty.is_empty() { all } else { duty }
    }

    /// Appends a log entry stamped `at`.
    pub(crate) fn log(&mut self, at: NaiveDateTime, user_id: u64, description: String) {
        let id = self.logs.keys().next_back().map_or(1, |k| k + 1);
        let created = self
            .logs
            .values()
            .next_back()
            .map_or(at, |last| at.max(last.created + Duration::seconds(1)));
        self.logs.insert(
            id,
            LogEntry {
                id,
                created,
                description,
                user_id,
            },
        );
    }
}
