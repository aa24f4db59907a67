//! System logs: 50 per page, continued with `after=`.
//!
//! A page holds the 50 oldest entries created after `after` (from the very first
//! entry without it), listed newest first; the next page is asked for with
//! `after` = the `created` of the page's first (newest) entry, and an empty or
//! short page is the last one.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::clock::{fmt_local, fmt_ts_compact};
use crate::extract::Query;
use crate::paging::{PAGE_SIZE, link};
use crate::render::{IdStyle, user_ref};
use crate::reply::{ApiResult, ok};
use crate::state::{App, Mode};
use crate::store::LogEntry;
use crate::validate::Check;

pub(super) fn routes() -> Router<App> {
    Router::new().route("/logs", get(list))
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let map = q.map();
    let mut c = Check::new(&map);
    let after = c.opt_local("after");
    c.finish()?;
    let s = app.read();
    let mut page: Vec<&LogEntry> = s
        .logs
        .values()
        .filter(|l| after.is_none_or(|a| l.created > a))
        .take(PAGE_SIZE)
        .collect();
    let newest = page.last().map(|l| l.created);
    let full = page.len() == PAGE_SIZE;
    page.reverse();
    let data: Vec<Value> = page
        .into_iter()
        .map(|l| {
            json!({
                "log_id": l.id.to_string(),
                "created": fmt_ts_compact(l.created),
                "event_description": l.description,
                "user": user_ref(&app, &s, l.user_id, IdStyle::Str),
            })
        })
        .collect();
    let mut body = json!({ "data": data });
    if app.mode == Mode::Documented {
        let next = newest
            .filter(|_| full)
            .map(|n| link(&app.base_url, "/logs", &[("after", fmt_local(n))]));
        body["pagination"] = json!({ "prev": null, "next": next });
    }
    ok(body)
}
