//! The TargetSolutions mapping of users.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::extract::Ids;
use crate::reply::{ApiResult, ok};
use crate::seed::COMPANY_ID;
use crate::state::App;
use crate::store::User;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/target_solutions/users", get(list))
        .route("/target_solutions/users/{id}", get(read))
}

fn render(u: &User, ts: u64) -> Value {
    json!({
        "id": ts,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "crewsense_user_id": u.id,
        "crewsense_company_id": COMPANY_ID,
        "target_solutions_customer_id": 1,
    })
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    ok(json!(
        s.users
            .values()
            .filter_map(|u| u.ts_userid.map(|ts| render(u, ts)))
            .collect::<Vec<_>>()
    ))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    s.users
        .values()
        .find(|u| u.ts_userid == Some(id))
        .map_or_else(
            || Err(ApiError::missing("TargetSolutionsUser")),
            |u| ok(render(u, id)),
        )
}
