//! Payroll rows: worked shifts, Misc. hours and approved time off in a period.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::NaiveDateTime;
use serde_json::{Map, Value, json};

use super::find;
use crate::clock::{fmt_local, hours};
use crate::extract::{Ids, Query};
use crate::limits::RANGE_DAYS;
use crate::reply::{ApiResult, ok};
use crate::state::App;
use crate::store::{APPROVED, Store};
use crate::validate::{Check, period};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/payroll", get(list))
        .route("/payroll/{user_id}", get(list_for_user))
}

/// One payroll row.
struct Row<'a> {
    kind: &'a str,
    user: u64,
    work_type: Option<String>,
    work_subtype: Option<String>,
    work_code: Option<String>,
    start: NaiveDateTime,
    end: NaiveDateTime,
    assignment: Option<u64>,
    labels: Option<String>,
    notes: Option<String>,
}

fn render(s: &Store, r: Row) -> Value {
    let u = s.users.get(&r.user);
    json!({
        "type": r.kind,
        "user_id": r.user.to_string(),
        "employee_id": u.and_then(|u| u.employee_id.clone()),
        "name": s.user_name(r.user),
        "work_type": r.work_type,
        "work_subtype": r.work_subtype,
        "work_code": r.work_code,
        "start": fmt_local(r.start),
        "end": fmt_local(r.end),
        "assignment_id": r.assignment,
        "assignment_name": r.assignment.and_then(|a| s.assignments.get(&a)).map(|a| a.name.clone()),
        "labels": r.labels,
        "notes": r.notes,
        "total_hours": hours(r.start, r.end),
    })
}

/// The work type label, work subtype label and work code of a shift or Misc. hours entry.
fn work(
    s: &Store,
    work_type: u64,
    work_subtype: Option<u64>,
) -> (Option<String>, Option<String>, Option<String>) {
    let wt = s.work_types.get(&work_type);
    (
        wt.map(|w| w.label.clone()),
        work_subtype
            .and_then(|st| s.work_subtypes.get(&st))
            .map(|st| st.label.clone()),
        wt.and_then(|w| w.work_code.clone()),
    )
}

fn rows(s: &Store, start: NaiveDateTime, end: NaiveDateTime, user: Option<u64>) -> Vec<Value> {
    let mine = |u: u64| user.is_none_or(|x| x == u);
    let within = |a: NaiveDateTime, b: NaiveDateTime| Store::overlaps(a, b, start, end);
    let mut out: Vec<Row> = Vec::new();
    out.extend(
        s.shifts
            .values()
            .filter(|sh| mine(sh.user_id) && within(sh.start, sh.end))
            .map(|sh| {
                let (work_type, work_subtype, work_code) =
                    work(s, sh.work_type_id, sh.work_subtype_id);
                Row {
                    kind: "work shift",
                    user: sh.user_id,
                    work_type,
                    work_subtype,
                    work_code,
                    start: sh.start,
                    end: sh.end,
                    assignment: Some(sh.assignment_id),
                    labels: Some(
                        sh.labels
                            .iter()
                            .filter_map(|l| s.labels.get(l))
                            .map(|l| l.label.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                    .filter(|l| !l.is_empty()),
                    notes: sh.notes.clone(),
                }
            }),
    );
    out.extend(
        s.misc_hours
            .values()
            .filter(|m| mine(m.user_id) && within(m.start, m.end))
            .map(|m| {
                let (work_type, work_subtype, work_code) =
                    work(s, m.work_type_id, m.work_subtype_id);
                Row {
                    kind: "misc hours",
                    user: m.user_id,
                    work_type,
                    work_subtype,
                    work_code,
                    start: m.start,
                    end: m.end,
                    assignment: None,
                    labels: None,
                    notes: m.notes.clone(),
                }
            }),
    );
    for t in s
        .time_offs
        .values()
        .filter(|t| t.status == APPROVED && mine(t.user_id))
    {
        let tt = s.time_off_types.get(&t.type_id);
        out.extend(
            s.segments(t)
                .into_iter()
                .filter(|(a, b)| within(*a, *b))
                .map(|(a, b)| Row {
                    kind: "time off",
                    user: t.user_id,
                    work_type: tt.map(|t| t.label.clone()),
                    work_subtype: None,
                    work_code: tt.and_then(|t| t.work_code.clone()),
                    start: a,
                    end: b,
                    assignment: None,
                    labels: None,
                    notes: t.user_note.clone(),
                }),
        );
    }
    out.sort_by_key(|r| (r.start, r.user));
    out.into_iter().map(|r| render(s, r)).collect()
}

fn answer(app: &App, map: &Map<String, Value>, user: Option<u64>) -> ApiResult {
    let (start, end) = period(map, RANGE_DAYS)?;
    let s = app.read();
    if let Some(user) = user {
        find(&s.users, user, "User")?;
    }
    ok(json!(rows(&s, start, end, user)))
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let map = q.map();
    let mut c = Check::new(&map);
    let user = c.opt_id("user_id");
    c.finish()?;
    answer(&app, &map, user)
}

async fn list_for_user(State(app): State<App>, Ids([user]): Ids<1>, q: Query) -> ApiResult {
    answer(&app, &q.map(), Some(user))
}
