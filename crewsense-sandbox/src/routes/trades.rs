//! Shift trades.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::find;
use crate::clock::fmt_ts;
use crate::error::ApiError;
use crate::extract::{Body, Ids};
use crate::render::{IdStyle, ts_opt, user_ref, user_ref_opt};
use crate::reply::{ApiResult, done, ok};
use crate::state::App;
use crate::store::{Store, Trade};
use crate::validate::Check;

const MODEL: &str = "Trade";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/trades", get(list).post(create))
        .route(
            "/trades/{id}",
            axum::routing::patch(update).put(replace).delete(remove),
        )
        .route("/trades/{id}/users", get(users))
}

fn render(app: &App, s: &Store, t: &Trade) -> Value {
    json!({
        "id": t.id.to_string(),
        "href": app.href("trades", t.id),
        "requesting_user": user_ref(app, s, t.requesting_user, IdStyle::Str),
        "accepting_user": user_ref_opt(app, s, t.accepting_user, IdStyle::Str),
        "admin": user_ref_opt(app, s, t.admin, IdStyle::Str),
        "request_date": fmt_ts(t.request_date),
        "start": fmt_ts(t.start),
        "end": fmt_ts(t.end),
        "swap_start": ts_opt(t.swap_start),
        "swap_end": ts_opt(t.swap_end),
        "status": t.status,
    })
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    ok(json!(
        s.trades
            .values()
            .map(|t| render(&app, &s, t))
            .collect::<Vec<_>>()
    ))
}

/// Applies a trade document; `full` requires every field `POST /trades` requires.
fn apply(s: &Store, t: &mut Trade, body: &Map<String, Value>, full: bool) -> Result<(), ApiError> {
    let mut c = Check::new(body);
    let (requester, start, end, approver) = if full {
        (
            Some(c.req_id("requesting_user")),
            Some(c.req_local("start")),
            Some(c.req_local("end")),
            Some(c.req_id("approving_user_id")),
        )
    } else {
        (
            c.opt_id("requesting_user"),
            c.opt_local("start"),
            c.opt_local("end"),
            c.opt_id("approving_user_id"),
        )
    };
    let accepter = c.opt_id("accepting_user_id");
    for (field, id) in [
        ("requesting user", requester),
        ("approving user id", approver),
        ("accepting user id", accepter),
    ] {
        c.ensure(
            id.is_none_or(|id| s.is_user(id)),
            format!("The selected {field} is invalid."),
        );
    }
    let (start, end) = (start.unwrap_or(t.start), end.unwrap_or(t.end));
    c.ensure(end > start, "The end must be a date after start.");
    c.finish()?;
    t.requesting_user = requester.unwrap_or(t.requesting_user);
    (t.start, t.end) = (start, end);
    t.admin = approver.or(t.admin);
    if accepter.is_some() {
        t.accepting_user = accepter;
        t.status = "accepted".into();
    }
    Ok(())
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let now = app.clock.now();
    let mut s = app.write();
    let mut t = Trade {
        id: 0,
        requesting_user: 0,
        accepting_user: None,
        admin: None,
        request_date: now,
        start: now,
        end: now,
        swap_start: None,
        swap_end: None,
        status: "pending".into(),
    };
    apply(&s, &mut t, &body.object(), true)?;
    t.id = s.alloc_id();
    let id = t.id;
    s.trades.insert(id, t);
    done("Trade created.", Some(id))
}

async fn change(app: App, id: u64, body: Body, full: bool) -> ApiResult {
    let mut s = app.write();
    let mut t = find(&s.trades, id, MODEL)?.clone();
    apply(&s, &mut t, &body.object(), full)?;
    s.trades.insert(id, t);
    done("Trade updated.", Some(id))
}

async fn update(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    change(app, id, body, false).await
}

async fn replace(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    change(app, id, body, true).await
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    app.write()
        .trades
        .remove(&id)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    done("Trade removed.", Some(id))
}

async fn users(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let t = find(&s.trades, id, MODEL)?;
    let with_status = |user: u64, status: &str| {
        let mut v = user_ref(&app, &s, user, IdStyle::Str);
        v["status"] = json!(status);
        v
    };
    let mut items = vec![with_status(t.requesting_user, "requested")];
    items.extend(t.accepting_user.map(|u| with_status(u, "accepted")));
    items.extend(t.admin.map(|u| with_status(u, "approver")));
    ok(json!(items))
}
