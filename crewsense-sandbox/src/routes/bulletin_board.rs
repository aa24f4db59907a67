//! The bulletin board; `PUT` answers 409 while the board is locked through the
//! control API (someone editing it in the web app).

use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::clock::fmt_ts;
use crate::error::ApiError;
use crate::extract::Body;
use crate::render::{IdStyle, user_ref};
use crate::reply::{ApiResult, done, ok};
use crate::state::App;
use crate::store::BulletinBoard;
use crate::validate::Check;

pub(super) fn routes() -> Router<App> {
    Router::new().route("/bulletin_board", get(read).put(replace))
}

async fn read(State(app): State<App>) -> ApiResult {
    let s = app.read();
    ok(match &s.bulletin_board {
        Some(b) => json!({
            "content": b.content,
            "last_updated_by": user_ref(&app, &s, b.last_updated_by, IdStyle::Num),
            "last_updated_at": fmt_ts(b.last_updated_at),
        }),
        None => {
            json!({ "content": Value::Null, "last_updated_by": Value::Null, "last_updated_at": Value::Null })
        }
    })
}

/// Drops `<script>` elements and inline event handlers, like the server's sanitiser.
fn sanitise(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.to_ascii_lowercase().find("<script") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail
            .to_ascii_lowercase()
            .find("</script>")
            .map_or(tail.len(), |e| e + "</script>".len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out.replace(" onclick=", " data-removed=")
        .replace(" onerror=", " data-removed=")
}

async fn replace(State(app): State<App>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let admin = c.req_id("admin_id");
    let content = c.req_str("content");
    if app.board_locked.load(Ordering::SeqCst) {
        return Err(ApiError::Conflict(
            "The bulletin board is being edited by another user. Reload it and try again.".into(),
        ));
    }
    let mut s = app.write();
    c.ensure(s.is_user(admin), "The selected admin id is invalid.");
    c.finish()?;
    s.bulletin_board = Some(BulletinBoard {
        content: sanitise(&content),
        last_updated_by: admin,
        last_updated_at: app.clock.now(),
    });
    done("Bulletin board updated.", None)
}

#[cfg(test)]
mod tests {
    use super::sanitise;

    #[test]
    fn strips_scripts() {
        assert_eq!(
            sanitise("<p>a</p><SCRIPT>x()</script><b>b</b>"),
            "<p>a</p><b>b</b>"
        );
    }
}
