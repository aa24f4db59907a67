//! Visual cycles: coloured date ranges in the calendar (soft-deleted).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::find_live_mut;
use crate::clock::{fmt_date, fmt_local};
use crate::error::ApiError;
use crate::extract::{Body, Ids, Query};
use crate::render::{id_opt, local_opt};
use crate::reply::{ApiResult, done, ok};
use crate::seed::CHIEF;
use crate::state::App;
use crate::store::VisualCycle;
use crate::validate::Check;

const MODEL: &str = "VisualCycle";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/visual_cycles", get(list).post(create))
        .route("/visual_cycles/{id}", get(read).put(replace).delete(remove))
}

fn render(v: &VisualCycle) -> Value {
    json!({
        "id": v.id,
        "name": v.name,
        "start": fmt_date(v.start),
        "end": fmt_date(v.end),
        "color": v.color,
        "text_color": v.text_color,
        "created_by": v.created_by,
        "created_at": fmt_local(v.created_at),
        "deleted_by": id_opt(v.deleted_by),
        "deleted_at": local_opt(v.deleted_at),
    })
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let map = q.map();
    let mut c = Check::new(&map);
    let (start, end) = (c.opt_date("start"), c.opt_date("end"));
    c.finish()?;
    let s = app.read();
    let items: Vec<Value> = s
        .visual_cycles
        .values()
        .filter(|v| v.deleted_at.is_none())
        .filter(|v| start.is_none_or(|d| v.end >= d) && end.is_none_or(|d| v.start <= d))
        .map(render)
        .collect();
    ok(json!(items))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    ok(render(find_live_mut(
        &mut app.write().visual_cycles,
        id,
        MODEL,
    )?))
}

/// Writes a full document (every field required) into `v`.
fn apply(v: &mut VisualCycle, body: &Map<String, Value>) -> Result<(), ApiError> {
    let mut c = Check::new(body);
    let (name, start, end) = (c.req_str("name"), c.req_date("start"), c.req_date("end"));
    let (color, text_color) = (c.req_str("color"), c.req_str("text_color"));
    c.ensure(
        end >= start,
        "The end must be a date after or equal to start.",
    );
    c.finish()?;
    (v.name, v.start, v.end, v.color, v.text_color) = (name, start, end, color, text_color);
    Ok(())
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let now = app.clock.now();
    let mut v = VisualCycle {
        id: 0,
        name: String::new(),
        start: now.date(),
        end: now.date(),
        color: String::new(),
        text_color: String::new(),
        created_by: CHIEF,
        created_at: now,
        deleted_by: None,
        deleted_at: None,
    };
    apply(&mut v, &body.object())?;
    let mut s = app.write();
    v.id = s.alloc_id();
    let id = v.id;
    s.visual_cycles.insert(id, v);
    done("Visual cycle created.", Some(id))
}

async fn replace(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let mut s = app.write();
    apply(
        find_live_mut(&mut s.visual_cycles, id, MODEL)?,
        &body.object(),
    )?;
    done("Visual cycle updated.", Some(id))
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let now = app.clock.now();
    let mut s = app.write();
    let v = find_live_mut(&mut s.visual_cycles, id, MODEL)?;
    (v.deleted_by, v.deleted_at) = (Some(CHIEF), Some(now));
    done("Visual cycle deleted.", Some(id))
}
