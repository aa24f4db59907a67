//! (Un)availability periods.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::clock::fmt_local;
use crate::extract::{Body, Query};
use crate::limits::RANGE_DAYS;
use crate::render::{IdStyle, user_ref, user_ref_opt};
use crate::reply::{ApiResult, done_created, ok};
use crate::state::App;
use crate::store::{Availability, Store};
use crate::validate::{Check, period};

pub(super) fn routes() -> Router<App> {
    Router::new().route("/availability_periods", get(list).post(create))
}

fn render(app: &App, s: &Store, a: &Availability) -> Value {
    json!({
        "id": a.id,
        "user": user_ref(app, s, a.user_id, IdStyle::Num),
        "start": fmt_local(a.start),
        "end": fmt_local(a.end),
        "admin": user_ref_opt(app, s, a.admin_id, IdStyle::Num),
        "notes": a.notes,
        "unavailability_reason": a.reason_id.and_then(|r| s.unavailability_reasons.get(&r)).map(|r| json!({ "id": r.id, "name": r.name })),
    })
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let (start, end) = period(&q.map(), RANGE_DAYS)?;
    let s = app.read();
    let mut items: Vec<&Availability> = s
        .availability
        .values()
        .filter(|a| Store::overlaps(a.start, a.end, start, end))
        .collect();
    items.sort_by_key(|a| (a.start, a.id));
    ok(json!(
        items
            .into_iter()
            .map(|a| render(&app, &s, a))
            .collect::<Vec<_>>()
    ))
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let user = c.req_id("user_id");
    let (start, end) = (c.req_local("start"), c.req_local("end"));
    let reason = c.opt_id("unavailability_reason_id");
    let admin = c.opt_id("admin_id");
    let notes = c.opt_str("notes");
    c.ensure(end > start, "The end must be a date after start.");
    let mut s = app.write();
    c.ensure(s.is_user(user), "The selected user id is invalid.");
    c.ensure(
        admin.is_none_or(|a| s.is_user(a)),
        "The selected admin id is invalid.",
    );
    c.ensure(
        reason.is_none_or(|r| s.unavailability_reasons.contains_key(&r)),
        "The selected unavailability reason id is invalid.",
    );
    c.finish()?;
    let id = s.alloc_id();
    s.availability.insert(
        id,
        Availability {
            id,
            user_id: user,
            start,
            end,
            admin_id: admin,
            notes,
            reason_id: reason.or(Some(6)),
        },
    );
    done_created("Availability period added.", id)
}
