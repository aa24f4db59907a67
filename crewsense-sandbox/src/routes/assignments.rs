//! Assignments: CRUD, group labels, admins and finalization (single and batch).

use std::collections::BTreeSet;

use axum::Router;
use axum::extract::State;
use axum::routing::{delete, get, post};
use chrono::{NaiveDate, NaiveTime};
use serde_json::{Map, Value, json};

use super::{ensure_all, find, find_mut};
use crate::clock::{fmt_date, fmt_local};
use crate::error::ApiError;
use crate::extract::{Body, Ids};
use crate::limits::{BATCH_DATES, LIST_ITEMS, RANGE_DAYS, in_years, within_days};
use crate::render;
use crate::reply::{ApiResult, done, ok, success};
use crate::state::App;
use crate::store::{Assignment, Store, days};
use crate::validate::{Check, as_id};

const MODEL: &str = "Assignment";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/assignments", get(list).post(create))
        .route("/assignments/{id}", get(read).patch(update).delete(remove))
        .route(
            "/assignments/{id}/groups",
            get(groups).put(replace_groups).delete(clear_groups),
        )
        .route("/assignments/{id}/groups/{group_id}", delete(remove_group))
        .route("/assignments/{id}/admins", get(admins).put(replace_admins))
        .route(
            "/assignments/{id}/finalization",
            post(finalize).delete(unfinalize),
        )
        .route(
            "/finalization",
            post(finalize_batch).delete(unfinalize_batch),
        )
}

fn render(a: &Assignment, date: String) -> Value {
    json!({
        "id": a.id,
        "position": a.position,
        "name": a.name,
        "date": date,
        "start": fmt_local(a.start),
        "end": fmt_local(a.end),
        "positions_to_fill": a.positions_to_fill,
        "is_work_shift": a.is_work_shift,
        "self_scheduling": a.self_scheduling,
        "self_scheduling_requires_approval": a.self_scheduling_requires_approval,
        "crewsense_eligible": a.crewsense_eligible,
        "hide_open_slots": a.hide_open_slots,
        "color": a.color,
        "location": a.location.as_ref().map(|l| json!({
            "address": l.address,
            "city": l.city,
            "state": l.state,
            "country": "United States",
            "zip": l.zip,
            "latitude": l.latitude,
            "longitude": l.longitude,
        })),
    })
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    let mut all: Vec<&Assignment> = s.assignments.values().collect();
    all.sort_by_key(|a| (a.position, a.id));
    ok(json!(
        all.into_iter()
            .map(|a| render(a, fmt_date(a.start.date())))
            .collect::<Vec<_>>()
    ))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let a = find(&s.assignments, id, MODEL)?;
    // The single read carries a time part on `date`, as production does.
    ok(render(a, format!("{} 00:00:00", fmt_date(a.start.date()))))
}

/// Applies the writable fields of `body` to `a`; `create` makes the core ones required.
fn apply(a: &mut Assignment, body: &Map<String, Value>, create: bool) -> Result<(), ApiError> {
    let mut c = Check::new(body);
    let name = if create {
        Some(c.req_str("name"))
    } else {
        c.opt_str("name")
    };
    let start = if create {
        Some(c.req_local("start"))
    } else {
        c.opt_local("start")
    };
    let end = if create {
        Some(c.req_local("end"))
    } else {
        c.opt_local("end")
    };
    let positions = if create {
        Some(c.req_int("positions_to_fill"))
    } else {
        c.opt_int("positions_to_fill")
    };
    let position = c.opt_int("position");
    let color = c.opt_str("color");
    let flags = [
        ("is_work_shift", c.opt_flag("is_work_shift")),
        ("self_scheduling", c.opt_flag("self_scheduling")),
        (
            "self_scheduling_requires_approval",
            c.opt_flag("self_scheduling_requires_approval"),
        ),
        ("crewsense_eligible", c.opt_flag("crewsense_eligible")),
        ("hide_open_slots", c.opt_flag("hide_open_slots")),
    ];
    let (new_start, new_end) = (start.unwrap_or(a.start), end.unwrap_or(a.end));
    c.ensure(new_end > new_start, "The end must be a date after start.");
    c.ensure(
        positions.is_none_or(|p| p >= 0),
        "The positions to fill must be at least 0.",
    );
    c.finish()?;
    if let Some(name) = name {
        a.name = name;
    }
    (a.start, a.end) = (new_start, new_end);
    a.positions_to_fill = positions.unwrap_or(a.positions_to_fill);
    a.position = position.unwrap_or(a.position);
    a.color = color.unwrap_or_else(|| a.color.clone());
    for (field, value) in flags {
        let Some(value) = value else { continue };
        *match field {
            "is_work_shift" => &mut a.is_work_shift,
            "self_scheduling" => &mut a.self_scheduling,
            "self_scheduling_requires_approval" => &mut a.self_scheduling_requires_approval,
            "crewsense_eligible" => &mut a.crewsense_eligible,
            _ => &mut a.hide_open_slots,
        } = value;
    }
    Ok(())
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let mut s = app.write();
    let now = app.clock.now();
    let mut a = Assignment {
        id: 0,
        position: s.assignments.len() as i64 + 1,
        name: String::new(),
        start: now,
        end: now,
        positions_to_fill: 0,
        is_work_shift: true,
        self_scheduling: false,
        self_scheduling_requires_approval: false,
        crewsense_eligible: true,
        hide_open_slots: false,
        weekdays_only: false,
        color: "#CCCCCC".into(),
        location: None,
        groups: Vec::new(),
        admins: Vec::new(),
        qualifiers_needed: Vec::new(),
        finalized: BTreeSet::new(),
        notes: Default::default(),
    };
    apply(&mut a, &body.object(), true)?;
    a.id = s.alloc_id();
    let (id, name) = (a.id, a.name.clone());
    s.assignments.insert(id, a);
    done(format!("Assignment {name} created."), Some(id))
}

async fn update(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let mut s = app.write();
    apply(
        find_mut(&mut s.assignments, id, MODEL)?,
        &body.object(),
        false,
    )?;
    done("Assignment updated.", Some(id))
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let mut s = app.write();
    s.assignments
        .remove(&id)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    s.shifts.retain(|_, sh| sh.assignment_id != id);
    done("Assignment removed.", Some(id))
}

async fn groups(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let a = find(&s.assignments, id, MODEL)?;
    let groups: Vec<Value> = a
        .groups
        .iter()
        .filter_map(|g| s.groups.get(g))
        .map(|g| json!({ "id": g.id.to_string(), "name": g.name, "color": a.color }))
        .collect();
    ok(json!(groups))
}

/// The `ids` list of a replace body, each naming a record of `table`.
fn ids_body<T>(body: &Body, table: &crate::store::Table<T>) -> Result<Vec<u64>, ApiError> {
    let map = body.object();
    let mut c = Check::new(&map);
    let ids = c.id_list("ids", true);
    c.finish()?;
    ensure_all(table, &ids, "ids")?;
    Ok(ids)
}

async fn replace_groups(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let mut s = app.write();
    find(&s.assignments, id, MODEL)?;
    let ids = ids_body(&body, &s.groups)?;
    find_mut(&mut s.assignments, id, MODEL)?.groups = ids;
    success()
}

async fn clear_groups(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let mut s = app.write();
    find_mut(&mut s.assignments, id, MODEL)?.groups.clear();
    done("Groups removed from the assignment.", Some(id))
}

async fn remove_group(State(app): State<App>, Ids([id, group]): Ids<2>) -> ApiResult {
    let mut s = app.write();
    let a = find_mut(&mut s.assignments, id, MODEL)?;
    let before = a.groups.len();
    a.groups.retain(|g| *g != group);
    if a.groups.len() == before {
        return Err(ApiError::missing("Group"));
    }
    done("Group removed from the assignment.", Some(id))
}

async fn admins(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let a = find(&s.assignments, id, MODEL)?;
    let admins: Vec<Value> = a
        .admins
        .iter()
        .map(|u| render::user_ref(&app, &s, *u, render::IdStyle::Str))
        .collect();
    ok(json!(admins))
}

async fn replace_admins(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let mut s = app.write();
    find(&s.assignments, id, MODEL)?;
    let ids = ids_body(&body, &s.users)?;
    find_mut(&mut s.assignments, id, MODEL)?.admins = ids;
    success()
}

/// Finalizes (or un-finalizes) one assignment on one date; the message says what
/// happened or what went wrong, in production's words.
fn toggle(
    s: &mut Store,
    id: u64,
    date: NaiveDate,
    finalize: bool,
    today: NaiveDate,
) -> Result<String, String> {
    let Some(a) = s.assignments.get_mut(&id) else {
        return Err(format!("Assignment (#{id}) not found."));
    };
    let day = fmt_date(date);
    if date > today {
        return Err(format!(
            "Assignment (#{id}) Finalization is only allowed on past and current dates."
        ));
    }
    match (finalize, a.finalized.contains(&date)) {
        (true, true) => Err(format!("Assignment (#{id}) is already finalized on {day}.")),
        (false, false) => Err(format!("Assignment (#{id}) is not finalized on {day}.")),
        (true, false) => {
            a.finalized.insert(date);
            Ok(format!("Assignment (#{id}) finalized on {day}."))
        }
        (false, true) => {
            a.finalized.remove(&date);
            Ok(format!("Assignment (#{id}) finalization removed on {day}."))
        }
    }
}

async fn single(app: App, id: u64, body: Body, finalize: bool) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let date = c.req_date("date");
    let admin = if finalize { c.req_id("admin_id") } else { 0 };
    c.finish()?;
    let mut s = app.write();
    find(&s.assignments, id, MODEL)?;
    if finalize && !s.is_user(admin) {
        return Err(ApiError::invalid("The selected admin id is invalid."));
    }
    toggle(&mut s, id, date, finalize, app.clock.today()).map_err(ApiError::invalid)?;
    success()
}

async fn finalize(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    single(app, id, body, true).await
}

async fn unfinalize(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    single(app, id, body, false).await
}

/// The dates asked for, per assignment.
type BatchItems = Vec<(u64, BTreeSet<NaiveDate>)>;

/// The admin and the `(assignment, dates)` pairs of a batch body: each entry's `dates` merged
/// with its inclusive `start`..`end` range.
fn batch_items(map: &Map<String, Value>) -> Result<(u64, BatchItems), ApiError> {
    let mut c = Check::new(map);
    let admin = c.req_id("admin_id");
    let entries = map.get("assignments").and_then(Value::as_array).cloned();
    c.ensure(
        entries.as_ref().is_some_and(|e| !e.is_empty()),
        "The assignments field is required.",
    );
    let entries = entries.unwrap_or_default();
    c.ensure(
        entries.len() <= LIST_ITEMS,
        format!("The assignments may not have more than {LIST_ITEMS} items."),
    );
    let (mut items, mut total) = (Vec::new(), 0);
    for (i, entry) in entries.iter().take(LIST_ITEMS).enumerate() {
        let empty = Map::new();
        let obj = entry.as_object().unwrap_or(&empty);
        let mut e = Check::new(obj);
        let id = obj.get("id").and_then(as_id);
        let dates: BTreeSet<NaiveDate> = obj
            .get("dates")
            .and_then(Value::as_array)
            .map(|d| {
                d.iter()
                    .take(LIST_ITEMS)
                    .filter_map(|d| d.as_str().and_then(crate::clock::parse_date))
                    .filter(in_years)
                    .collect()
            })
            .unwrap_or_default();
        let (start, end) = (e.opt_date("start"), e.opt_date("end"));
        let mut all = dates;
        if let (Some(start), Some(end)) = (start, end) {
            let range = (start.and_time(NaiveTime::MIN), end.and_time(NaiveTime::MIN));
            c.span(
                range.0,
                range.1,
                RANGE_DAYS,
                &format!("assignments.{i} range"),
            );
            if within_days(range.0, range.1, RANGE_DAYS) {
                all.extend(days(start, end.succ_opt().unwrap_or(end)));
            }
        }
        total += all.len();
        c.ensure(
            id.is_some(),
            format!("The assignments.{i}.id field is required."),
        );
        c.ensure(
            !all.is_empty(),
            format!(
                "The assignments.{i}.dates field is required when start and end are not present."
            ),
        );
        c.ensure(
            e.finish().is_ok(),
            format!("The assignments.{i} dates must match the format Y-m-d."),
        );
        items.push((id.unwrap_or_default(), all));
    }
    c.ensure(
        total <= BATCH_DATES,
        format!("The assignments may not name more than {BATCH_DATES} dates in all."),
    );
    c.finish()?;
    Ok((admin, items))
}

async fn batch(app: App, body: Body, finalize: bool) -> ApiResult {
    let (admin, items) = batch_items(&body.object())?;
    let mut s = app.write();
    if !s.is_user(admin) {
        return Err(ApiError::missing("User"));
    }
    let today = app.clock.today();
    let (mut done_msgs, mut errors) = (Vec::new(), Vec::new());
    for (id, dates) in items {
        for date in dates {
            match toggle(&mut s, id, date, finalize, today) {
                Ok(m) => done_msgs.push(m),
                Err(m) => errors.push(m),
            }
        }
    }
    if done_msgs.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let mut body = json!({
        "success": true,
        "code": 200,
        "status": "ok",
        "message": if errors.is_empty() {
            "All finaliziations processed successfully."
        } else {
            "Finalizations processed with errors. See the error_messages field."
        },
        "success_messages": done_msgs,
    });
    if !errors.is_empty() {
        body["error_messages"] = json!(errors);
    }
    ok(body)
}

async fn finalize_batch(State(app): State<App>, body: Body) -> ApiResult {
    batch(app, body, true).await
}

async fn unfinalize_batch(State(app): State<App>, body: Body) -> ApiResult {
    batch(app, body, false).await
}
