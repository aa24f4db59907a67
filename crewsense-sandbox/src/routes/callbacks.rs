//! CallBacks: offset-paged listing, single reads and the people contacted.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use super::find;
use crate::clock::{fmt_local, fmt_ts};
use crate::extract::{Ids, Query};
use crate::paging::{link, offset_page};
use crate::render::{IdStyle, local_opt, ts_opt, user_name_ref};
use crate::reply::{ApiResult, ok};
use crate::state::App;
use crate::store::{Callback, Store};
use crate::validate::Check;

const MODEL: &str = "Callback";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/callbacks", get(list))
        .route("/callbacks/{id}", get(read))
        .route("/callbacks/{id}/users", get(users))
}

fn render(s: &Store, c: &Callback) -> Value {
    json!({
        "id": c.id,
        "title": s.titles.get(&c.title_id).map(|t| json!({ "id": t.id, "name": t.name })),
        "initiated_by": user_name_ref(s, c.initiated_by, IdStyle::Num),
        "start": fmt_local(c.start),
        "end": fmt_local(c.end),
        "positions_to_fill": c.positions_to_fill,
        "scheduled_to": fmt_ts(c.scheduled_to),
        "started_at": fmt_ts(c.scheduled_to),
        "ended_at": ts_opt(c.ended_at),
        "deadline": fmt_ts(c.deadline),
        "status": c.status,
    })
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let map = q.map();
    let mut c = Check::new(&map);
    let (start, end) = (c.opt_local("start"), c.opt_local("end"));
    let offset = c.opt_int("offset").unwrap_or(0);
    c.ensure(offset >= 0, "The offset must be at least 0.");
    c.finish()?;
    let s = app.read();
    let items: Vec<Value> = s
        .callbacks
        .values()
        .rev()
        .filter(|cb| start.is_none_or(|d| cb.end > d) && end.is_none_or(|d| cb.start < d))
        .map(|cb| render(&s, cb))
        .collect();
    let mut query: Vec<(&str, String)> = Vec::new();
    query.extend(start.map(|d| ("start", fmt_local(d))));
    query.extend(end.map(|d| ("end", fmt_local(d))));
    let link_to = |o: usize| {
        let mut q = query.clone();
        q.push(("offset", o.to_string()));
        link(&app.base_url, "/callbacks", &q)
    };
    ok(offset_page(items, offset as usize, link_to))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(&s, find(&s.callbacks, id, MODEL)?))
}

async fn users(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let cb = find(&s.callbacks, id, MODEL)?;
    let flag = |b: bool| if b { "1" } else { "0" };
    let items: Vec<Value> = cb
        .contacts
        .iter()
        .enumerate()
        .map(|(i, contact)| {
            json!({
                "id": contact.user_id.to_string(),
                "position": (i + 1).to_string(),
                "status": contact.status,
                "contact_method": contact.contact_method,
                "contact_time": fmt_local(contact.contact_time),
                "response_time": local_opt(contact.response_time),
                "start_time": null,
                "end_time": null,
                "uses_opportunity": flag(contact.status != "no answer"),
                "do_not_disturb": flag(false),
                "auto_accepted": flag(false),
            })
        })
        .collect();
    ok(json!(items))
}
