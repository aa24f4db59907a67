//! One-off shifts and the labels and qualifiers applied to them.

use axum::Router;
use axum::extract::State;
use axum::routing::{delete, get};
use serde_json::{Map, Value, json};

use super::{ensure_all, find, find_mut};
use crate::clock::{fmt_date, fmt_local, fmt_ts};
use crate::error::ApiError;
use crate::extract::{Body, Ids, Query};
use crate::render::{self, user_ref, user_ref_opt};
use crate::reply::{ApiResult, done, ok};
use crate::state::App;
use crate::store::{Shift, Store, Table};
use crate::validate::Check;

const MODEL: &str = "Shift";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/shifts", get(list).post(create))
        .route("/shifts/{id}", get(read).delete(remove).patch(update))
        .route(
            "/shifts/{id}/qualifiers",
            get(list_set::<Qualifiers>)
                .post(replace_set::<Qualifiers>)
                .delete(clear_set::<Qualifiers>),
        )
        .route(
            "/shifts/{id}/qualifiers/{qualifierId}",
            delete(remove_one::<Qualifiers>),
        )
        .route(
            "/shifts/{id}/labels",
            get(list_set::<Labels>)
                .post(replace_set::<Labels>)
                .delete(clear_set::<Labels>),
        )
        .route(
            "/shifts/{id}/labels/{labelId}",
            delete(remove_one::<Labels>),
        )
}

/// A set of records attached to a shift (its labels or its qualifiers).
trait Attached: Send + 'static {
    const MODEL: &'static str;
    const NOUN: &'static str;
    fn ids(shift: &mut Shift) -> &mut Vec<u64>;
    fn current(shift: &Shift) -> &[u64];
    fn exists(s: &Store, id: u64) -> bool;
    fn render(app: &App, s: &Store, id: u64) -> Option<Value>;
}

struct Labels;
struct Qualifiers;

impl Attached for Labels {
    const MODEL: &'static str = "Label";
    const NOUN: &'static str = "labels";
    fn ids(shift: &mut Shift) -> &mut Vec<u64> {
        &mut shift.labels
    }
    fn current(shift: &Shift) -> &[u64] {
        &shift.labels
    }
    fn exists(s: &Store, id: u64) -> bool {
        s.labels.contains_key(&id)
    }
    fn render(app: &App, s: &Store, id: u64) -> Option<Value> {
        s.labels.get(&id).map(|l| {
            json!({ "id": l.id, "href": app.href("labels", l.id), "label": l.label, "color": l.color, "text_color": l.text_color })
        })
    }
}

impl Attached for Qualifiers {
    const MODEL: &'static str = "Qualifier";
    const NOUN: &'static str = "qualifiers";
    fn ids(shift: &mut Shift) -> &mut Vec<u64> {
        &mut shift.qualifiers
    }
    fn current(shift: &Shift) -> &[u64] {
        &shift.qualifiers
    }
    fn exists(s: &Store, id: u64) -> bool {
        s.qualifiers
            .get(&id)
            .is_some_and(|q| q.deleted_at.is_none())
    }
    fn render(app: &App, s: &Store, id: u64) -> Option<Value> {
        s.qualifiers.get(&id).map(|q| {
            json!({ "id": q.id, "href": app.href("qualifiers", q.id), "shortcode": q.shortcode, "name": q.name, "color": q.color, "text_color": q.text_color })
        })
    }
}

/// The attached records, or `null` when there are none (as production sends).
fn attached<A: Attached>(app: &App, s: &Store, ids: &[u64]) -> Value {
    let items: Vec<Value> = ids.iter().filter_map(|id| A::render(app, s, *id)).collect();
    if items.is_empty() {
        Value::Null
    } else {
        json!(items)
    }
}

fn render(app: &App, s: &Store, sh: &Shift) -> Value {
    let wt = s.work_types.get(&sh.work_type_id);
    json!({
        "id": sh.id,
        "assignment_id": sh.assignment_id,
        "date": fmt_date(sh.date),
        "start": fmt_local(sh.start),
        "end": fmt_local(sh.end),
        "user": user_ref(app, s, sh.user_id, render::IdStyle::Num),
        "scheduled_by": user_ref(app, s, sh.scheduled_by, render::IdStyle::Num),
        "work_type": wt.map(|w| json!({
            "id": w.id,
            "href": app.href("work_types", w.id),
            "name": w.label,
            "work_code": w.work_code,
            "subtype_id": sh.work_subtype_id,
        })),
        "labels": attached::<Labels>(app, s, &sh.labels),
        "qualifiers": attached::<Qualifiers>(app, s, &sh.qualifiers),
        "traded_with": user_ref_opt(app, s, sh.traded_with, render::IdStyle::Num),
        "from_callback": sh.from_callback,
        "notes": sh.notes,
        "created_at": fmt_ts(sh.created_at),
        "updated_at": fmt_ts(sh.updated_at),
    })
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let map = q.map();
    let mut c = Check::new(&map);
    let user = c.req_id("user_id");
    c.finish()?;
    let s = app.read();
    find(&s.users, user, "User")?;
    let mut mine: Vec<&Shift> = s
        .shifts
        .values()
        .filter(|sh| sh.user_id == user && !sh.recurring)
        .collect();
    mine.sort_by_key(|sh| (sh.start, sh.id));
    ok(json!(
        mine.into_iter()
            .map(|sh| render(&app, &s, sh))
            .collect::<Vec<_>>()
    ))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(&app, &s, find(&s.shifts, id, MODEL)?))
}

fn ensure_in<T>(c: &mut Check, table: &Table<T>, id: Option<u64>, field: &str) {
    if let Some(id) = id {
        c.ensure(
            table.contains_key(&id),
            format!("The selected {} is invalid.", field.replace('_', " ")),
        );
    }
}

/// Applies a create (`create`) or update body to `sh`.
fn apply(
    s: &Store,
    sh: &mut Shift,
    body: &Map<String, Value>,
    create: bool,
) -> Result<(), ApiError> {
    let mut c = Check::new(body);
    let (date, start, end) = (c.req_date("date"), c.req_local("start"), c.req_local("end"));
    let (assignment, user, work_type) = if create {
        (
            Some(c.req_id("assignment_id")),
            Some(c.req_id("user_id")),
            Some(c.req_id("work_type_id")),
        )
    } else {
        (
            c.opt_id("assignment_id"),
            c.opt_id("user_id"),
            c.opt_id("work_type_id"),
        )
    };
    let subtype = c.opt_id("work_subtype_id");
    let from_callback = c.opt_id("from_callback");
    let traded_with = c.opt_id("traded_with");
    let notes = c.opt_str("notes");
    let labels = body.get("labels").map(|v| c.ids_of("labels", v));
    let qualifiers = body.get("qualifiers").map(|v| c.ids_of("qualifiers", v));
    c.ensure(end > start, "The end must be a date after start.");
    ensure_in(&mut c, &s.assignments, assignment, "assignment_id");
    ensure_in(&mut c, &s.users, user, "user_id");
    ensure_in(&mut c, &s.work_types, work_type, "work_type_id");
    ensure_in(&mut c, &s.work_subtypes, subtype, "work_subtype_id");
    ensure_in(&mut c, &s.callbacks, from_callback, "from_callback");
    ensure_in(&mut c, &s.users, traded_with, "traded_with");
    c.finish()?;
    if let Some(ids) = &labels {
        ensure_all(&s.labels, ids, "labels")?;
    }
    if let Some(ids) = &qualifiers {
        ensure_all(&s.qualifiers, ids, "qualifiers")?;
    }
    (sh.date, sh.start, sh.end) = (date, start, end);
    sh.assignment_id = assignment.unwrap_or(sh.assignment_id);
    sh.user_id = user.unwrap_or(sh.user_id);
    sh.work_type_id = work_type.unwrap_or(sh.work_type_id);
    sh.work_subtype_id = subtype.or(sh.work_subtype_id);
    sh.from_callback = from_callback.or(sh.from_callback);
    sh.traded_with = traded_with.or(sh.traded_with);
    sh.notes = notes.or(sh.notes.take());
    sh.labels = labels.unwrap_or(std::mem::take(&mut sh.labels));
    sh.qualifiers = qualifiers.unwrap_or(std::mem::take(&mut sh.qualifiers));
    Ok(())
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let mut s = app.write();
    let now = app.clock.now();
    let mut sh = Shift {
        id: 0,
        assignment_id: 0,
        user_id: 0,
        date: now.date(),
        start: now,
        end: now,
        break_time: None,
        work_type_id: 0,
        work_subtype_id: None,
        scheduled_by: crate::seed::SCHEDULER,
        labels: Vec::new(),
        qualifiers: Vec::new(),
        notes: None,
        recurring: false,
        traded_with: None,
        from_callback: None,
        created_at: now,
        updated_at: now,
    };
    apply(&s, &mut sh, &body.object(), true)?;
    sh.id = s.alloc_id();
    let id = sh.id;
    s.shifts.insert(id, sh);
    done("Shift created.", Some(id))
}

async fn update(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let mut s = app.write();
    let mut sh = find(&s.shifts, id, MODEL)?.clone();
    apply(&s, &mut sh, &body.object(), false)?;
    sh.updated_at = app.clock.now();
    s.shifts.insert(id, sh);
    done("Shift updated.", Some(id))
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    app.write()
        .shifts
        .remove(&id)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    done("Shift removed.", Some(id))
}

async fn list_set<A: Attached>(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let sh = find(&s.shifts, id, MODEL)?;
    ok(attached::<A>(&app, &s, A::current(sh)))
}

async fn replace_set<A: Attached>(
    State(app): State<App>,
    Ids([id]): Ids<1>,
    body: Body,
) -> ApiResult {
    let mut s = app.write();
    find(&s.shifts, id, MODEL)?;
    let empty = Map::new();
    let mut c = Check::new(&empty);
    let ids = c.ids_of(A::NOUN, &body.0);
    let unknown: Vec<String> = ids
        .iter()
        .enumerate()
        .filter(|(_, q)| !A::exists(&s, **q))
        .map(|(i, _)| format!("The selected {}.{i} is invalid.", A::NOUN))
        .collect();
    c.finish()?;
    if !unknown.is_empty() {
        return Err(ApiError::Invalid(unknown));
    }
    *A::ids(find_mut(&mut s.shifts, id, MODEL)?) = ids;
    done(format!("Shift {} replaced.", A::NOUN), Some(id))
}

async fn clear_set<A: Attached>(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let mut s = app.write();
    A::ids(find_mut(&mut s.shifts, id, MODEL)?).clear();
    done(format!("Shift {} removed.", A::NOUN), Some(id))
}

async fn remove_one<A: Attached>(State(app): State<App>, Ids([id, item]): Ids<2>) -> ApiResult {
    let mut s = app.write();
    let ids = A::ids(find_mut(&mut s.shifts, id, MODEL)?);
    let before = ids.len();
    ids.retain(|x| *x != item);
    if ids.len() == before {
        return Err(ApiError::missing(A::MODEL));
    }
    done(
        format!(
            "Removed {} #{item} from the shift.",
            A::MODEL.to_lowercase()
        ),
        Some(id),
    )
}
