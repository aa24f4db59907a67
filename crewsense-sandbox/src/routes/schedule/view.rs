//! The calendar bundle as JSON, written straight from the store.
//!
//! Each record of a day is a serde view that borrows from the store, instead of a
//! `serde_json::Value` tree: building and freeing those maps took most of a month's
//! 40 ms. Fields are declared in alphabetical order, the order in which the rest of
//! the sandbox's answers (serde_json maps, which sort their keys) write them.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Serialize, Serializer};

use crate::clock::{Day, Hours, Local};
use crate::state::{App, Mode};
use crate::store::{
    Assignment, Callback, MiscHours, PLATOONS, Shift, Store, Table, TimeOff, Trade, platoon_on,
};

/// What every view reads from: the application (base URL, mode) and a snapshot of
/// the store.
#[derive(Clone, Copy)]
pub(super) struct Ctx<'a> {
    pub(super) app: &'a App,
    pub(super) s: &'a Store,
}

impl<'a> Ctx<'a> {
    fn documented(self) -> bool {
        self.app.mode == Mode::Documented
    }

    fn href(self, kind: &'static str, id: u64) -> Href<'a> {
        Href {
            base: &self.app.base_url,
            kind,
            id,
        }
    }
}

/// Writes a value's `Display` as a JSON string, without an intermediate `String`.
macro_rules! serialize_as_str {
    ($($ty:ty),*) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    )*};
}

/// `{base}/{kind}/{id}`, an absolute link to a record.
#[derive(Clone, Copy)]
struct Href<'a> {
    base: &'a str,
    kind: &'static str,
    id: u64,
}

/// A user's display name, or `User #id` for a user that no longer exists.
#[derive(Clone, Copy)]
struct Name<'a> {
    s: &'a Store,
    id: u64,
}

serialize_as_str!(Href<'_>, Name<'_>);

impl fmt::Display for Href<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.base, self.kind, self.id)
    }
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.s.users.get(&self.id) {
            Some(u) if u.last_name.is_empty() => f.write_str(&u.first_name),
            Some(u) => write!(f, "{} {}", u.first_name, u.last_name),
            None => write!(f, "User #{}", self.id),
        }
    }
}

/// `{id, name}` of a user.
#[derive(Serialize)]
struct NameRef<'a> {
    id: u64,
    name: Name<'a>,
}

impl<'a> NameRef<'a> {
    fn of(cx: Ctx<'a>, id: u64) -> Self {
        Self {
            id,
            name: Name { s: cx.s, id },
        }
    }
}

/// A user as the schedule shows it: with or without href, always `ts_userid`.
#[derive(Serialize)]
struct Person<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<Href<'a>>,
    id: u64,
    name: Name<'a>,
    ts_userid: Option<u64>,
}

impl<'a> Person<'a> {
    fn of(cx: Ctx<'a>, id: u64, with_href: bool) -> Self {
        Self {
            href: with_href.then(|| cx.href("users", id)),
            id,
            name: Name { s: cx.s, id },
            ts_userid: cx.s.users.get(&id).and_then(|u| u.ts_userid),
        }
    }
}

/// `{id, label, work_code, work_type_id}` of a work subtype.
#[derive(Serialize)]
struct Subtype<'a> {
    id: u64,
    label: &'a str,
    work_code: &'a Option<String>,
    work_type_id: u64,
}

impl<'a> Subtype<'a> {
    fn of(cx: Ctx<'a>, id: u64) -> Option<Self> {
        cx.s.work_subtypes.get(&id).map(|st| Self {
            id: st.id,
            label: &st.label,
            work_code: &st.work_code,
            work_type_id: st.work_type_id,
        })
    }
}

/// A work type or time off type: name, code, colours and link, with its subtypes
/// where the schedule lists them.
#[derive(Serialize)]
struct CodedType<'a> {
    color: &'a str,
    href: Href<'a>,
    id: u64,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtypes: Option<Vec<Subtype<'a>>>,
    text_color: &'a str,
    work_code: &'a Option<String>,
}

impl<'a> CodedType<'a> {
    fn work_type(cx: Ctx<'a>, id: u64, subtypes: Option<Vec<Subtype<'a>>>) -> Option<Self> {
        cx.s.work_types.get(&id).map(|wt| Self {
            color: &wt.primary_color,
            href: cx.href("work_types", wt.id),
            id: wt.id,
            name: &wt.label,
            subtypes,
            text_color: &wt.secondary_color,
            work_code: &wt.work_code,
        })
    }

    fn time_off_type(cx: Ctx<'a>, id: u64) -> Option<Self> {
        cx.s.time_off_types.get(&id).map(|tt| Self {
            color: &tt.primary_color,
            href: cx.href("time_off_types", tt.id),
            id: tt.id,
            name: &tt.label,
            subtypes: Some(Vec::new()),
            text_color: &tt.secondary_color,
            work_code: &tt.work_code,
        })
    }
}

/// The records of `table` that `ids` name, in that order, as `view` shows them; ids
/// that name no record are left out.
fn named<'a, T, R>(ids: &[u64], table: &'a Table<T>, view: impl Fn(&'a T) -> R) -> Vec<R> {
    ids.iter()
        .filter_map(|id| table.get(id))
        .map(view)
        .collect()
}

/// A label on a shift.
#[derive(Serialize)]
struct LabelRef<'a> {
    color: &'a str,
    href: Href<'a>,
    id: u64,
    label: &'a str,
    text_color: &'a str,
}

/// A qualifier on a shift.
#[derive(Serialize)]
struct QualifierRef<'a> {
    color: &'a str,
    href: Href<'a>,
    id: u64,
    name: &'a str,
    shortcode: &'a str,
    text_color: &'a str,
}

/// `{id, label}` of a group.
#[derive(Serialize)]
struct GroupRef<'a> {
    id: u64,
    label: &'a str,
}

/// A booked shift.
#[derive(Serialize)]
struct ShiftView<'a> {
    break_end: Option<Local>,
    break_length: Hours,
    break_start: Option<Local>,
    end: Local,
    groups: Vec<GroupRef<'a>>,
    hold_over: u8,
    hold_over_details: (),
    href: Href<'a>,
    id: u64,
    labels: Vec<LabelRef<'a>>,
    length: Hours,
    notes: &'a Option<String>,
    qualifiers: Vec<QualifierRef<'a>>,
    real_length: Hours,
    recurring: bool,
    scheduled_by: Person<'a>,
    start: Local,
    user: Person<'a>,
    work_type: Option<CodedType<'a>>,
}

impl<'a> ShiftView<'a> {
    fn of(cx: Ctx<'a>, sh: &'a Shift) -> Self {
        let s = cx.s;
        let subtypes = sh
            .work_subtype_id
            .and_then(|id| Subtype::of(cx, id))
            .into_iter()
            .collect();
        let labels = named(&sh.labels, &s.labels, |l| LabelRef {
            color: &l.color,
            href: cx.href("labels", l.id),
            id: l.id,
            label: &l.label,
            text_color: &l.text_color,
        });
        let qualifiers = named(&sh.qualifiers, &s.qualifiers, |q| QualifierRef {
            color: &q.color,
            href: cx.href("qualifiers", q.id),
            id: q.id,
            name: &q.name,
            shortcode: &q.shortcode,
            text_color: &q.text_color,
        });
        let groups = s.users.get(&sh.user_id).map_or_else(Vec::new, |u| {
            named(&u.groups, &s.groups, |g| GroupRef {
                id: g.id,
                label: &g.name,
            })
        });
        // No break is an empty one at the start: 0 hours long.
        let (pause_start, pause_end) = sh.break_time.unwrap_or((sh.start, sh.start));
        Self {
            break_end: sh.break_time.map(|(_, end)| Local(end)),
            break_length: Hours(pause_start, pause_end),
            break_start: sh.break_time.map(|(start, _)| Local(start)),
            end: Local(sh.end),
            groups,
            hold_over: 0,
            hold_over_details: (),
            href: cx.href("shifts", sh.id),
            id: sh.id,
            labels,
            length: Hours(sh.start, sh.end),
            notes: &sh.notes,
            qualifiers,
            real_length: Hours(sh.start, sh.end - (pause_end - pause_start)),
            recurring: sh.recurring,
            scheduled_by: Person::of(cx, sh.scheduled_by, true),
            start: Local(sh.start),
            user: Person::of(cx, sh.user_id, true),
            work_type: CodedType::work_type(cx, sh.work_type_id, Some(subtypes)),
        }
    }
}

/// A qualifier an assignment needs, and how many of it.
#[derive(Serialize)]
struct Needed<'a> {
    color: &'a str,
    id: u64,
    minimum_staffing: i64,
    name: &'a str,
    shortcode: &'a str,
    text_color: &'a str,
}

/// An assignment on one day, with the shifts booked on it.
#[derive(Serialize)]
pub(super) struct AssignmentView<'a> {
    date: Day,
    end: Local,
    href: Href<'a>,
    id: u64,
    is_finalized: bool,
    minimum_staffing: i64,
    name: &'a str,
    notes: Option<&'a String>,
    qualifiers_needed: Vec<Needed<'a>>,
    shifts: Vec<ShiftView<'a>>,
    start: Local,
}

impl<'a> AssignmentView<'a> {
    pub(super) fn of(
        cx: Ctx<'a>,
        a: &'a Assignment,
        date: NaiveDate,
        booked: impl Iterator<Item = &'a Shift>,
    ) -> Self {
        let (start, end) = a.window(date);
        let needed = a
            .qualifiers_needed
            .iter()
            .filter_map(|(id, n)| cx.s.qualifiers.get(id).map(|q| (q, *n)))
            .map(|(q, n)| Needed {
                color: &q.color,
                id: q.id,
                minimum_staffing: n,
                name: &q.name,
                shortcode: &q.shortcode,
                text_color: &q.text_color,
            })
            .collect();
        Self {
            date: Day(date),
            end: Local(end),
            href: cx.href("assignments", a.id),
            id: a.id,
            is_finalized: a.finalized.contains(&date),
            minimum_staffing: a.positions_to_fill,
            name: &a.name,
            notes: a.notes.get(&date),
            qualifiers_needed: needed,
            shifts: booked.map(|sh| ShiftView::of(cx, sh)).collect(),
            start: Local(start),
        }
    }
}

/// One day's segment of a time off entry.
#[derive(Serialize)]
pub(super) struct TimeOffView<'a> {
    admin: Option<Person<'a>>,
    break_end: (),
    break_length: u8,
    break_start: (),
    end: Local,
    /// Only the reference shows it; production leaves it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<Href<'a>>,
    id: u64,
    length: Hours,
    notes: &'a Option<String>,
    real_length: Hours,
    recurring: bool,
    start: Local,
    time_off_type: Option<CodedType<'a>>,
    user: Person<'a>,
}

impl<'a> TimeOffView<'a> {
    pub(super) fn of(
        cx: Ctx<'a>,
        t: &'a TimeOff,
        (from, to): (NaiveDateTime, NaiveDateTime),
    ) -> Self {
        Self {
            admin: t.admin_id.map(|a| Person::of(cx, a, false)),
            break_end: (),
            break_length: 0,
            break_start: (),
            end: Local(to),
            href: cx.documented().then(|| cx.href("time_offs", t.id)),
            id: t.id,
            length: Hours(from, to),
            notes: &t.user_note,
            real_length: Hours(from, to),
            recurring: false,
            start: Local(from),
            time_off_type: CodedType::time_off_type(cx, t.type_id),
            user: Person::of(cx, t.user_id, false),
        }
    }
}

/// One person booked by a CallBack.
#[derive(Serialize)]
struct CallbackRecord<'a> {
    end: Local,
    id: u64,
    start: Local,
    user: NameRef<'a>,
}

/// `{id, name}` of a list title.
#[derive(Serialize)]
struct TitleRef<'a> {
    id: u64,
    name: &'a str,
}

/// A CallBack that starts on the day.
#[derive(Serialize)]
pub(super) struct CallbackView<'a> {
    admin: Person<'a>,
    end: Local,
    href: Href<'a>,
    id: u64,
    minimum_staffing: i64,
    records: Vec<CallbackRecord<'a>>,
    start: Local,
    title: Option<TitleRef<'a>>,
}

impl<'a> CallbackView<'a> {
    pub(super) fn of(cx: Ctx<'a>, c: &'a Callback) -> Self {
        // Production links a day's CallBack as `/callback/{id}` (singular).
        let kind = if cx.documented() {
            "callbacks"
        } else {
            "callback"
        };
        Self {
            admin: Person::of(cx, c.initiated_by, false),
            end: Local(c.end),
            href: cx.href(kind, c.id),
            id: c.id,
            minimum_staffing: c.positions_to_fill,
            records: c
                .records
                .iter()
                .map(|&(id, user)| CallbackRecord {
                    end: Local(c.end),
                    id,
                    start: Local(c.start),
                    user: NameRef::of(cx, user),
                })
                .collect(),
            start: Local(c.start),
            title: cx.s.titles.get(&c.title_id).map(|t| TitleRef {
                id: t.id,
                name: &t.name,
            }),
        }
    }
}

/// A trade that starts on the day.
#[derive(Serialize)]
pub(super) struct TradeView<'a> {
    accepting_user: Option<NameRef<'a>>,
    admin: Option<NameRef<'a>>,
    end: Local,
    id: u64,
    requesting_user: NameRef<'a>,
    start: Local,
}

impl<'a> TradeView<'a> {
    pub(super) fn of(cx: Ctx<'a>, t: &'a Trade) -> Self {
        Self {
            accepting_user: t.accepting_user.map(|u| NameRef::of(cx, u)),
            admin: t.admin.map(|u| NameRef::of(cx, u)),
            end: Local(t.end),
            id: t.id,
            requesting_user: NameRef::of(cx, t.requesting_user),
            start: Local(t.start),
        }
    }
}

/// Miscellaneous hours on the day: the work type both as its name and in full.
#[derive(Serialize)]
pub(super) struct MiscView<'a> {
    date: Day,
    end: Local,
    id: u64,
    length: Hours,
    notes: &'a Option<String>,
    start: Local,
    user: Person<'a>,
    work_subtypes: Vec<Subtype<'a>>,
    work_type: Option<&'a str>,
    work_type_details: Option<CodedType<'a>>,
}

impl<'a> MiscView<'a> {
    pub(super) fn of(cx: Ctx<'a>, m: &'a MiscHours, date: NaiveDate) -> Self {
        Self {
            date: Day(date),
            end: Local(m.end),
            id: m.id,
            length: Hours(m.start, m.end),
            notes: &m.notes,
            start: Local(m.start),
            user: Person::of(cx, m.user_id, true),
            work_subtypes: m
                .work_subtype_id
                .and_then(|id| Subtype::of(cx, id))
                .into_iter()
                .collect(),
            work_type: cx
                .s
                .work_types
                .get(&m.work_type_id)
                .map(|w| w.label.as_str()),
            work_type_details: CodedType::work_type(cx, m.work_type_id, None),
        }
    }
}

/// The platoon colour of a day: the one a loaded department's capture showed, or
/// the rotation's.
#[derive(Serialize)]
pub(super) struct DayColor<'a> {
    color: Option<&'a str>,
    label: Option<&'a str>,
}

impl<'a> DayColor<'a> {
    pub(super) fn on(s: &'a Store, date: NaiveDate) -> Self {
        match s.day_colors.get(&date) {
            Some((label, color)) => Self {
                color: color.as_deref(),
                label: label.as_deref(),
            },
            None => {
                let (label, color) = PLATOONS[platoon_on(date)];
                Self {
                    color: Some(color),
                    label: Some(label),
                }
            }
        }
    }
}

/// Everything on the calendar for one day. The reference names the day in it;
/// production keys the days by date instead and adds the day's colour.
#[derive(Serialize)]
pub(super) struct DayView<'a> {
    pub(super) activities: &'a str,
    pub(super) assignments: Vec<AssignmentView<'a>>,
    pub(super) callbacks: Vec<CallbackView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) date: Option<Day>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) day_color: Option<DayColor<'a>>,
    pub(super) misc: Vec<MiscView<'a>>,
    pub(super) notes: &'a str,
    pub(super) time_off: Vec<TimeOffView<'a>>,
    pub(super) trades: Vec<TradeView<'a>>,
}
