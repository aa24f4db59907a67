//! Crew scheduler labels (updated with POST, deleted for good).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::{find, find_mut};
use crate::error::ApiError;
use crate::extract::{Body, Ids};
use crate::reply::{ApiResult, done, ok};
use crate::state::App;
use crate::store::Label;
use crate::validate::Check;

const MODEL: &str = "Label";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/labels", get(list).post(create))
        .route("/labels/{id}", get(read).post(update).delete(remove))
}

fn render(l: &Label) -> Value {
    json!({
        "id": l.id.to_string(),
        "label": l.label,
        "color": l.color,
        "text_color": l.text_color,
        "position": l.position.to_string(),
    })
}

/// Writes the full document (label and both colours required) into `l`.
fn apply(l: &mut Label, body: &Map<String, Value>) -> Result<(), ApiError> {
    let mut c = Check::new(body);
    let (label, color, text_color) = (
        c.req_str("label"),
        c.req_str("color"),
        c.req_str("text_color"),
    );
    let position = c.opt_int("position");
    c.finish()?;
    (l.label, l.color, l.text_color) = (label, color, text_color);
    l.position = position.unwrap_or(l.position);
    Ok(())
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    let mut all: Vec<&Label> = s.labels.values().collect();
    all.sort_by_key(|l| (l.position, l.id));
    ok(json!(all.into_iter().map(render).collect::<Vec<_>>()))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(find(&s.labels, id, MODEL)?))
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let mut s = app.write();
    let mut l = Label {
        id: 0,
        label: String::new(),
        color: String::new(),
        text_color: String::new(),
        position: s.labels.len() as i64 + 1,
    };
    apply(&mut l, &body.object())?;
    l.id = s.alloc_id();
    let id = l.id;
    s.labels.insert(id, l);
    done("Label created.", Some(id))
}

async fn update(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let mut s = app.write();
    apply(find_mut(&mut s.labels, id, MODEL)?, &body.object())?;
    done("Label updated.", Some(id))
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let mut s = app.write();
    s.labels
        .remove(&id)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    for sh in s.shifts.values_mut() {
        sh.labels.retain(|l| *l != id);
    }
    done("Label removed.", Some(id))
}
