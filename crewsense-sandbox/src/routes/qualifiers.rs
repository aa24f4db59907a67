//! Qualifiers: soft delete, and `PUT` that only restores.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use super::find;
use crate::clock::fmt_local;
use crate::error::ApiError;
use crate::extract::{Body, Ids};
use crate::render::{id_opt, local_opt};
use crate::reply::{ApiResult, done, ok};
use crate::seed::CHIEF;
use crate::state::App;
use crate::store::Qualifier;
use crate::validate::Check;

const MODEL: &str = "Qualifier";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/qualifiers", get(list).post(create))
        .route("/qualifiers/{id}", get(read).put(restore).delete(remove))
        .route("/qualifiers/{id}/users", get(users))
}

fn label(q: &Qualifier) -> String {
    format!("{} [{}]", q.name, q.shortcode)
}

/// The full record; the list leaves out the creation and deletion fields.
fn render(q: &Qualifier, full: bool) -> Value {
    let mut v = json!({
        "id": q.id,
        "name": q.name,
        "shortcode": q.shortcode,
        "color": q.color,
        "text_color": q.text_color,
        "modified_by": id_opt(q.modified_by),
        "modified_on": local_opt(q.modified_on),
        "target_solutions_credential_id": id_opt(q.ts_credential_id),
    });
    if full {
        v["title_id"] = id_opt(q.title_id);
        v["created_by"] = json!(q.created_by);
        v["created_on"] = json!(fmt_local(q.created_on));
        v["deleted_at"] = local_opt(q.deleted_at);
        v["deleted_by"] = id_opt(q.deleted_by);
    }
    v
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    ok(json!(
        s.qualifiers
            .values()
            .filter(|q| q.deleted_at.is_none())
            .map(|q| render(q, false))
            .collect::<Vec<_>>()
    ))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(find(&s.qualifiers, id, MODEL)?, true))
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let name = c.req_str("name");
    let shortcode = c.opt_str("shortcode");
    let ts = c.opt_id("target_solutions_credential_id");
    let now = app.clock.now();
    let mut s = app.write();
    c.ensure(
        !s.qualifiers
            .values()
            .any(|q| q.deleted_at.is_none() && q.name == name),
        "The name has already been taken.",
    );
    c.finish()?;
    let id = s.alloc_id();
    let shortcode =
        shortcode.unwrap_or_else(|| name.chars().take(3).collect::<String>().to_uppercase());
    s.qualifiers.insert(
        id,
        Qualifier {
            id,
            name,
            shortcode,
            color: "#607d8b".into(),
            text_color: "#FFFFFF".into(),
            title_id: None,
            created_by: CHIEF,
            created_on: now,
            modified_by: None,
            modified_on: None,
            deleted_by: None,
            deleted_at: None,
            ts_credential_id: ts,
        },
    );
    ok(json!({ "inserted": 1 }))
}

async fn restore(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let undelete = c.req_int("undelete");
    c.ensure(undelete == 1, "The undelete field must be 1.");
    c.finish()?;
    let now = app.clock.now();
    let mut s = app.write();
    let q = s
        .qualifiers
        .get_mut(&id)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    if q.deleted_at.is_none() {
        return Err(ApiError::Conflict(format!(
            "Qualifier {} is not deleted, cannot restore.",
            label(q)
        )));
    }
    (q.deleted_at, q.deleted_by) = (None, None);
    (q.modified_by, q.modified_on) = (Some(CHIEF), Some(now));
    ok(json!({
        "success": true,
        "code": 200,
        "status": "ok",
        "message": format!("Qualifier {} restored successfully.", label(q)),
        "qualifier": { "id": q.id, "name": q.name, "shortcode": q.shortcode },
    }))
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let now = app.clock.now();
    let mut s = app.write();
    let q = s
        .qualifiers
        .get_mut(&id)
        .filter(|q| q.deleted_at.is_none())
        .ok_or_else(|| ApiError::missing(MODEL))?;
    (q.deleted_at, q.deleted_by) = (Some(now), Some(CHIEF));
    done(
        format!("Qualifier {} deleted successfully.", label(q)),
        Some(id),
    )
}

async fn users(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    find(&s.qualifiers, id, MODEL)?;
    let items: Vec<Value> = s
        .users
        .values()
        .filter_map(|u| {
            u.qualifiers
                .iter()
                .find(|(q, _)| *q == id)
                .map(|(_, rank)| (u, rank))
        })
        .map(|(u, rank)| json!({ "id": u.id, "name": u.name(), "ranking": rank }))
        .collect();
    ok(json!(items))
}
