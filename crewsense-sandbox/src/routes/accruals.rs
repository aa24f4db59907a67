//! Accrual profiles and banked hours.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::find;
use crate::extract::{Body, Ids};
use crate::render::IdStyle;
use crate::reply::{ApiResult, done, ok};
use crate::state::App;
use crate::store::{Store, TimeOffType};
use crate::validate::Check;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/accruals", get(company_profiles))
        .route(
            "/users/{user_id}/timeoff/accrual/profile",
            get(user_profiles),
        )
        .route("/users/{user_id}/timeoff/accrual/bank", get(user_banks))
        .route("/users/{user_id}/timeoff/accrual/bank/{id}", post(adjust))
}

fn type_ref(t: &TimeOffType, ids: IdStyle) -> Value {
    json!({ "id": ids.of(t.id), "name": t.label })
}

fn profiles(s: &Store, ids: IdStyle) -> Value {
    let items: Vec<Value> = s
        .time_off_types
        .values()
        .map(|t| json!({ "time_off_type": type_ref(t, ids), "accrual_type": t.accrual }))
        .collect();
    json!(items)
}

async fn company_profiles(State(app): State<App>) -> ApiResult {
    ok(profiles(&app.read(), IdStyle::Str))
}

async fn user_profiles(State(app): State<App>, Ids([user]): Ids<1>) -> ApiResult {
    let s = app.read();
    find(&s.users, user, "User")?;
    ok(profiles(&s, IdStyle::Num))
}

async fn user_banks(State(app): State<App>, Ids([user]): Ids<1>) -> ApiResult {
    let s = app.read();
    find(&s.users, user, "User")?;
    let items: Vec<Value> = s
        .time_off_types
        .values()
        .map(|t| {
            let hours = s.banks.get(&(user, t.id)).copied().unwrap_or(0.0);
            json!({ "hours": hours, "time_off_type": type_ref(t, IdStyle::Str) })
        })
        .collect();
    ok(json!(items))
}

async fn adjust(State(app): State<App>, Ids([user, type_id]): Ids<2>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let body_type = c.req_id("time_off_type_id");
    let hours = c.req_f64("hours");
    let admin = c.req_id("admin_id");
    c.ensure(
        body_type == type_id,
        "The time off type id must match the one in the path.",
    );
    let mut s = app.write();
    find(&s.users, user, "User")?;
    find(&s.time_off_types, type_id, "TimeOffType")?;
    c.ensure(s.is_user(admin), "The selected admin id is invalid.");
    let total = s.banks.get(&(user, type_id)).copied().unwrap_or(0.0) + hours;
    c.ensure(total.is_finite(), "The hours must be a number.");
    c.finish()?;
    s.banks.insert((user, type_id), total);
    done(
        format!("Accrual bank adjusted by {hours} hours; balance {total} hours."),
        None,
    )
}
