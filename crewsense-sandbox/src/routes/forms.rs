//! Forms (a map keyed by id) and their submissions.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::find;
use crate::clock::{fmt_local, fmt_ts_compact};
use crate::extract::Ids;
use crate::render::{IdStyle, user_ref};
use crate::reply::{ApiResult, ok};
use crate::state::App;
use crate::store::Answer;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/forms", get(list))
        .route("/forms/{id}/submissions", get(submissions))
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    let forms: Map<String, Value> = s
        .forms
        .values()
        .map(|f| {
            let form = json!({ "title": f.title, "created_at": fmt_local(f.created_at), "created_by": s.user_name(f.created_by) });
            (f.id.to_string(), form)
        })
        .collect();
    // PHP sends an empty map as `[]`.
    ok(if forms.is_empty() {
        json!([])
    } else {
        Value::Object(forms)
    })
}

async fn submissions(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let form = find(&s.forms, id, "Form")?;
    let items: Vec<Value> = form
        .submissions
        .iter()
        .map(|sub| {
            let answers: Vec<Value> = sub
                .answers
                .iter()
                .map(|(title, answer)| match answer {
                    Answer::One(v) => json!({ "title": title, "value": v }),
                    Answer::Many(vs) => json!({ "title": title, "values": vs }),
                })
                .collect();
            json!({
                "user": user_ref(&app, &s, sub.user_id, IdStyle::Str),
                "submitted_at": fmt_ts_compact(sub.submitted_at),
                "submission": answers,
            })
        })
        .collect();
    ok(json!(items))
}
