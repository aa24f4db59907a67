//! Work types and their subtypes (read-only).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use super::find;
use crate::extract::Ids;
use crate::reply::{ApiResult, ok};
use crate::state::App;
use crate::store::{WorkSubtype, WorkType};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/work_types", get(list))
        .route("/work_types/{id}", get(read))
        .route("/work_types/{id}/subtypes", get(subtypes_of))
        .route("/work_subtypes", get(subtypes))
}

fn render(app: &App, w: &WorkType) -> Value {
    json!({
        "id": w.id,
        "label": w.label,
        "work_code": w.work_code,
        "primary_color": w.primary_color,
        "secondary_color": w.secondary_color,
        "excludes_from_callback": w.excludes_from_callback,
        "position": w.position,
        "href": app.href("work_types", w.id),
    })
}

fn render_subtype(st: &WorkSubtype) -> Value {
    json!({ "id": st.id, "work_type_id": st.work_type_id, "label": st.label, "work_code": st.work_code })
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    let mut all: Vec<&WorkType> = s.work_types.values().collect();
    all.sort_by_key(|w| (w.position, w.id));
    ok(json!(
        all.into_iter().map(|w| render(&app, w)).collect::<Vec<_>>()
    ))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(&app, find(&s.work_types, id, "WorkType")?))
}

async fn subtypes_of(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    find(&s.work_types, id, "WorkType")?;
    let items: Vec<Value> = s
        .work_subtypes
        .values()
        .filter(|st| st.work_type_id == id)
        .map(render_subtype)
        .collect();
    ok(json!(items))
}

async fn subtypes(State(app): State<App>) -> ApiResult {
    let s = app.read();
    ok(json!(
        s.work_subtypes
            .values()
            .map(render_subtype)
            .collect::<Vec<_>>()
    ))
}
