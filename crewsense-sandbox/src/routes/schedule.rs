//! `GET /schedule` (the calendar bundle) and `GET /day_labels`.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::{Map, Value, json};

use crate::clock::{fmt_date, fmt_local, hours};
use crate::extract::Query;
use crate::limits::{RANGE_DAYS, SCHEDULE_DAYS};
use crate::paging::link;
use crate::render::{Ids, user_name_ref};
use crate::reply::{ApiResult, ok};
use crate::state::{App, Mode};
use crate::store::{APPROVED, Assignment, PLATOONS, Shift, Store, days, platoon_on};
use crate::validate::{Check, period};

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

/// A user as the schedule shows it: with or without href, always `ts_userid`.
fn person(app: &App, s: &Store, id: u64, with_href: bool) -> Value {
    let mut v = user_name_ref(s, id, Ids::Num);
    if with_href {
        v["href"] = json!(app.href("users", id));
    }
    v["ts_userid"] = s
        .users
        .get(&id)
        .and_then(|u| u.ts_userid)
        .map_or(Value::Null, |t| json!(t));
    v
}

fn work_type(app: &App, s: &Store, id: u64, subtypes: bool) -> Value {
    let Some(wt) = s.work_types.get(&id) else {
        return Value::Null;
    };
    let mut v = json!({
        "id": wt.id,
        "href": app.href("work_types", wt.id),
        "name": wt.label,
        "work_code": wt.work_code,
        "color": wt.primary_color,
        "text_color": wt.secondary_color,
    });
    if subtypes {
        v["subtypes"] = json!([]);
    }
    v
}

fn subtype(s: &Store, id: u64) -> Option<Value> {
    s.work_subtypes.get(&id).map(|st| {
        json!({ "id": st.id, "label": st.label, "work_code": st.work_code, "work_type_id": st.work_type_id })
    })
}

fn shift(app: &App, s: &Store, sh: &Shift) -> Value {
    let mut wt = work_type(app, s, sh.work_type_id, true);
    if let Some(st) = sh.work_subtype_id.and_then(|id| subtype(s, id)) {
        wt["subtypes"] = json!([st]);
    }
    let labels: Vec<Value> = sh
        .labels
        .iter()
        .filter_map(|id| s.labels.get(id))
        .map(|l| json!({ "id": l.id, "href": app.href("labels", l.id), "label": l.label, "color": l.color, "text_color": l.text_color }))
        .collect();
    let qualifiers: Vec<Value> = sh
        .qualifiers
        .iter()
        .filter_map(|id| s.qualifiers.get(id))
        .map(|q| json!({ "id": q.id, "href": app.href("qualifiers", q.id), "shortcode": q.shortcode, "name": q.name, "color": q.color, "text_color": q.text_color }))
        .collect();
    let groups: Vec<Value> = s
        .users
        .get(&sh.user_id)
        .map(|u| {
            u.groups
                .iter()
                .filter_map(|g| s.groups.get(g))
                .map(|g| json!({ "id": g.id, "label": g.name }))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "id": sh.id,
        "href": app.href("shifts", sh.id),
        "start": fmt_local(sh.start),
        "end": fmt_local(sh.end),
        "length": hours(sh.start, sh.end),
        "real_length": hours(sh.start, sh.end),
        "break_start": null,
        "break_end": null,
        "break_length": 0,
        "hold_over": 0,
        "hold_over_details": null,
        "recurring": sh.recurring,
        "user": person(app, s, sh.user_id, true),
        "scheduled_by": person(app, s, sh.scheduled_by, true),
        "work_type": wt,
        "notes": sh.notes,
        "labels": labels,
        "qualifiers": qualifiers,
        "groups": groups,
    })
}

fn assignment(app: &App, s: &Store, a: &Assignment, day: NaiveDate, shifts: Vec<Value>) -> Value {
    let (start, end) = a.window(day);
    let needed: Vec<Value> = a
        .qualifiers_needed
        .iter()
        .filter_map(|(id, n)| s.qualifiers.get(id).map(|q| (q, n)))
        .map(|(q, n)| json!({ "id": q.id, "name": q.name, "shortcode": q.shortcode, "color": q.color, "text_color": q.text_color, "minimum_staffing": n }))
        .collect();
    json!({
        "id": a.id,
        "href": app.href("assignments", a.id),
        "date": fmt_date(day),
        "start": fmt_local(start),
        "end": fmt_local(end),
        "name": a.name,
        "qualifiers_needed": needed,
        "minimum_staffing": a.positions_to_fill,
        "is_finalized": a.finalized.contains(&day),
        "notes": a.notes.get(&day),
        "shifts": shifts,
    })
}

/// Everything on the calendar for one day.
fn day(app: &App, s: &Store, d: NaiveDate, shifts: &[&Shift]) -> Map<String, Value> {
    let documented = app.mode == Mode::Documented;
    let mut assignments: Vec<&Assignment> =
        s.assignments.values().filter(|a| a.occurs_on(d)).collect();
    assignments.sort_by_key(|a| (a.position, a.id));
    let assignments: Vec<Value> = assignments
        .into_iter()
        .map(|a| {
            let booked = shifts
                .iter()
                .filter(|sh| sh.assignment_id == a.id)
                .map(|sh| shift(app, s, sh))
                .collect();
            assignment(app, s, a, d, booked)
        })
        .collect();
    let time_off: Vec<Value> = s
        .time_offs
        .values()
        .filter(|t| t.status == APPROVED)
        .flat_map(|t| s.segments(t).into_iter().map(move |seg| (t, seg)))
        .filter(|(_, (from, _))| from.date() == d)
        .map(|(t, (from, to))| {
            let tt = s.time_off_types.get(&t.type_id);
            let mut v = json!({
                "id": t.id,
                "start": fmt_local(from),
                "end": fmt_local(to),
                "length": hours(from, to),
                "real_length": hours(from, to),
                "break_start": null,
                "break_end": null,
                "break_length": 0,
                "recurring": false,
                "user": person(app, s, t.user_id, false),
                "admin": t.admin_id.map_or(Value::Null, |a| person(app, s, a, false)),
                "time_off_type": tt.map_or(Value::Null, |tt| json!({
                    "id": tt.id,
                    "href": app.href("time_off_types", tt.id),
                    "name": tt.label,
                    "work_code": tt.work_code,
                    "color": tt.primary_color,
                    "text_color": tt.secondary_color,
                    "subtypes": [],
                })),
                "notes": t.user_note,
            });
            if documented {
                v["href"] = json!(app.href("time_offs", t.id));
            }
            v
        })
        .collect();
    // Production links a day's CallBack as `/callback/{id}` (singular).
    let callback_kind = if documented { "callbacks" } else { "callback" };
    let callbacks: Vec<Value> = s
        .callbacks
        .values()
        .filter(|c| c.start.date() == d)
        .map(|c| {
            let records: Vec<Value> = c
                .records
                .iter()
                .map(|(id, user)| json!({ "id": id, "start": fmt_local(c.start), "end": fmt_local(c.end), "user": user_name_ref(s, *user, Ids::Num) }))
                .collect();
            json!({
                "id": c.id,
                "href": app.href(callback_kind, c.id),
                "start": fmt_local(c.start),
                "end": fmt_local(c.end),
                "minimum_staffing": c.positions_to_fill,
                "admin": person(app, s, c.initiated_by, false),
                "title": s.titles.get(&c.title_id).map_or(Value::Null, |t| json!({ "id": t.id, "name": t.name })),
                "records": records,
            })
        })
        .collect();
    let trades: Vec<Value> = s
        .trades
        .values()
        .filter(|t| t.start.date() == d)
        .map(|t| {
            json!({
                "id": t.id,
                "start": fmt_local(t.start),
                "end": fmt_local(t.end),
                "requesting_user": user_name_ref(s, t.requesting_user, Ids::Num),
                "accepting_user": t.accepting_user.map_or(Value::Null, |u| user_name_ref(s, u, Ids::Num)),
                "admin": t.admin.map_or(Value::Null, |u| user_name_ref(s, u, Ids::Num)),
            })
        })
        .collect();
    let misc: Vec<Value> = s
        .misc_hours
        .values()
        .filter(|m| m.start.date() == d)
        .map(|m| {
            json!({
                "id": m.id,
                "date": fmt_date(d),
                "start": fmt_local(m.start),
                "end": fmt_local(m.end),
                "length": hours(m.start, m.end),
                "user": person(app, s, m.user_id, true),
                "work_type": s.work_types.get(&m.work_type_id).map(|w| w.label.clone()),
                "work_type_details": work_type(app, s, m.work_type_id, false),
                "work_subtypes": m.work_subtype_id.and_then(|id| subtype(s, id)).into_iter().collect::<Vec<_>>(),
                "notes": m.notes,
            })
        })
        .collect();
    let (notes, activities) = s.day_notes.get(&d).cloned().unwrap_or_default();
    let mut out = Map::new();
    if documented {
        out.insert("date".into(), json!(fmt_date(d)));
    }
    out.insert("assignments".into(), json!(assignments));
    out.insert("time_off".into(), json!(time_off));
    out.insert("callbacks".into(), json!(callbacks));
    out.insert("trades".into(), json!(trades));
    out.insert("misc".into(), json!(misc));
    out.insert("notes".into(), json!(notes));
    out.insert("activities".into(), json!(activities));
    if !documented {
        out.insert("day_color".into(), day_label(d));
    }
    out
}

fn day_label(d: NaiveDate) -> Value {
    let (label, color) = PLATOONS[platoon_on(d)];
    json!({ "color": color, "label": label })
}

async fn schedule(State(app): State<App>, q: Query) -> ApiResult {
    let (start, end) = period(&q.map(), SCHEDULE_DAYS)?;
    let dates = period_days(start, end);
    let s = app.read();
    let (first, last) = (dates[0], dates[dates.len() - 1]);
    let mut shifts: Vec<&Shift> = s
        .shifts
        .values()
        .filter(|sh| sh.date >= first && sh.date <= last)
        .collect();
    shifts.sort_by_key(|sh| (sh.start, sh.id));
    let by_day = |d: NaiveDate| -> Vec<&Shift> {
        shifts.iter().copied().filter(|sh| sh.date == d).collect()
    };
    let mut body = json!({ "start": fmt_local(start), "end": fmt_local(end) });
    if app.mode == Mode::Documented {
        let days: Vec<Value> = dates
            .iter()
            .map(|d| Value::Object(day(&app, &s, *d, &by_day(*d))))
            .collect();
        let span = end - start;
        let href = |from: NaiveDateTime| json!({ "href": link(&app.base_url, "/schedule", &[("start", fmt_local(from)), ("end", fmt_local(from + span))]) });
        body["days"] = json!(days);
        body["prev"] = href(start - span);
        body["next"] = href(end);
    } else {
        let days: Map<String, Value> = dates
            .iter()
            .map(|d| (fmt_date(*d), Value::Object(day(&app, &s, *d, &by_day(*d)))))
            .collect();
        body["days"] = Value::Object(days);
    }
    ok(body)
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
    let labels: Map<String, Value> = days(start, end + Duration::days(1))
        .map(|d| (fmt_date(d), day_label(d)))
        .collect();
    let days = if labels.is_empty() {
        json!([])
    } else {
        Value::Object(labels)
    };
    ok(json!({ "days": days }))
}
