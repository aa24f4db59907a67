//! ReadyAlerts: broadcast messages, at most 30 a day.

use axum::Router;
use axum::extract::State;
use axum::routing::post;

use crate::error::ApiError;
use crate::extract::Body;
use crate::reply::{ApiResult, done_created};
use crate::state::App;
use crate::validate::Check;

/// ReadyAlerts allowed per day through the API.
pub(crate) const DAILY_LIMIT: u32 = 30;

const TARGETS: [&str; 5] = ["all", "title", "group", "classification", "user"];

pub(super) fn routes() -> Router<App> {
    Router::new().route("/ready_alerts", post(send))
}

async fn send(State(app): State<App>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let kind = c.req_str("type");
    let text = c.req_str("body");
    let sender = c.req_id("user_id");
    c.opt_flag("email");
    let ids = c.id_list("ids", false);
    c.ensure(
        kind.is_empty() || TARGETS.contains(&kind.as_str()),
        "The selected type is invalid.",
    );
    c.ensure(
        kind == "all" || kind.is_empty() || !ids.is_empty(),
        "The ids field is required unless type is all.",
    );
    c.ensure(
        text.chars().count() <= 1000,
        "The body may not be greater than 1000 characters.",
    );
    let mut s = app.write();
    c.ensure(s.is_user(sender), "The selected user id is invalid.");
    c.finish()?;
    let recipients = match kind.as_str() {
        "all" => s.users.len(),
        "user" => ids.iter().filter(|id| s.is_user(**id)).count(),
        "group" => s
            .users
            .values()
            .filter(|u| u.groups.iter().any(|g| ids.contains(g)))
            .count(),
        "title" => s
            .users
            .values()
            .filter(|u| u.titles.iter().any(|t| ids.contains(t)))
            .count(),
        _ => s
            .users
            .values()
            .filter(|u| u.filters.iter().any(|f| ids.contains(f)))
            .count(),
    };
    let sent = s.ready_alerts.entry(app.clock.today()).or_default();
    if *sent >= DAILY_LIMIT {
        return Err(ApiError::TooManyRequests(format!(
            "The limit of {DAILY_LIMIT} ReadyAlerts per day has been reached."
        )));
    }
    *sent += 1;
    let id = s.alloc_id();
    done_created(format!("ReadyAlert sent to {recipients} users."), id)
}
