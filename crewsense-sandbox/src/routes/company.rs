//! The company the token belongs to.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::json;

use crate::reply::{ApiResult, ok};
use crate::seed::COMPANY_ID;
use crate::state::App;

pub(super) fn routes() -> Router<App> {
    Router::new().route("/company", get(read))
}

async fn read(State(app): State<App>) -> ApiResult {
    let s = app.read();
    ok(json!({
        "id": COMPANY_ID,
        "name": s.company_name,
        "timezone": "America/Phoenix",
        "utc_offset": "-07:00",
        "address": "1 Fire Plaza",
        "city": "Mesa",
        "state": "AZ",
        "zip": "85201",
        "users": s.users.len(),
    }))
}
