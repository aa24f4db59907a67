//! User groups (platoons, stations...).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::extract::Body;
use crate::reply::{ApiResult, done, ok};
use crate::state::App;
use crate::store::Named;
use crate::validate::Check;

pub(super) fn routes() -> Router<App> {
    Router::new().route("/groups", get(list).post(create))
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    let items: Vec<Value> = s
        .groups
        .values()
        .map(|g| json!({ "id": g.id.to_string(), "label": g.name }))
        .collect();
    ok(json!(items))
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let name = c.req_str("name");
    c.finish()?;
    let mut s = app.write();
    let id = s.alloc_id();
    s.groups.insert(
        id,
        Named {
            id,
            name: name.clone(),
        },
    );
    done(format!("Group {name} created."), Some(id))
}
