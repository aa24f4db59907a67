//! `GET /schedule` (the calendar bundle) and `GET /day_labels`.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value, json};

use crate::clock::{Day, Local, fmt_date, fmt_local};
use crate::error::ApiError;
use crate::extract::Query;
use crate::limits::{RANGE_DAYS, SCHEDULE_DAYS};
use crate::paging::link;
use crate::reply::{ApiResult, ok, ok_serialized};
use crate::state::{App, Mode};
use crate::store::{APPROVED, Assignment, Callback, MiscHours, Shift, Store, TimeOff, Trade, days};
use crate::validate::{Check, period};

mod view;

use view::{
    AssignmentView, CallbackView, Ctx, DayColor, DayView, MiscView, TimeOffView, TradeView,
};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/schedule", get(schedule))
        .route("/day_labels", get(day_labels))
}

/// The days a period covers: from the start's date up to the end's date
/// (exclusive), and at least one day.
fn period_days(start: NaiveDateTime, end: NaiveDateTime) -> Vec<NaiveDate> {
    let last = end.date().max(start.date() + Duration::days(1));
    days(start.date(), last).collect()
}

/// A time off entry and one of its segments.
type Segment<'a> = (&'a TimeOff, (NaiveDateTime, NaiveDateTime));

/// The records of a period, sorted into days in one pass over each table (a
/// scan of every table for every day made a quarter take seconds).
#[derive(Default)]
struct Days<'a> {
    shifts: BTreeMap<NaiveDate, Vec<&'a Shift>>,
    time_off: BTreeMap<NaiveDate, Vec<Segment<'a>>>,
    callbacks: BTreeMap<NaiveDate, Vec<&'a Callback>>,
    trades: BTreeMap<NaiveDate, Vec<&'a Trade>>,
    misc: BTreeMap<NaiveDate, Vec<&'a MiscHours>>,
}

/// Puts each item on the day `date_of` gives it, if that day is in `first..=last`.
fn sort_into<T>(
    items: impl Iterator<Item = T>,
    date_of: impl Fn(&T) -> NaiveDate,
    (first, last): (NaiveDate, NaiveDate),
) -> BTreeMap<NaiveDate, Vec<T>> {
    let mut days: BTreeMap<NaiveDate, Vec<T>> = BTreeMap::new();
    for item in items {
        let d = date_of(&item);
        if d >= first && d <= last {
            days.entry(d).or_default().push(item);
        }
    }
    days
}

impl<'a> Days<'a> {
    fn of(s: &'a Store, first: NaiveDate, last: NaiveDate) -> Self {
        let range = (first, last);
        let mut shifts = sort_into(s.shifts.values(), |sh| sh.date, range);
        // Only the period's shifts are put in order, not the whole table.
        for day in shifts.values_mut() {
            day.sort_by_key(|sh| (sh.start, sh.id));
        }
        let segments = s
            .time_offs
            .values()
            .filter(|t| t.status == APPROVED)
            .flat_map(|t| s.segments(t).into_iter().map(move |seg| (t, seg)));
        Self {
            shifts,
            time_off: sort_into(segments, |(_, (from, _))| from.date(), range),
            callbacks: sort_into(s.callbacks.values(), |c| c.start.date(), range),
            trades: sort_into(s.trades.values(), |t| t.start.date(), range),
            misc: sort_into(s.misc_hours.values(), |m| m.start.date(), range),
        }
    }
}

/// The items of `d` in a day map.
fn on<T>(map: &BTreeMap<NaiveDate, Vec<T>>, d: NaiveDate) -> &[T] {
    map.get(&d).map_or(&[], Vec::as_slice)
}

/// The days of a period in the answer's shape: an array of days that name their
/// date (the reference), or a map keyed by date (production). Each day is rendered
/// as it is written.
struct Calendar<'a> {
    cx: Ctx<'a>,
    dates: &'a [NaiveDate],
    by_day: &'a Days<'a>,
}

impl Calendar<'_> {
    /// Everything on the calendar for one day.
    fn day(&self, d: NaiveDate) -> DayView<'_> {
        let (cx, s, by_day) = (self.cx, self.cx.s, self.by_day);
        let documented = cx.app.mode == Mode::Documented;
        let shifts = on(&by_day.shifts, d);
        let mut assignments: Vec<&Assignment> =
            s.assignments.values().filter(|a| a.occurs_on(d)).collect();
        assignments.sort_by_key(|a| (a.position, a.id));
        let (notes, activities) = s
            .day_notes
            .get(&d)
            .map_or(("", ""), |(n, a)| (n.as_str(), a.as_str()));
        DayView {
            activities,
            assignments: assignments
                .into_iter()
                .map(|a| {
                    let booked = shifts.iter().copied().filter(|sh| sh.assignment_id == a.id);
                    AssignmentView::of(cx, a, d, booked)
                })
                .collect(),
            callbacks: on(&by_day.callbacks, d)
                .iter()
                .map(|c| CallbackView::of(cx, c))
                .collect(),
            date: documented.then_some(Day(d)),
            day_color: (!documented).then(|| DayColor::on(s, d)),
            misc: on(&by_day.misc, d)
                .iter()
                .map(|m| MiscView::of(cx, m, d))
                .collect(),
            notes,
            time_off: on(&by_day.time_off, d)
                .iter()
                .map(|&(t, segment)| TimeOffView::of(cx, t, segment))
                .collect(),
            trades: on(&by_day.trades, d)
                .iter()
                .map(|t| TradeView::of(cx, t))
                .collect(),
        }
    }
}

impl Serialize for Calendar<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.cx.app.mode == Mode::Documented {
            let mut days = serializer.serialize_seq(Some(self.dates.len()))?;
            for d in self.dates {
                days.serialize_element(&self.day(*d))?;
            }
            days.end()
        } else {
            let mut days = serializer.serialize_map(Some(self.dates.len()))?;
            for d in self.dates {
                days.serialize_entry(&Day(*d), &self.day(*d))?;
            }
            days.end()
        }
    }
}

/// `{href}`, the reference's link to an adjacent period.
#[derive(Serialize)]
struct Link {
    href: String,
}

/// The answer of `GET /schedule`.
#[derive(Serialize)]
struct Schedule<'a> {
    days: Calendar<'a>,
    end: Local,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev: Option<Link>,
    start: Local,
}

async fn schedule(State(app): State<App>, q: Query) -> ApiResult {
    // A month takes milliseconds to render: on the blocking pool, so that the
    // requests that arrive meanwhile are taken in at once and their answer time
    // starts when they arrive, as on a server with a thread per request.
    match tokio::task::spawn_blocking(move || render(&app, &q)).await {
        Ok(answer) => answer,
        Err(stopped) => match stopped.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => Err(ApiError::Unavailable),
        },
    }
}

/// The answer to `GET /schedule?{q}`.
fn render(app: &App, q: &Query) -> ApiResult {
    let (start, end) = period(&q.map(), SCHEDULE_DAYS)?;
    let dates = period_days(start, end);
    let s = app.read();
    // `period_days` yields at least one day.
    let (first, last) = (dates[0], dates[dates.len() - 1]);
    let by_day = Days::of(&s, first, last);
    let span = end - start;
    // The reference links the periods before and after; production does not.
    let link = |from: NaiveDateTime| {
        (app.mode == Mode::Documented).then(|| Link {
            href: link(
                &app.base_url,
                "/schedule",
                &[("start", fmt_local(from)), ("end", fmt_local(from + span))],
            ),
        })
    };
    ok_serialized(&Schedule {
        days: Calendar {
            cx: Ctx { app, s: &s },
            dates: &dates,
            by_day: &by_day,
        },
        end: Local(end),
        next: link(end),
        prev: link(start - span),
        start: Local(start),
    })
}

async fn day_labels(State(app): State<App>, q: Query) -> ApiResult {
    let map = q.map();
    let mut c = Check::new(&map);
    let today = app.clock.today();
    let start = c.opt_date("start").unwrap_or(today);
    let end = c
        .opt_date("end")
        .unwrap_or(if c.has("start") { start } else { today });
    c.span(
        start.and_time(NaiveTime::MIN),
        end.and_time(NaiveTime::MIN),
        RANGE_DAYS,
        "period from start to end",
    );
    c.finish()?;
    let s = app.read();
    let labels: Map<String, Value> = days(start, end + Duration::days(1))
        .map(|d| (fmt_date(d), json!(DayColor::on(&s, d))))
        .collect();
    let days = if labels.is_empty() {
        json!([])
    } else {
        Value::Object(labels)
    };
    ok(json!({ "days": days }))
}
