//! CallBack lists, also served as `/titles`.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use super::find;
use crate::extract::Ids;
use crate::reply::{ApiResult, ok};
use crate::state::App;
use crate::store::ListTitle;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/lists", get(list))
        .route("/lists/{id}", get(read))
        .route("/titles", get(list))
        .route("/titles/{id}", get(read))
}

/// A CallBack list; `with_deleted` adds the `deleted` flag (single reads and
/// per-user lists carry it, the collection does not).
pub(crate) fn render(t: &ListTitle, with_deleted: bool) -> Value {
    let mut v = json!({
        "id": t.id,
        "name": t.name,
        "max_consecutive_hours": t.max_consecutive_hours,
        "weekly_limit": t.weekly_limit,
        "monthly_limit": t.monthly_limit,
        "yearly_limit": t.yearly_limit,
        "position": t.position,
    });
    if with_deleted {
        v["deleted"] = json!(t.deleted);
    }
    v
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    let items: Vec<Value> = s
        .titles
        .values()
        .filter(|t| !t.deleted)
        .map(|t| render(t, false))
        .collect();
    ok(json!(items))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(find(&s.titles, id, "Title")?, true))
}
