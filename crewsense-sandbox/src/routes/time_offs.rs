//! Time off: month-paged listing, entries and their occurrences, approval,
//! types, and the per-user endpoints.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, patch, post};
use chrono::{Duration, Months, NaiveDateTime};
use serde_json::{Map, Value, json};

use super::find;
use crate::clock::{epoch_placeholder, fmt_local, fmt_ts, hours};
use crate::error::ApiError;
use crate::extract::{Body, Ids, Query};
use crate::limits::RANGE_DAYS;
use crate::paging::month_page;
use crate::render::{IdStyle, decimal_str, ts_opt, user_ref, user_ref_opt};
use crate::reply::{ApiResult, done, ok};
use crate::state::App;
use crate::store::{APPROVED, DENIED, PENDING, Store, TimeOff, TimeOffType};
use crate::validate::{Check, period};

const MODEL: &str = "TimeOff";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/time_offs", get(list).post(create))
        .route("/time_offs/{id}", get(read).delete(remove))
        .route("/time_offs/{id}/deny", post(deny))
        .route("/time_offs/{id}/approve", post(approve))
        .route("/time_off_types", get(types).post(create_type))
        .route(
            "/users/{user_id}/time_offs",
            get(list_for_user).post(create_for_user),
        )
        .route("/users/{user_id}/time_offs/{id}", patch(update_for_user))
}

/// One occurrence of an entry, as `/time_offs` sends it.
fn render(app: &App, s: &Store, t: &TimeOff, (from, to): (NaiveDateTime, NaiveDateTime)) -> Value {
    let tt = s.time_off_types.get(&t.type_id);
    json!({
        "id": t.id,
        "href": app.href("time_offs", t.id),
        "time_off_type": tt.map(|tt| json!({
            "id": tt.id,
            "name": tt.label,
            "work_code": tt.work_code,
            "href": app.href("time_off_types", tt.id),
        })),
        "user": user_ref(app, s, t.user_id, IdStyle::Num),
        "admin": user_ref_opt(app, s, t.admin_id, IdStyle::Num),
        "start": fmt_local(from),
        "end": fmt_local(to),
        "length": hours(from, to),
        "real_length": hours(from, to),
        "rrule": null,
        "status": t.status,
        "request_date": fmt_ts(t.request_date),
        "approval_date": ts_opt(t.approval_date),
        "acknowledgement_date": null,
        "user_note": t.user_note,
        "traded_with": user_ref_opt(app, s, t.traded_with, IdStyle::Num),
    })
}

/// Every occurrence whose start falls in `from..to`, in time order.
fn occurrences(
    app: &App,
    s: &Store,
    from: NaiveDateTime,
    to: NaiveDateTime,
    user: Option<u64>,
) -> Vec<Value> {
    let mut found: Vec<(NaiveDateTime, u64, Value)> = s
        .time_offs
        .values()
        .filter(|t| user.is_none_or(|u| t.user_id == u))
        .flat_map(|t| s.segments(t).into_iter().map(move |seg| (t, seg)))
        .filter(|(_, (start, _))| *start >= from && *start < to)
        .map(|(t, seg)| (seg.0, t.id, render(app, s, t, seg)))
        .collect();
    found.sort_by_key(|(start, id, _)| (*start, *id));
    found.into_iter().map(|(_, _, v)| v).collect()
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let map = q.map();
    let (start, end) = period(&map, RANGE_DAYS)?;
    let mut c = Check::new(&map);
    let after = c.opt_local("after");
    c.finish()?;
    let page = month_page(start, end, after);
    let s = app.read();
    let items = occurrences(&app, &s, page.page_start, page.page_end, None);
    ok(
        json!({ "items": items, "metadata": page.metadata(&app.base_url, "/time_offs", start, end) }),
    )
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let t = find(&s.time_offs, id, MODEL)?;
    let items: Vec<Value> = s
        .segments(t)
        .into_iter()
        .map(|seg| render(&app, &s, t, seg))
        .collect();
    ok(json!({ "items": items, "metadata": [] }))
}

/// Validates a create body; `user` is the path's user for the per-user form.
fn create_entry(app: &App, body: &Map<String, Value>, user: Option<u64>) -> ApiResult {
    let mut c = Check::new(body);
    let user_id = user.unwrap_or_else(|| c.req_id("user_id"));
    let admins = c.id_list("admin_ids", true);
    let (start, end) = (c.req_local("start_date"), c.req_local("end_date"));
    let type_id = c.req_id("time_off_type_id");
    let status = c.opt_int("status");
    let note = c.opt_str("user_note");
    c.ensure(end > start, "The end date must be a date after start date.");
    c.span(start, end, RANGE_DAYS, "time off");
    c.ensure(
        note.as_ref().is_none_or(|n| n.chars().count() <= 1000),
        "The user note may not be greater than 1000 characters.",
    );
    c.ensure(
        status.is_none_or(|s| s == 0 || s == 1),
        "The selected status is invalid.",
    );
    let mut s = app.write();
    c.ensure(s.is_user(user_id), "The selected user id is invalid.");
    c.ensure(
        admins.iter().all(|a| s.is_user(*a)),
        "The selected admin ids is invalid.",
    );
    c.ensure(
        s.time_off_types.contains_key(&type_id),
        "The selected time off type id is invalid.",
    );
    c.finish()?;
    let now = app.clock.now();
    let approved = status == Some(1);
    let id = s.alloc_id();
    s.time_offs.insert(
        id,
        TimeOff {
            id,
            user_id,
            admin_id: admins.first().copied(),
            type_id,
            start,
            end,
            status: if approved { APPROVED } else { PENDING },
            request_date: now,
            approval_date: approved.then_some(now),
            user_note: note,
            traded_with: None,
            shown: None,
        },
    );
    done("Time Off created successfully.", Some(id))
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    create_entry(&app, &body.object(), None)
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    app.write()
        .time_offs
        .remove(&id)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    done("Time Off removed successfully.", None)
}

fn decide(app: &App, id: u64, status: i64) -> ApiResult {
    let now = app.clock.now();
    let mut s = app.write();
    let t = s
        .time_offs
        .get_mut(&id)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    let verb = if status == APPROVED {
        "approved"
    } else {
        "denied"
    };
    if t.status == status {
        return Err(ApiError::invalid(format!(
            "Time Off #{id} is already {verb}."
        )));
    }
    t.status = status;
    t.approval_date = (status == APPROVED).then_some(now);
    done(format!("Time Off {verb}."), Some(id))
}

async fn deny(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    decide(&app, id, DENIED)
}

async fn approve(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    decide(&app, id, APPROVED)
}

fn render_type(app: &App, t: &TimeOffType) -> Value {
    json!({
        "id": t.id.to_string(),
        "label": t.label,
        "work_code": t.work_code,
        "required_buffer": decimal_str(t.required_buffer),
        "instance_limit": t.instance_limit.to_string(),
        "primary_color": t.primary_color,
        "secondary_color": t.secondary_color,
        "force_include": t.force_include,
        "forward": t.forward,
        "href": app.href("time_off_types", t.id),
    })
}

async fn types(State(app): State<App>) -> ApiResult {
    let s = app.read();
    ok(json!(
        s.time_off_types
            .values()
            .map(|t| render_type(&app, t))
            .collect::<Vec<_>>()
    ))
}

async fn create_type(State(app): State<App>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let label = c.req_str("label");
    let work_code = c.opt_str("work_code");
    let buffer = c.opt_f64("required_buffer");
    let limit = c.opt_int("instance_limit");
    let (primary, secondary) = (c.opt_str("primary_color"), c.opt_str("secondary_color"));
    let (force, forward) = (c.opt_flag("force_include"), c.opt_flag("forward"));
    c.finish()?;
    let mut s = app.write();
    let id = s.alloc_id();
    s.time_off_types.insert(
        id,
        TimeOffType {
            id,
            label,
            work_code,
            required_buffer: buffer.unwrap_or(0.0),
            instance_limit: limit.unwrap_or(0),
            primary_color: primary.unwrap_or_else(|| "#3f5647".into()),
            secondary_color: secondary.unwrap_or_else(|| "#FFFFFF".into()),
            force_include: force.unwrap_or(false),
            forward: forward.unwrap_or(false),
            accrual: "No automatic accrual".into(),
        },
    );
    done("Time off type created.", Some(id))
}

/// `GET /users/{user_id}/time_offs`: a bare array with string ids, relative
/// hrefs and the epoch for unset dates, as production sends it.
async fn list_for_user(State(app): State<App>, Ids([user]): Ids<1>, q: Query) -> ApiResult {
    let map = q.map();
    let mut c = Check::new(&map);
    let now = app.clock.now();
    let start = c
        .opt_local("start")
        .unwrap_or_else(|| now.checked_sub_months(Months::new(1)).unwrap_or(now));
    let end = c.opt_local("end").unwrap_or(now);
    c.finish()?;
    let s = app.read();
    find(&s.users, user, "User")?;
    let rel = |id: u64| json!({ "id": id.to_string(), "name": s.user_name(id), "href": format!("/users/{id}") });
    let placeholder = |dt: Option<NaiveDateTime>| dt.map_or_else(epoch_placeholder, fmt_ts);
    let mut items: Vec<&TimeOff> = s
        .time_offs
        .values()
        .filter(|t| {
            t.user_id == user && Store::overlaps(t.start, t.end, start, end + Duration::seconds(1))
        })
        .collect();
    items.sort_by_key(|t| (t.start, t.id));
    let items: Vec<Value> = items
        .into_iter()
        .map(|t| {
            let tt = s.time_off_types.get(&t.type_id);
            json!({
                "id": t.id.to_string(),
                "time_off_type": tt.map(|tt| json!({ "id": tt.id.to_string(), "name": tt.label, "work_code": tt.work_code })),
                "user": rel(t.user_id),
                "admin": t.admin_id.map(rel),
                "start": fmt_local(t.start),
                "end": fmt_local(t.end),
                "rrule": null,
                "status": t.status.to_string(),
                "request_date": fmt_ts(t.request_date),
                "approval_date": placeholder(t.approval_date),
                "acknowledgement_date": placeholder(None),
                "user_note": t.user_note,
                "traded_with": t.traded_with.map(rel),
            })
        })
        .collect();
    ok(json!(items))
}

async fn create_for_user(State(app): State<App>, Ids([user]): Ids<1>, body: Body) -> ApiResult {
    find(&app.read().users, user, "User")?;
    create_entry(&app, &body.object(), Some(user))
}

async fn update_for_user(State(app): State<App>, Ids([user, id]): Ids<2>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let admins = map.get("admin_ids").map(|v| c.ids_of("admin_ids", v));
    let (start, end) = (c.opt_local("start_date"), c.opt_local("end_date"));
    let type_id = c.opt_id("time_off_type_id");
    let note = c.opt_str("user_note");
    let status = c.opt_int("status");
    c.ensure(
        status.is_none_or(|s| s == 0 || s == 1),
        "The selected status is invalid.",
    );
    let now = app.clock.now();
    let mut s = app.write();
    c.ensure(
        type_id.is_none_or(|t| s.time_off_types.contains_key(&t)),
        "The selected time off type id is invalid.",
    );
    c.ensure(
        admins.iter().flatten().all(|a| s.is_user(*a)),
        "The selected admin ids is invalid.",
    );
    let t = s
        .time_offs
        .get_mut(&id)
        .filter(|t| t.user_id == user)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    let (new_start, new_end) = (start.unwrap_or(t.start), end.unwrap_or(t.end));
    c.ensure(
        new_end > new_start,
        "The end date must be a date after start date.",
    );
    c.span(new_start, new_end, RANGE_DAYS, "time off");
    c.finish()?;
    if (t.start, t.end) != (new_start, new_end) {
        (t.start, t.end) = (new_start, new_end);
        t.shown = None;
    }
    t.type_id = type_id.unwrap_or(t.type_id);
    if let Some(admin) = admins.and_then(|a| a.first().copied()) {
        t.admin_id = Some(admin);
    }
    if note.is_some() {
        t.user_note = note;
    }
    if let Some(status) = status {
        t.status = if status == 1 { APPROVED } else { PENDING };
        t.approval_date = (status == 1).then_some(now);
    }
    done("Time Off updated successfully.", Some(id))
}
