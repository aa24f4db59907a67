//! The deterministic department: one fire district with three platoons working
//! 24 hours on, 48 off, through the year 2025 (see [`crate::clock::anchor`] for
//! "today"), and day staff on weekdays, with lunch breaks and one part-time day.
//! Every random choice comes from one seeded [`Rng`], so the same seed always
//! yields the same data. Beside the vacancies that time off leaves, the first week
//! of June 2025 has three short days whatever the seed: see
//! [`Builder::staffing_gaps`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use serde_json::json;

use crate::clock::{anchor, date, fmt_date, hms};
use crate::reference::Reference;
use crate::rng::Rng;
use crate::store::*;

/// The first day of the seeded year and the day after its last.
pub(crate) fn window() -> (NaiveDate, NaiveDate) {
    (date(2025, 1, 1), date(2026, 1, 1))
}

// Fixed ids of the reference data, so tests and docs can name them.
/// The company id every record belongs to.
pub(crate) const COMPANY_ID: u64 = 8;
pub(crate) const SCHEDULER: u64 = 1059;
pub(crate) const CHIEF: u64 = 1055;
const WT_REGULAR: u64 = 15784;
const WT_OVERTIME: u64 = 15785;
const WT_TRAINING: u64 = 15787;
const WT_DETAIL: u64 = 15789;
const ST_VOLUNTARY_OT: u64 = 9;
const ST_CLASSROOM: u64 = 10;

/// A seat on an apparatus: the assignment and the qualifier it needs.
#[derive(Clone, Copy)]
struct Seat {
    assignment: u64,
    qualifier: u64,
}

const Q_CPT: u64 = 9869;
const Q_ENG: u64 = 9870;
const Q_FF: u64 = 9871;
const Q_PM: u64 = 9872;
const Q_BC: u64 = 9873;
const Q_EMT: u64 = 9874;
const Q_HAZ: u64 = 9875;

/// The seats of one platoon, each filled by one of its 18 people.
const SEATS: [(u64, u64); PER_PLATOON] = [
    (64290, Q_BC),
    (64291, Q_CPT),
    (64291, Q_ENG),
    (64291, Q_FF),
    (64292, Q_CPT),
    (64292, Q_ENG),
    (64292, Q_FF),
    (64292, Q_FF),
    (64293, Q_PM),
    (64293, Q_PM),
    (64294, Q_CPT),
    (64294, Q_ENG),
    (64294, Q_FF),
    (64295, Q_PM),
    (64296, Q_CPT),
    (64296, Q_ENG),
    (64296, Q_FF),
    (64297, Q_FF),
];
const PER_PLATOON: usize = 18;

/// The hours of a day-staff post: from `start` to `end` o'clock, with a break
/// `(hour, minute, minutes long)`.
#[derive(Clone, Copy)]
struct DayHours {
    start: u32,
    end: u32,
    pause: Option<(u32, u32, i64)>,
}

/// Who staffs the day-staff assignments on the weekday `day`, and when: lunch breaks,
/// and the administrative assistant works Friday mornings only.
fn staff_posts(day: NaiveDate) -> [(u64, u64, DayHours); 3] {
    let full = |pause| DayHours {
        start: 8,
        end: 17,
        pause: Some(pause),
    };
    let assistant = if day.weekday() == Weekday::Fri {
        DayHours {
            start: 8,
            end: 12,
            pause: None,
        }
    } else {
        full((12, 30, 30))
    };
    [
        (1057, 64298, full((12, 0, 30))),
        (1060, 64298, assistant),
        (1058, 64299, full((12, 0, 60))),
    ]
}

/// Builds the whole department for `seed`.
pub(crate) fn department(seed: u64) -> Store {
    let mut b = Builder {
        s: Store::new(),
        data: Reference::load(),
        rng: Rng::new(seed),
        seats: HashMap::new(),
        shift_of: HashMap::new(),
        next: 1,
    };
    b.s.company_name = "Sandbox Valley Fire District".into();
    b.reference_data();
    b.users();
    b.assignments();
    b.time_off();
    b.shifts();
    b.callbacks();
    b.trades();
    b.staffing_gaps();
    b.misc_and_signups();
    b.availability();
    b.certifications();
    b.logs();
    b.announcements_forms_board();
    b.s
}

struct Builder {
    s: Store,
    /// The reference tables of `data/`.
    data: Reference,
    rng: Rng,
    /// The home seat of each line user.
    seats: HashMap<u64, Seat>,
    /// The seeded shift of `(user, day)`.
    shift_of: HashMap<(u64, NaiveDate), u64>,
    /// Counter for ids of records that have no fixed range.
    next: u64,
}

fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_time(hms(h, m, 0))
}

impl Builder {
    fn id(&mut self, base: u64) -> u64 {
        self.next += 1;
        base + self.next
    }

    fn random_day(&mut self) -> NaiveDate {
        let (start, _) = window();
        start + Duration::days(self.rng.below(365) as i64)
    }

    /// Puts `records` into `table` under their ids.
    fn fill<T: Clone>(table: &mut Table<T>, records: &[T], id: impl Fn(&T) -> u64) {
        table.extend(records.iter().map(|r| (id(r), r.clone())));
    }

    /// The reference tables of `data/`, and the visual cycles of the year.
    fn reference_data(&mut self) {
        let (s, d) = (&mut self.s, &self.data);
        let named = &d.named;
        for (table, records) in [
            (&mut s.custom_fields, &named.custom_fields),
            (&mut s.accrual_tracks, &named.accrual_tracks),
            (&mut s.accrual_profiles, &named.accrual_profiles),
            (&mut s.groups, &named.groups),
            (&mut s.unavailability_reasons, &named.unavailability_reasons),
        ] {
            Self::fill(table, records, |r| r.id);
        }
        Self::fill(&mut s.titles, &d.titles, |r| r.id);
        Self::fill(&mut s.qualifiers, &d.qualifiers, |r| r.id);
        Self::fill(&mut s.filters, &d.filters, |r| r.id);
        Self::fill(&mut s.labels, &d.labels, |r| r.id);
        Self::fill(&mut s.work_types, &d.work_types, |r| r.id);
        Self::fill(&mut s.work_subtypes, &d.work_subtypes, |r| r.id);
        Self::fill(&mut s.time_off_types, &d.time_off_types, |r| r.id);
        Self::fill(&mut s.certifications, &d.certifications, |r| r.id);
        let (start, end) = window();
        let mut cycle_start = start;
        let mut n = 1;
        while cycle_start < end {
            let id = 1 + n;
            s.visual_cycles.insert(
                id,
                VisualCycle {
                    id,
                    name: format!("FLSA Cycle #{n}"),
                    start: cycle_start,
                    end: cycle_start + Duration::days(27),
                    color: if n % 2 == 0 { "#f00" } else { "#0a0" }.into(),
                    text_color: "#fff".into(),
                    created_by: CHIEF,
                    created_at: at(date(2024, 12, 2), 4, 34),
                    deleted_by: None,
                    deleted_at: None,
                },
            );
            cycle_start += Duration::days(28);
            n += 1;
        }
    }

    fn users(&mut self) {
        let (firsts, lasts) = (
            self.data.names.first_names.clone(),
            self.data.names.last_names.clone(),
        );
        let mut names = BTreeSet::new();
        let staff = [
            ("Chief", "Administrator", Q_BC),
            ("Deputy Chief", "Administrator", Q_BC),
            ("Fire Marshal", "Supervisor", Q_CPT),
            ("Training Captain", "Supervisor", Q_CPT),
            ("Scheduler", "Scheduler", Q_EMT),
            ("Administrative Assistant", "User", Q_EMT),
        ];
        for i in 0..(3 * PER_PLATOON + staff.len()) {
            let id = 1001 + i as u64;
            let (first, last) = loop {
                let f = self.rng.pick(&firsts).as_str();
                let l = self.rng.pick(&lasts).as_str();
                if names.insert((f, l)) {
                    break (f, l);
                }
            };
            let line = i < 3 * PER_PLATOON;
            let (platoon, seat) = if line {
                let (a, q) = SEATS[i % PER_PLATOON];
                (
                    Some(i / PER_PLATOON),
                    Some(Seat {
                        assignment: a,
                        qualifier: q,
                    }),
                )
            } else {
                (None, None)
            };
            let qualifier = seat.map_or_else(|| staff[i - 3 * PER_PLATOON].2, |s| s.qualifier);
            let role = if line {
                "User"
            } else {
                staff[i - 3 * PER_PLATOON].1
            };
            let hired = date(
                1998 + self.rng.below(26) as i32,
                1 + self.rng.below(12) as u32,
                1 + self.rng.below(28) as u32,
            );
            let born = date(
                1965 + self.rng.below(35) as i32,
                1 + self.rng.below(12) as u32,
                1 + self.rng.below(28) as u32,
            );
            let username = format!("{}{}", first[..1].to_lowercase(), last.to_lowercase());
            let mut qualifiers = vec![qualifier];
            qualifiers.extend(match qualifier {
                Q_BC => vec![Q_CPT],
                Q_CPT => vec![Q_ENG, Q_FF, Q_EMT],
                Q_ENG => vec![Q_FF, Q_EMT],
                Q_FF | Q_PM => vec![Q_EMT],
                _ => vec![],
            });
            if self.rng.chance(20) {
                qualifiers.push(Q_HAZ);
            }
            let titles = match qualifier {
                Q_BC => vec![105, 101],
                Q_CPT => vec![101, 102],
                Q_ENG => vec![102, 103],
                Q_PM => vec![104],
                _ => vec![103],
            };
            let mut groups = Vec::new();
            match (platoon, seat) {
                (Some(p), Some(seat)) => {
                    groups.push(2001 + p as u64);
                    groups.push(match seat.assignment {
                        64290..=64293 => 2004,
                        64294 | 64295 => 2005,
                        _ => 2006,
                    });
                    if seat.qualifier == Q_PM {
                        groups.push(2008);
                    }
                }
                _ => groups.push(2007),
            }
            let filters = (7..=10).filter(|_| self.rng.chance(25)).collect();
            let years = (date(2025, 1, 1) - hired).num_days() / 365;
            let user = User {
                id,
                employee_id: Some(format!("E{:04}", 100 + i)),
                username,
                first_name: first.into(),
                last_name: last.into(),
                role: role.into(),
                emails: vec![format!(
                    "{}.{}@sandboxvalleyfire.example",
                    first.to_lowercase(),
                    last.to_lowercase()
                )],
                phones: vec![format!("555{:07}", self.rng.below(10_000_000))],
                date_of_hire: Some(hired),
                date_of_birth: Some(born),
                accrual_start_date: Some(hired),
                accrual_track: Some(if line { 4 } else { 5 }),
                accrual_profile: Some(match (line, years) {
                    (false, _) => 8,
                    (_, 0..5) => 5,
                    (_, 5..10) => 6,
                    _ => 7,
                }),
                groups,
                titles,
                filters,
                qualifiers: qualifiers
                    .into_iter()
                    .enumerate()
                    .map(|(r, q)| (q, r as i64 + 1))
                    .collect(),
                platoon,
                // Not `is_multiple_of`: it needs Rust 1.87, the code builds with 1.85.
                #[allow(clippy::manual_is_multiple_of)]
                ts_userid: (id % 3 != 0).then_some(8_700_000 + id * 7),
                fields: BTreeMap::from([
                    (1, "0".to_owned()),
                    (2, self.rng.pick(&["S", "M", "L", "XL"]).to_string()),
                    (3, "1".to_owned()),
                ]),
            };
            if let Some(seat) = seat {
                self.seats.insert(id, seat);
            }
            for type_id in self.s.time_off_types.keys().copied().collect::<Vec<_>>() {
                let hours = self.rng.range(0, 4_000_000) as f64 / 10_000.0;
                self.s.banks.insert((id, type_id), hours);
            }
            self.s.users.insert(id, user);
        }
    }

    fn assignments(&mut self) {
        let (first, _) = window();
        let data = &self.data.assignments;
        // Line units need their seats; day staff (a head count, no qualifiers) `Some`.
        for (i, row) in data.assignments.iter().enumerate() {
            let (id, station, quals) = (row.id, row.station, &row.qualifiers_needed);
            let Some(st) = data.stations.get(station) else {
                continue;
            };
            let day_staff = row.staff_minimum.is_some();
            let positions = row
                .staff_minimum
                .unwrap_or_else(|| quals.iter().map(|(_, n)| n).sum());
            let start = at(first, 8, 0);
            self.s.assignments.insert(
                id,
                Assignment {
                    id,
                    position: i as i64 + 1,
                    name: row.name.clone(),
                    start,
                    end: if day_staff {
                        at(first, 17, 0)
                    } else {
                        start + Duration::days(1)
                    },
                    positions_to_fill: positions,
                    is_work_shift: true,
                    self_scheduling: day_staff,
                    self_scheduling_requires_approval: day_staff,
                    crewsense_eligible: !day_staff,
                    hide_open_slots: false,
                    weekdays_only: day_staff,
                    color: if day_staff { "#F5F4F2" } else { "#CCCCCC" }.into(),
                    location: Some(Location {
                        address: st.address.clone(),
                        city: "Mesa".into(),
                        state: "AZ".into(),
                        zip: st.zip.clone(),
                        latitude: st.latitude.clone(),
                        longitude: st.longitude.clone(),
                    }),
                    groups: if day_staff {
                        vec![2007]
                    } else {
                        vec![2004 + station as u64]
                    },
                    admins: vec![SCHEDULER, CHIEF],
                    qualifiers_needed: quals.clone(),
                    finalized: BTreeSet::new(),
                    notes: BTreeMap::new(),
                },
            );
        }
        // Past days of the line assignments are finalized, except a few stragglers.
        let today = anchor().date();
        for a in self.s.assignments.values_mut().filter(|a| !a.weekdays_only) {
            a.finalized = days(window().0, today)
                .filter(|_| self.rng.chance(95))
                .collect();
        }
        if let Some(e1) = self.s.assignments.get_mut(&64291) {
            e1.notes.insert(
                date(2025, 6, 1),
                "Engine 1 out of service 10:00-14:00 for pump test".into(),
            );
        }
    }

    /// A duty day of `platoon` near the random day `d`.
    fn duty_day(d: NaiveDate, platoon: usize) -> NaiveDate {
        (0..3)
            .map(|k| d + Duration::days(k))
            .find(|d| platoon_on(*d) == platoon)
            .unwrap_or(d)
    }

    fn time_off(&mut self) {
        let now = anchor();
        let types: Vec<u64> = self.s.time_off_types.keys().copied().collect();
        let line: Vec<(u64, usize)> = self
            .s
            .users
            .values()
            .filter_map(|u| u.platoon.map(|p| (u.id, p)))
            .collect();
        let mut id = 13_820_700;
        for (user, platoon) in line {
            let entries = 4 + self.rng.below(3);
            for k in 0..entries {
                let day = Self::duty_day(self.random_day(), platoon);
                let start = at(day, 8, 0);
                let long = k == 0 && self.rng.chance(30);
                let end = start + Duration::days(if long { 7 } else { 1 });
                let type_id = if long { 16248 } else { *self.rng.pick(&types) };
                let status = if start > now {
                    if self.rng.chance(40) {
                        PENDING
                    } else {
                        APPROVED
                    }
                } else if self.rng.chance(8) {
                    DENIED
                } else {
                    APPROVED
                };
                let request_date = start - Duration::days(3 + self.rng.below(40) as i64)
                    + Duration::minutes(self.rng.range(0, 600));
                id += 1 + self.rng.below(40);
                self.s.time_offs.insert(
                    id,
                    TimeOff {
                        id,
                        user_id: user,
                        admin_id: (status != PENDING).then_some(SCHEDULER),
                        type_id,
                        start,
                        end,
                        status,
                        request_date,
                        approval_date: (status == APPROVED)
                            .then(|| request_date + Duration::hours(3)),
                        user_note: self.rng.chance(30).then(|| "Family commitment".to_owned()),
                        traded_with: None,
                        shown: None,
                    },
                );
            }
        }
    }

    /// Whether `user` has approved time off covering the shift starting at `start`.
    fn is_off(&self, user: u64, start: NaiveDateTime) -> bool {
        self.s
            .time_offs
            .values()
            .any(|t| t.user_id == user && t.status == APPROVED && t.start <= start && t.end > start)
    }

    fn shifts(&mut self) {
        let (first, end) = window();
        let created = at(date(2024, 12, 15), 9, 30);
        let mut off: BTreeSet<(u64, NaiveDate)> = BTreeSet::new();
        for t in self.s.time_offs.values().filter(|t| t.status == APPROVED) {
            for d in days(t.start.date(), t.end.date()) {
                off.insert((t.user_id, d));
            }
        }
        // A line shift carries every qualifier of its person, their seat's first.
        let line: Vec<(u64, usize, Seat, Vec<u64>)> = self
            .s
            .users
            .values()
            .filter_map(|u| {
                let qualifiers = u.qualifiers.iter().map(|(q, _)| *q).collect();
                Some((u.id, u.platoon?, *self.seats.get(&u.id)?, qualifiers))
            })
            .collect();
        let mut id = 29_839_000;
        for day in days(first, end) {
            let on = platoon_on(day);
            let mut bookings: Vec<(u64, u64, Vec<u64>, Option<DayHours>)> = line
                .iter()
                .filter(|(user, p, _, _)| *p == on && !off.contains(&(*user, day)))
                .map(|(user, _, seat, quals)| (*user, seat.assignment, quals.clone(), None))
                .collect();
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                bookings.extend(
                    staff_posts(day)
                        .into_iter()
                        .map(|(u, a, hours)| (u, a, Vec::new(), Some(hours))),
                );
            }
            for (user, assignment, qualifiers, hours) in bookings {
                let window = self.s.assignments[&assignment].window(day);
                let (start, end, break_time) = match hours {
                    Some(DayHours { start, end, pause }) => {
                        (at(day, start, 0), at(day, end, 0), pause)
                    }
                    None => (window.0, window.1, None),
                };
                let break_time = break_time.map(|(h, m, minutes)| {
                    let from = at(day, h, m);
                    (from, from + Duration::minutes(minutes))
                });
                id += 1;
                self.shift_of.insert((user, day), id);
                self.s.shifts.insert(
                    id,
                    Shift {
                        id,
                        assignment_id: assignment,
                        user_id: user,
                        date: day,
                        start,
                        end,
                        break_time,
                        work_type_id: WT_REGULAR,
                        work_subtype_id: None,
                        scheduled_by: SCHEDULER,
                        labels: Vec::new(),
                        qualifiers,
                        notes: None,
                        recurring: true,
                        traded_with: None,
                        from_callback: None,
                        created_at: created,
                        updated_at: created,
                    },
                );
            }
        }
    }

    /// The regular holder of the seat `(assignment, qualifier)` in the platoon on duty
    /// on `day` (the first, for a seat a platoon has twice).
    fn seated(&self, assignment: u64, qualifier: u64, day: NaiveDate) -> Option<u64> {
        let mut holders: Vec<u64> = self
            .seats
            .iter()
            .filter(|(user, seat)| {
                seat.assignment == assignment
                    && seat.qualifier == qualifier
                    && self.s.users.get(user).and_then(|u| u.platoon) == Some(platoon_on(day))
            })
            .map(|(user, _)| *user)
            .collect();
        holders.sort_unstable();
        holders.first().copied()
    }

    /// Takes off the shifts of `day` on the seat `(assignment, qualifier)`, one the
    /// unit has once (whoever works it, by trade or CallBack), and the CallBacks that
    /// filled it.
    fn vacate(&mut self, assignment: u64, qualifier: u64, day: NaiveDate) {
        let on_seat = |sh: &Shift| {
            sh.assignment_id == assignment
                && sh.date == day
                && sh.qualifiers.first() == Some(&qualifier)
        };
        let callbacks: Vec<u64> = self
            .s
            .shifts
            .values()
            .filter(|sh| on_seat(sh))
            .filter_map(|sh| sh.from_callback)
            .collect();
        self.s.shifts.retain(|_, sh| !on_seat(sh));
        self.s.callbacks.retain(|id, _| !callbacks.contains(id));
    }

    /// Approved time off of `type_id` for the 24 hours from 08:00 on `day`, unless
    /// `user` is off then already.
    fn day_off(&mut self, user: u64, day: NaiveDate, type_id: u64) {
        let start = at(day, 8, 0);
        if self.is_off(user, start) {
            return;
        }
        let id = self.id(13_900_000);
        let request_date = start - Duration::days(2);
        self.s.time_offs.insert(
            id,
            TimeOff {
                id,
                user_id: user,
                admin_id: Some(SCHEDULER),
                type_id,
                start,
                end: start + Duration::days(1),
                status: APPROVED,
                request_date,
                approval_date: Some(request_date + Duration::hours(3)),
                user_note: None,
                traded_with: None,
                shown: None,
            },
        );
    }

    /// An off-duty firefighter on `day` who is neither engineer nor captain.
    fn plain_firefighter(&self, day: NaiveDate) -> Option<u64> {
        self.relief_pool(Q_FF, day).into_iter().find(|u| {
            self.s
                .users
                .get(u)
                .is_some_and(|u| u.qualifiers.iter().all(|(q, _)| *q != Q_ENG))
        })
    }

    /// A shift of `user` on `assignment` from `start` to `end`, regular or overtime,
    /// carrying the qualifiers `user` holds.
    fn book(
        &mut self,
        user: u64,
        assignment: u64,
        (start, end): (NaiveDateTime, NaiveDateTime),
        overtime: bool,
        note: String,
    ) {
        let id = self.id(31_900_000);
        let qualifiers = self
            .s
            .users
            .get(&user)
            .map_or_else(Vec::new, |u| u.qualifiers.iter().map(|(q, _)| *q).collect());
        self.s.shifts.insert(
            id,
            Shift {
                id,
                assignment_id: assignment,
                user_id: user,
                date: start.date(),
                start,
                end,
                break_time: None,
                work_type_id: if overtime { WT_OVERTIME } else { WT_REGULAR },
                work_subtype_id: overtime.then_some(ST_VOLUNTARY_OT),
                scheduled_by: SCHEDULER,
                labels: Vec::new(),
                qualifiers,
                notes: Some(note),
                recurring: false,
                traded_with: None,
                from_callback: None,
                created_at: start - Duration::hours(20),
                updated_at: start - Duration::hours(20),
            },
        );
    }

    /// Three short days in the first week of June 2025, whatever the seed drew:
    /// - June 3, E2: the engineer is off sick and nobody covers (two of three on
    ///   duty, the engineer's seat empty);
    /// - June 4, E3: the firefighter goes home at 13:00 and the relief arrives at
    ///   17:00 (short in between only);
    /// - June 5, E1: the engineer is on vacation and a firefighter covers, so the crew
    ///   has its head count and the captain is also an engineer, but one person
    ///   fills one seat: the engineer's seat stays empty, which a head count or a
    ///   count per qualifier would miss.
    fn staffing_gaps(&mut self) {
        let sick_day = date(2025, 6, 3);
        if let Some(engineer) = self.seated(64294, Q_ENG, sick_day) {
            self.vacate(64294, Q_ENG, sick_day);
            self.day_off(engineer, sick_day, 16249);
        }
        let early = date(2025, 6, 4);
        if let Some(firefighter) = self.seated(64296, Q_FF, early) {
            self.vacate(64296, Q_FF, early);
            let (start, end) = self.s.assignments[&64296].window(early);
            let (leaves, relief) = (at(early, 13, 0), at(early, 17, 0));
            if !self.is_off(firefighter, start) {
                let note = "Went home sick at 13:00".to_owned();
                self.book(firefighter, 64296, (start, leaves), false, note);
            }
            if let Some(other) = self.plain_firefighter(early) {
                let note = format!("Relief for {}", self.s.user_name(firefighter));
                self.book(other, 64296, (relief, end), true, note);
            }
        }
        let covered = date(2025, 6, 5);
        if let Some(engineer) = self.seated(64291, Q_ENG, covered) {
            self.vacate(64291, Q_ENG, covered);
            self.day_off(engineer, covered, 16248);
            if let Some(other) = self.plain_firefighter(covered) {
                let (start, end) = self.s.assignments[&64291].window(covered);
                let note = format!(
                    "Covering for {}; no engineer available",
                    self.s.user_name(engineer)
                );
                self.book(other, 64291, (start, end), true, note);
            }
        }
    }

    /// Off-duty people qualified as `qualifier` on `day`.
    fn relief_pool(&self, qualifier: u64, day: NaiveDate) -> Vec<u64> {
        self.s
            .users
            .values()
            .filter(|u| {
                u.platoon.is_some_and(|p| p != platoon_on(day))
                    && u.qualifiers.iter().any(|(q, _)| *q == qualifier)
                    && !self.is_off(u.id, at(day, 8, 0))
            })
            .map(|u| u.id)
            .collect()
    }

    fn callbacks(&mut self) {
        let now = anchor();
        let vacancies: Vec<(u64, NaiveDate)> = self
            .s
            .time_offs
            .values()
            .filter(|t| t.status == APPROVED)
            .flat_map(|t| {
                days(t.start.date(), t.end.date())
                    .filter(|d| Some(platoon_on(*d)) == self.s.users[&t.user_id].platoon)
                    .map(|d| (t.user_id, d))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut cb_id = 5_345_000;
        let mut record_id = 235_821_000;
        let mut shift_id = 31_000_000;
        for (user, day) in vacancies {
            if !self.rng.chance(60) {
                continue;
            }
            let seat = self.seats[&user];
            let (start, end) = self.s.assignments[&seat.assignment].window(day);
            let title_id = self.s.qualifiers[&seat.qualifier].title_id.unwrap_or(103);
            let pool = self.relief_pool(seat.qualifier, day);
            if pool.is_empty() {
                continue;
            }
            cb_id += 1 + self.rng.below(30);
            let scheduled = start - Duration::hours(46);
            let past = scheduled < now;
            let filled = past && self.rng.chance(92);
            let mut contacts = Vec::new();
            let asked = 1 + self.rng.below(4) as usize;
            for k in 0..asked.min(pool.len()) {
                let last = k + 1 == asked.min(pool.len());
                let contact_time = scheduled + Duration::minutes(6 * k as i64);
                let (status, response) = match (past, filled && last, self.rng.below(3)) {
                    (false, _, _) => ("pending", None),
                    (_, true, _) => ("accepted", Some(contact_time + Duration::minutes(4))),
                    (_, _, 0) => ("no answer", None),
                    _ => ("denied", Some(contact_time + Duration::minutes(2))),
                };
                contacts.push(CallbackContact {
                    user_id: pool[(k * 7 + day.ordinal() as usize) % pool.len()],
                    status: status.into(),
                    contact_method: self
                        .rng
                        .pick(&["Mobile App", "Text (SMS)", "Phone call", "Email"])
                        .to_string(),
                    contact_time,
                    response_time: response,
                });
            }
            let mut records = Vec::new();
            let taker = contacts.last().map(|c| c.user_id).filter(|_| filled);
            if let Some(taker) = taker {
                record_id += 1;
                records.push((record_id, taker));
                shift_id += 1;
                self.s.shifts.insert(
                    shift_id,
                    Shift {
                        id: shift_id,
                        assignment_id: seat.assignment,
                        user_id: taker,
                        date: day,
                        start,
                        end,
                        break_time: None,
                        work_type_id: WT_OVERTIME,
                        work_subtype_id: Some(ST_VOLUNTARY_OT),
                        scheduled_by: SCHEDULER,
                        labels: if seat.qualifier == Q_CPT {
                            vec![1773]
                        } else {
                            Vec::new()
                        },
                        qualifiers: vec![seat.qualifier],
                        notes: Some(format!("Covering for {}", self.s.user_name(user))),
                        recurring: false,
                        traded_with: None,
                        from_callback: Some(cb_id),
                        created_at: scheduled + Duration::minutes(30),
                        updated_at: scheduled + Duration::minutes(30),
                    },
                );
            }
            self.s.callbacks.insert(
                cb_id,
                Callback {
                    id: cb_id,
                    title_id,
                    initiated_by: SCHEDULER,
                    start,
                    end,
                    positions_to_fill: 1,
                    scheduled_to: scheduled,
                    ended_at: past.then(|| scheduled + Duration::minutes(45)),
                    deadline: scheduled + Duration::hours(6),
                    status: match (past, filled) {
                        (false, _) => "scheduled",
                        (_, true) => "filled",
                        _ => "not filled",
                    }
                    .into(),
                    records,
                    contacts,
                },
            );
        }
    }

    fn trades(&mut self) {
        let now = anchor();
        let line: Vec<u64> = self
            .seats
            .keys()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut id = 1_402_900;
        for _ in 0..40 {
            let requester = *self.rng.pick(&line);
            let platoon = self.s.users[&requester].platoon.unwrap_or(0);
            let day = Self::duty_day(self.random_day(), platoon);
            let Some(&shift_id) = self.shift_of.get(&(requester, day)) else {
                continue;
            };
            let seat = self.seats[&requester];
            let pool = self.relief_pool(seat.qualifier, day);
            let Some(&accepter) = pool.get(self.rng.below(pool.len().max(1) as u64) as usize)
            else {
                continue;
            };
            let (start, end) = (at(day, 8, 0), at(day, 8, 0) + Duration::days(1));
            let swap_day = Self::duty_day(
                day + Duration::days(7),
                self.s.users[&accepter].platoon.unwrap_or(0),
            );
            let open = start > now && self.rng.chance(30);
            id += 1 + self.rng.below(50);
            self.s.trades.insert(
                id,
                Trade {
                    id,
                    requesting_user: requester,
                    accepting_user: (!open).then_some(accepter),
                    admin: (!open).then_some(SCHEDULER),
                    request_date: start - Duration::days(12)
                        + Duration::minutes(self.rng.range(0, 900)),
                    start,
                    end,
                    swap_start: (!open).then(|| at(swap_day, 8, 0)),
                    swap_end: (!open).then(|| at(swap_day, 8, 0) + Duration::days(1)),
                    status: if open { "pending" } else { "filled" }.into(),
                },
            );
            if let Some(shift) = self.s.shifts.get_mut(&shift_id).filter(|_| !open) {
                shift.user_id = accepter;
                shift.traded_with = Some(requester);
            }
        }
    }

    fn misc(
        &mut self,
        user: u64,
        start: NaiveDateTime,
        end: NaiveDateTime,
        wt: u64,
        st: Option<u64>,
        notes: Option<String>,
    ) -> u64 {
        let id = self.id(1_781_000);
        self.s.misc_hours.insert(
            id,
            MiscHours {
                id,
                user_id: user,
                start,
                end,
                work_type_id: wt,
                work_subtype_id: st,
                notes,
            },
        );
        id
    }

    fn misc_and_signups(&mut self) {
        let users: Vec<u64> = self.s.users.keys().copied().collect();
        for n in 0..60 {
            let user = *self.rng.pick(&users);
            let day = self.random_day();
            let start = at(day, 8, 0);
            self.misc(
                user,
                start,
                start + Duration::hours(4),
                WT_TRAINING,
                Some(ST_CLASSROOM),
                Some(format!("EMS continuing education, session {n}")),
            );
        }
        let titles = [
            "Community CPR class",
            "Fourth of July fireworks standby",
            "County fair EMS detail",
            "Station 2 open house",
            "Regional hazmat drill",
            "High school career day",
            "Marathon medical standby",
            "Smoke alarm install weekend",
            "Wildland refresher",
            "Holiday toy drive",
            "Spring parade detail",
            "Pool safety day",
        ];
        let now = anchor();
        for (i, title) in titles.into_iter().enumerate() {
            let id = 5 + i as u64;
            let day = date(2025, 1 + i as u32, 4 + self.rng.below(20) as u32);
            let start = at(day, 8, 0);
            let end = start + Duration::hours(4 + self.rng.below(8) as i64);
            let needed = 2 + self.rng.below(5) as i64;
            let created_at = start - Duration::days(30);
            let deleted = i == 7;
            let taken = if start < now {
                self.rng.below(needed as u64 + 1)
            } else {
                self.rng.below(2)
            };
            let mut signups = Vec::new();
            for k in 0..taken {
                let user = users[(i * 11 + k as usize * 5) % users.len()];
                let misc = self.misc(
                    user,
                    start,
                    end,
                    WT_DETAIL,
                    None,
                    Some(format!("Signup: {title}")),
                );
                let signup_id = self.id(0);
                signups.push((signup_id, user, misc));
            }
            self.s.signup_events.insert(
                id,
                SignupEvent {
                    id,
                    work_type_id: WT_DETAIL,
                    work_subtype_id: None,
                    title: title.into(),
                    description: format!("<p>{title}. Sign up on the board.</p>"),
                    start,
                    end,
                    created_by: SCHEDULER,
                    created_at,
                    modified_by: SCHEDULER,
                    modified_at: created_at + Duration::hours(2),
                    deleted_by: deleted.then_some(CHIEF),
                    deleted_at: deleted.then(|| created_at + Duration::days(3)),
                    employees_needed: needed,
                    signups,
                },
            );
        }
    }

    fn availability(&mut self) {
        let users: Vec<u64> = self.s.users.keys().copied().collect();
        let notes = [
            "Travelling out of country",
            "Second job",
            "Kids' school event",
            "Medical appointment",
        ];
        for _ in 0..80 {
            let id = self.id(47_300);
            let user = *self.rng.pick(&users);
            let start = at(self.random_day(), 8, 0);
            self.s.availability.insert(
                id,
                Availability {
                    id,
                    user_id: user,
                    start,
                    end: start + Duration::days(1 + self.rng.below(3) as i64),
                    admin_id: self.rng.chance(50).then_some(SCHEDULER),
                    notes: Some(self.rng.pick(&notes).to_string()),
                    reason_id: Some(6 + self.rng.below(4)),
                },
            );
        }
    }

    fn certifications(&mut self) {
        let users: Vec<(u64, Vec<u64>)> = self
            .s
            .users
            .values()
            .map(|u| (u.id, u.qualifiers.iter().map(|(q, _)| *q).collect()))
            .collect();
        for (user, quals) in users {
            let mut certs = vec![4, 1];
            if quals.contains(&Q_PM) {
                certs.push(2);
            }
            if quals.contains(&Q_HAZ) {
                certs.push(3);
            }
            if quals.contains(&Q_ENG) {
                certs.push(5);
            }
            if quals.contains(&Q_CPT) {
                certs.push(6);
            }
            for cert in certs {
                let id = self.id(880_000);
                let issued = date(
                    2022 + self.rng.below(3) as i32,
                    1 + self.rng.below(12) as u32,
                    1 + self.rng.below(28) as u32,
                );
                let c = &self.s.certifications[&cert];
                let details = json!({
                    "id": id,
                    "user_id": user,
                    "certification_id": cert,
                    "name": c.name,
                    "cert_id": c.cert_id,
                    "number": format!("{}-{:06}", c.cert_id, self.rng.below(1_000_000)),
                    "issued_on": fmt_date(issued),
                    "expires_on": fmt_date(issued + Duration::days(730)),
                    "file": null,
                });
                let details = details.as_object().cloned().unwrap_or_default();
                self.s.user_certifications.insert(
                    id,
                    UserCertification {
                        user_id: user,
                        details,
                    },
                );
            }
        }
    }

    fn logs(&mut self) {
        let users: Vec<u64> = self.s.users.keys().copied().collect();
        let mut t = at(window().0, 6, 30);
        let end = anchor();
        while t < end {
            let actor = *self.rng.pick(&users);
            let other = self.s.user_name(*self.rng.pick(&users));
            let name = self.s.user_name(actor);
            let text = match self.rng.below(5) {
                0 => format!("{name} logged in."),
                1 => format!("{name} changed shift for {other}: work type Overtime"),
                2 => format!("{name} approved time off for {other}."),
                3 => format!("{name} started a CallBack for Firefighter."),
                _ => format!("{name} updated the profile of {other}."),
            };
            self.s.log(t, actor, text);
            t += Duration::minutes(60 + self.rng.range(0, 420));
        }
    }

    fn announcements_forms_board(&mut self) {
        let topics = [
            "Uniform inspection next week",
            "New SCBA bottles in service",
            "Hydrant testing schedule",
            "Overtime policy reminder",
            "Holiday staffing",
            "Annual physicals",
        ];
        let users: Vec<u64> = self.s.users.keys().copied().collect();
        for n in 0..64u64 {
            let id = 200 + n;
            let topic = topics[n as usize % topics.len()];
            self.s.announcements.insert(
                id,
                Announcement {
                    id,
                    title: (n % 5 != 0).then(|| format!("{topic} #{n}")),
                    body: format!("<p>{topic}. Please read and acknowledge.</p>"),
                    user_id: if n % 2 == 0 { CHIEF } else { SCHEDULER },
                    deleted: n % 17 == 3,
                },
            );
        }
        for (id, title, fields) in [
            (
                141,
                "Truck Check - Daily",
                vec!["Apparatus", "Fuel level", "Issues found"],
            ),
            (
                196,
                "Exposure Form",
                vec![
                    "Date of Exposure",
                    "Type of Exposure",
                    "PPE Worn",
                    "Description of Exposure",
                ],
            ),
            (
                203,
                "Incident Debrief",
                vec!["Incident number", "What went well", "What to improve"],
            ),
        ] {
            let mut submissions = Vec::new();
            for k in 0..(8 + self.rng.below(8)) {
                let submitted_at = at(
                    self.random_day(),
                    7 + self.rng.below(12) as u32,
                    self.rng.below(60) as u32,
                );
                let answers = fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let answer = if *f == "PPE Worn" {
                            Answer::Many(vec!["Gloves".into(), "Eye Protection".into()])
                        } else {
                            Answer::One(format!("Answer {k}.{i}"))
                        };
                        ((*f).to_owned(), answer)
                    })
                    .collect();
                submissions.push(FormSubmission {
                    user_id: *self.rng.pick(&users),
                    submitted_at,
                    answers,
                });
            }
            submissions.sort_by_key(|s| s.submitted_at);
            self.s.forms.insert(
                id,
                Form {
                    id,
                    title: title.into(),
                    created_at: at(date(2024, 8, 5), 9, 32),
                    created_by: CHIEF,
                    submissions,
                },
            );
        }
        self.s.bulletin_board = Some(BulletinBoard {
            content:
                "<h1>Welcome to Sandbox Valley Fire</h1><p>Check the board before every shift.</p>"
                    .into(),
            last_updated_by: CHIEF,
            last_updated_at: at(date(2025, 6, 10), 10, 15),
        });
        self.s.day_notes.insert(
            date(2025, 6, 3),
            (
                "Hydrant testing, Station 2 district".into(),
                "Company drills 13:00".into(),
            ),
        );
        self.s.day_notes.insert(
            date(2025, 6, 20),
            (String::new(), "Station 1 open house".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ids_the_generator_names_are_records_of_the_data_files() {
        let s = department(1);
        for q in [Q_CPT, Q_ENG, Q_FF, Q_PM, Q_BC, Q_EMT, Q_HAZ] {
            assert!(s.qualifiers.contains_key(&q), "qualifier {q}");
        }
        for w in [WT_REGULAR, WT_OVERTIME, WT_TRAINING, WT_DETAIL] {
            assert!(s.work_types.contains_key(&w), "work type {w}");
        }
        for st in [ST_VOLUNTARY_OT, ST_CLASSROOM] {
            assert!(s.work_subtypes.contains_key(&st), "subtype {st}");
        }
        for (a, _) in SEATS {
            assert!(s.assignments.contains_key(&a), "assignment {a}");
        }
        for (_, a, _) in staff_posts(date(2025, 6, 2)) {
            assert!(s.assignments.contains_key(&a), "assignment {a}");
        }
        assert_eq!(s.assignments.len(), 10);
    }

    #[test]
    fn is_deterministic_and_realistic() {
        let (a, b) = (department(7), department(7));
        assert_eq!(a.users.len(), 60);
        assert_eq!(a.assignments.len(), 10);
        assert_eq!(
            a.users.values().map(User::name).collect::<Vec<_>>(),
            b.users.values().map(User::name).collect::<Vec<_>>()
        );
        assert_eq!(a.shifts.len(), b.shifts.len());
        assert!(a.shifts.len() > 5000, "a year of shifts");
        assert!(a.time_offs.len() > 200);
        assert!(a.logs.len() > 300, "several pages of logs");
        assert!(a.callbacks.len() > 100, "several pages of callbacks");
        assert!(!a.trades.is_empty());
        let other = department(8);
        assert_ne!(
            a.users.values().map(User::name).collect::<Vec<_>>(),
            other.users.values().map(User::name).collect::<Vec<_>>(),
            "another seed gives other people"
        );
    }
}
