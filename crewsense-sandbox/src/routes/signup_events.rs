//! The Signup Board: events and the people signed up (each signup books Misc. hours).

use axum::Router;
use axum::extract::State;
use axum::routing::{delete, get};
use serde_json::{Map, Value, json};

use super::{find, find_live_mut};
use crate::clock::{fmt_local, fmt_ts};
use crate::error::ApiError;
use crate::extract::{Body, Ids, Query};
use crate::render::{IdStyle, id_opt, ts_opt, user_ref};
use crate::reply::{ApiResult, done, done_created, ok};
use crate::state::App;
use crate::store::{MiscHours, SignupEvent, Store};
use crate::validate::{Check, as_flag};

const MODEL: &str = "SignupEvent";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/signup_events", get(list).post(create))
        .route("/signup_events/{id}", get(read).put(replace))
        .route("/signup_events/{id}/users", get(users).post(sign_up))
        .route("/signup_events/{id}/users/{user_id}", delete(withdraw))
}

fn render(app: &App, e: &SignupEvent) -> Value {
    json!({
        "id": e.id,
        "work_type_id": e.work_type_id,
        "work_subtype_id": id_opt(e.work_subtype_id),
        "title": e.title,
        "start": fmt_local(e.start),
        "end": fmt_local(e.end),
        "description": e.description,
        "created_by": e.created_by,
        "created_at": fmt_ts(e.created_at),
        "modified_by": e.modified_by,
        "modified_at": fmt_ts(e.modified_at),
        "deleted_by": id_opt(e.deleted_by),
        "deleted_at": ts_opt(e.deleted_at),
        "employees_needed": e.employees_needed,
        "status": e.status(app.clock.now()),
    })
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let map = q.map();
    let mut c = Check::new(&map);
    let (start, end) = (c.opt_local("start"), c.opt_local("end"));
    let truthy = |key: &str| map.get(key).and_then(as_flag).unwrap_or(false);
    let (deleted, archived) = (truthy("deleted"), truthy("archived"));
    let status = q.get("status");
    c.finish()?;
    let s = app.read();
    let now = app.clock.now();
    let items: Vec<Value> = s
        .signup_events
        .values()
        .filter(|e| {
            let gone = e.deleted_at.is_some();
            let kept = match (deleted, archived, status) {
                (true, _, _) => gone,
                (_, true, _) => {
                    !gone && e.status(now) != "active" && e.status(now) != "partially_filled"
                }
                (_, _, Some(st)) => !gone && e.status(now) == st,
                _ => !gone,
            };
            kept && start.is_none_or(|d| e.start >= d) && end.is_none_or(|d| e.end <= d)
        })
        .map(|e| render(&app, e))
        .collect();
    ok(json!(items))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(&app, find(&s.signup_events, id, MODEL)?))
}

/// Writes the full document (every creation field required) into `e`.
fn apply(s: &Store, e: &mut SignupEvent, body: &Map<String, Value>) -> Result<u64, ApiError> {
    let mut c = Check::new(body);
    let admin = c.req_id("admin_id");
    let title = c.req_str("title");
    let (start, end) = (c.req_local("start"), c.req_local("end"));
    let needed = c.req_int("employees_needed");
    let work_type = c.req_id("work_type_id");
    let subtype = c.opt_id("work_subtype_id");
    let description = c.opt_str("description");
    c.ensure(end > start, "The end must be a date after start.");
    c.ensure(needed >= 0, "The employees needed must be at least 0.");
    c.ensure(s.is_user(admin), "The selected admin id is invalid.");
    c.ensure(
        s.work_types.contains_key(&work_type),
        "The selected work type id is invalid.",
    );
    c.ensure(
        subtype.is_none_or(|st| s.work_subtypes.contains_key(&st)),
        "The selected work subtype id is invalid.",
    );
    c.finish()?;
    (e.title, e.start, e.end, e.employees_needed) = (title, start, end, needed);
    (e.work_type_id, e.work_subtype_id) = (work_type, subtype);
    e.description = description.unwrap_or_else(|| e.description.clone());
    Ok(admin)
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let now = app.clock.now();
    let mut s = app.write();
    let mut e = SignupEvent {
        id: 0,
        work_type_id: 0,
        work_subtype_id: None,
        title: String::new(),
        description: String::new(),
        start: now,
        end: now,
        created_by: 0,
        created_at: now,
        modified_by: 0,
        modified_at: now,
        deleted_by: None,
        deleted_at: None,
        employees_needed: 0,
        signups: Vec::new(),
    };
    let admin = apply(&s, &mut e, &body.object())?;
    (e.created_by, e.modified_by) = (admin, admin);
    e.id = s.alloc_id();
    let (id, message) = (e.id, format!("Added signup event {}", e.title));
    s.signup_events.insert(id, e);
    done_created(message, id)
}

async fn replace(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let now = app.clock.now();
    let mut s = app.write();
    let mut e = find_live_mut(&mut s.signup_events, id, MODEL)?.clone();
    let admin = apply(&s, &mut e, &body.object())?;
    (e.modified_by, e.modified_at) = (admin, now);
    let message = format!("Updated signup event {}", e.title);
    s.signup_events.insert(id, e);
    done(message, Some(id))
}

async fn users(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let e = find(&s.signup_events, id, MODEL)?;
    let items: Vec<Value> = e
        .signups
        .iter()
        .map(|(signup, user, misc)| json!({ "id": signup, "user": user_ref(&app, &s, *user, IdStyle::Num), "misc_hour_id": misc }))
        .collect();
    ok(json!(items))
}

async fn sign_up(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let user = c.req_id("user_id");
    c.finish()?;
    let mut s = app.write();
    let e = find_live_mut(&mut s.signup_events, id, MODEL)?.clone();
    if !s.is_user(user) {
        return Err(ApiError::invalid("The selected user id is invalid."));
    }
    if e.signups.iter().any(|(_, u, _)| *u == user) {
        return Err(ApiError::invalid(format!(
            "User #{user} is already signed up for event #{id}"
        )));
    }
    let (signup, misc) = (s.alloc_id(), s.alloc_id());
    s.misc_hours.insert(
        misc,
        MiscHours {
            id: misc,
            user_id: user,
            start: e.start,
            end: e.end,
            work_type_id: e.work_type_id,
            work_subtype_id: e.work_subtype_id,
            notes: Some(format!("Signup: {}", e.title)),
        },
    );
    find_live_mut(&mut s.signup_events, id, MODEL)?
        .signups
        .push((signup, user, misc));
    let message = format!("Signed {} up for event {}", s.user_name(user), e.title);
    done_created(message, signup)
}

async fn withdraw(State(app): State<App>, Ids([id, user]): Ids<2>) -> ApiResult {
    let mut s = app.write();
    let e = find_live_mut(&mut s.signup_events, id, MODEL)?;
    let Some(pos) = e.signups.iter().position(|(_, u, _)| *u == user) else {
        return Err(ApiError::invalid(format!(
            "User #{user} not found in Signup Event."
        )));
    };
    let (signup, _, misc) = e.signups.remove(pos);
    let title = e.title.clone();
    s.misc_hours.remove(&misc);
    done(
        format!("Removed {} from event {title}", s.user_name(user)),
        Some(signup),
    )
}
