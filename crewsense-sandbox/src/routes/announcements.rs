//! Company announcements: offset-paged listing, create, update, delete.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, put};
use serde_json::{Value, json};

use super::find_live_mut;
use crate::error::ApiError;
use crate::extract::{Body, Ids, Query};
use crate::paging::{link, offset_page};
use crate::render::{IdStyle, user_ref};
use crate::reply::{ApiResult, done, done_created, ok};
use crate::seed::{CHIEF, COMPANY_ID};
use crate::state::App;
use crate::store::{Announcement, Store};
use crate::validate::Check;

const MODEL: &str = "Announcement";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/announcements", get(list).post(create))
        .route("/announcements/{id}", put(update).delete(remove))
}

fn render(app: &App, s: &Store, a: &Announcement) -> Value {
    let author = s.users.get(&a.user_id);
    json!({
        "id": a.id,
        "company_id": COMPANY_ID,
        "title": a.title,
        "body": a.body,
        "first_name": author.map(|u| u.first_name.clone()),
        "last_name": author.map(|u| u.last_name.clone()),
        "user": user_ref(app, s, a.user_id, IdStyle::Num),
    })
}

fn body_and_title(body: &Body) -> Result<(String, Option<String>), ApiError> {
    let map = body.object();
    let mut c = Check::new(&map);
    let (text, title) = (c.req_str("body"), c.opt_str("title"));
    c.finish()?;
    Ok((text, title))
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let map = q.map();
    let mut c = Check::new(&map);
    let offset = c.opt_int("offset").unwrap_or(0);
    c.ensure(offset >= 0, "The offset must be at least 0.");
    c.finish()?;
    let s = app.read();
    let items: Vec<Value> = s
        .announcements
        .values()
        .rev()
        .filter(|a| !a.deleted)
        .map(|a| render(&app, &s, a))
        .collect();
    ok(offset_page(items, offset as usize, |o| {
        link(
            &app.base_url,
            "/announcements",
            &[("offset", o.to_string())],
        )
    }))
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let (text, title) = body_and_title(&body)?;
    let mut s = app.write();
    let id = s.alloc_id();
    s.announcements.insert(
        id,
        Announcement {
            id,
            title,
            body: text,
            user_id: CHIEF,
            deleted: false,
        },
    );
    done_created("Announcement published.", id)
}

async fn update(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let (text, title) = body_and_title(&body)?;
    let mut s = app.write();
    let a = find_live_mut(&mut s.announcements, id, MODEL)?;
    (a.body, a.title) = (text, title);
    done("Announcement updated.", Some(id))
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    find_live_mut(&mut app.write().announcements, id, MODEL)?.deleted = true;
    done("Announcement deleted.", Some(id))
}
