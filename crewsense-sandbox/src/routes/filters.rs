//! Specialty classification filters (updated with POST, soft-deleted).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use super::{find, find_live_mut};
use crate::clock::fmt_ts_compact;
use crate::error::ApiError;
use crate::extract::{Body, Ids};
use crate::render::{IdStyle, user_name_ref};
use crate::reply::{ApiResult, done, ok};
use crate::seed::CHIEF;
use crate::state::App;
use crate::store::{Filter, Store};
use crate::validate::Check;

const MODEL: &str = "Filter";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/filters", get(list).post(create))
        .route("/filters/{id}", get(read).post(update).delete(remove))
}

/// A filter as `/filters` sends it; `with_deleted` adds the `"0"`/`"1"` flag.
pub(crate) fn render(s: &Store, f: &Filter, with_deleted: bool) -> Value {
    let mut v = json!({
        "id": f.id.to_string(),
        "label": f.label,
        "created_on": fmt_ts_compact(f.created_on),
        "user": user_name_ref(s, f.created_by, IdStyle::Str),
    });
    if with_deleted {
        v["deleted"] = json!(if f.deleted { "1" } else { "0" });
    }
    v
}

fn label_of(body: &Body) -> Result<String, ApiError> {
    let map = body.object();
    let mut c = Check::new(&map);
    let label = c.req_str("label");
    c.finish()?;
    Ok(label)
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    let items: Vec<Value> = s
        .filters
        .values()
        .filter(|f| !f.deleted)
        .map(|f| render(&s, f, false))
        .collect();
    ok(json!(items))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(&s, find(&s.filters, id, MODEL)?, true))
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let label = label_of(&body)?;
    let now = app.clock.now();
    let mut s = app.write();
    let id = s.alloc_id();
    s.filters.insert(
        id,
        Filter {
            id,
            label,
            created_on: now,
            created_by: CHIEF,
            deleted: false,
        },
    );
    done("Filter created.", Some(id))
}

async fn update(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let label = label_of(&body)?;
    find_live_mut(&mut app.write().filters, id, MODEL)?.label = label;
    done("Filter updated.", Some(id))
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    find_live_mut(&mut app.write().filters, id, MODEL)?.deleted = true;
    done("Filter deleted.", Some(id))
}
